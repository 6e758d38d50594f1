// tests/test_hostile.cpp — the hostile-input table of docs/reliability.md, row by row, through the
// real command line: each bad input must end in exit 1 (runtime) or 2 (usage), a message that
// names the problem, and no output file — not even a partial one or a leftover temporary.
// Rows already covered by unit tests elsewhere are listed in docs/reliability.md with their test.
#include <xxhash.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/io/npy.h"
#include "seisinr/parallel.h"
#include "test_util.h"

namespace fs = std::filesystem;
using namespace seisinr;

namespace {

// One shared set of inputs: maps, a tiny model, a compressed file with an error bound.
struct Inputs {
  test::TempDir dir;
  std::string maps, model, packed, latents;  // packed: with an error bound; latents: codes only
  Inputs() {
    maps = dir.file("maps");
    model = dir.file("run/model.sinr");
    packed = dir.file("packed.sinr");
    latents = dir.file("latents.sinr");
    auto r = test::run_cli("synth --out " + maps + " --count 2 --size 12x12 --families FlatVel --seed 1");
    if (r.exit_code) throw std::runtime_error(r.output);
    r = test::run_cli("train --data " + maps + " --out " + dir.file("run") + " --preset tiny --epochs 3 --holdout 0 --threads 1");
    if (r.exit_code) throw std::runtime_error(r.output);
    r = test::run_cli("compress --data " + maps + " --model " + model + " --out " + packed +
                      " --max-error 5 --encode-steps 5 --threads 1");
    if (r.exit_code) throw std::runtime_error(r.output);
    r = test::run_cli("compress --data " + maps + " --model " + model + " --out " + latents + " --encode-steps 5 --threads 1");
    if (r.exit_code) throw std::runtime_error(r.output);
  }
};

Inputs& inputs() {
  static Inputs in;
  return in;
}

// Runs the CLI; checks the exit code, the message, and that `output` was not created (nor any
// temporary of it).
void expect_refused(const std::string& args, int code, const std::string& message, const std::string& output) {
  SCOPED_TRACE(args);
  const auto r = test::run_cli(args);
  EXPECT_EQ(r.exit_code, code) << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << "message lacks \"" << message << "\": " << r.output;
  if (!output.empty()) {
    EXPECT_FALSE(fs::exists(output)) << "a partial output was left behind";
    const fs::path folder = fs::path(output).parent_path();
    if (fs::is_directory(folder)) {
      for (const auto& e : fs::directory_iterator(folder))
        EXPECT_EQ(e.path().filename().string().find(fs::path(output).filename().string() + ".tmp-"), std::string::npos)
            << "leftover temporary " << e.path();
    }
  }
}

std::vector<unsigned char> bytes_of(const std::string& path) { return io::read_file(path); }
void write_bytes(const std::string& path, const std::vector<unsigned char>& b) { io::write_file_atomic(path, b.data(), b.size()); }

// Rewrites a .sinr file's JSON header through `edit` and recomputes its checksums, so that the
// file is well-formed on the outside and lies on the inside. When the header grows, the section
// payloads move down by whole 64-byte steps and their offsets follow.
void rewrite_header(const std::string& in, const std::string& out, const std::function<void(nlohmann::json&)>& edit) {
  const auto b = bytes_of(in);
  std::uint64_t len = 0;
  std::memcpy(&len, b.data() + 16, 8);
  nlohmann::json h = nlohmann::json::parse(b.begin() + 32, b.begin() + 32 + static_cast<long>(len));
  edit(h);
  std::string text;
  std::uint64_t shift = 0;
  for (;; shift += 64) {
    nlohmann::json moved = h;
    for (auto& s : moved["sections"]) s["offset"] = s["offset"].get<std::uint64_t>() + shift;
    text = moved.dump();
    if (text.size() <= len + shift) break;
  }
  text.append(len + shift - text.size(), ' ');  // JSON whitespace up to the first payload
  std::vector<unsigned char> c(b.begin(), b.begin() + 32);
  c.insert(c.end(), text.begin(), text.end());
  c.insert(c.end(), b.begin() + 32 + static_cast<long>(len), b.end());
  const std::uint64_t new_len = text.size();
  std::memcpy(c.data() + 16, &new_len, 8);
  const std::uint64_t hh = XXH3_64bits(c.data() + 32, new_len);
  std::memcpy(c.data() + 24, &hh, 8);
  const std::size_t body = c.size() - 16;
  const std::uint64_t fh = XXH3_64bits(c.data(), body);
  std::memcpy(c.data() + body, &fh, 8);
  write_bytes(out, c);
}

}  // namespace

TEST(Hostile, TruncatedWrongMagicAndFutureFiles) {
  Inputs& in = inputs();
  test::TempDir d;
  auto b = bytes_of(in.packed);
  write_bytes(d.file("cut.sinr"), {b.begin(), b.begin() + static_cast<long>(b.size() / 2)});
  expect_refused("decompress " + d.file("cut.sinr") + " --out " + d.file("o.npy"), 4, "end marker missing", d.file("o.npy"));
  auto m = b;
  m[0] = 'X';
  write_bytes(d.file("magic.sinr"), m);
  expect_refused("decompress " + d.file("magic.sinr") + " --out " + d.file("o.npy"), 2, "not a .sinr file (bad magic)", d.file("o.npy"));
  auto v = b;
  v[8] = 9;  // format version 9, checksums repaired below by a header rewrite
  write_bytes(d.file("v9.sinr"), v);
  rewrite_header(d.file("v9.sinr"), d.file("v9.sinr"), [](nlohmann::json& h) { h["format_version"] = 9; });
  expect_refused("decompress " + d.file("v9.sinr") + " --out " + d.file("o.npy"), 5, "written by a newer seisinr", d.file("o.npy"));
  auto n = bytes_of(in.maps + "/FlatVel.npy");
  write_bytes(d.file("cut.npy"), {n.begin(), n.end() - 7});
  expect_refused("train --data " + d.file("cut.npy") + " --out " + d.file("run") + " --preset tiny", 4, "cut.npy", d.file("run/model.sinr"));
}

TEST(Hostile, WrongDtypeAndNonFiniteValues) {
  test::TempDir d;
  const std::string ints = d.file("ints.npy"), nan = d.file("nan.npy");
  auto r = test::run_command(std::string(SEISINR_PYTHON) + " -c \"import numpy as np; np.save('" + ints +
                             "', np.ones((2,1,4,4), np.int64)); a = np.full((2,1,4,4), 2000, np.float32); a[1,0,2,3] = np.nan; np.save('" +
                             nan + "', a)\"");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_refused("compress --data " + ints + " --out " + d.file("o.sinr") + " --preset tiny", 5, "'<i8'", d.file("o.sinr"));
  expect_refused("compress --data " + nan + " --out " + d.file("o.sinr") + " --preset tiny", 4, "NaN in map 1 at z=2, x=3", d.file("o.sinr"));
  // A model whose decoder weights hold NaN.
  Inputs& in = inputs();
  codec::SinrFile f = codec::read_sinr(in.model);
  for (auto& s : f.sections)
    if (s.name == "decoder.out.bias") {
      const float bad = std::numeric_limits<float>::quiet_NaN();
      std::memcpy(s.bytes.data(), &bad, 4);
    }
  codec::write_sinr(d.file("nan-model.sinr"), f);
  expect_refused("decode --model " + d.file("nan-model.sinr") + " --all --out " + d.file("o.npy"), 4,
                 "section 'decoder.out.bias' holds a non-finite value", d.file("o.npy"));
}

TEST(Hostile, AFileClaimingATrillionMapsFailsFastWithoutAllocating) {
  Inputs& in = inputs();
  test::TempDir d;
  // meta.count says 10^12; the per-map sections disagree.
  rewrite_header(in.packed, d.file("count.sinr"), [](nlohmann::json& h) { h["meta"]["count"] = 1000000000000ll; });
  // And a per-map section that claims 10^12 entries (1 TB after decompression).
  rewrite_header(in.packed, d.file("section.sinr"), [](nlohmann::json& h) {
    for (auto& s : h["sections"])
      if (s["name"] == "map.family") s["shape"] = {1000000000000ll}, s["raw_bytes"] = 1000000000000ll;
    h["meta"]["count"] = 1000000000000ll;
  });
  for (const auto& [file, message] : {std::pair<std::string, std::string>{d.file("count.sinr"), "expected [1000000000000]"},
                                      {d.file("section.sinr"), "more than the"}}) {
    const auto t0 = std::chrono::steady_clock::now();
    expect_refused("decompress " + file + " --out " + d.file("o.npy") + " --model " + in.model, 4, message, d.file("o.npy"));
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
    // (info refuses the file too; the shell's own exit status is 0, and wait4 counts its child.)
    const double mib = test::peak_rss_mib(SEISINR_CLI " info " + file + " >/dev/null 2>&1; exit 0");
    EXPECT_GT(mib, 0);
    EXPECT_LT(mib, 400) << "peak memory (MiB) of reading " << file;
  }
}

TEST(Hostile, ChecksumAndDecoderMismatches) {
  Inputs& in = inputs();
  test::TempDir d;
  auto b = bytes_of(in.packed);
  b[b.size() - 40] ^= 0x20;
  write_bytes(d.file("flip.sinr"), b);
  expect_refused("decompress " + d.file("flip.sinr") + " --out " + d.file("o.npy") + " --model " + in.model, 4, "checksum mismatch", d.file("o.npy"));
  auto r = test::run_cli("train --data " + in.maps + " --out " + d.file("other") + " --preset tiny --epochs 2 --holdout 0 --seed 9 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_refused("decompress " + in.latents + " --out " + d.file("o.npy") + " --model " + d.file("other/model.sinr"), 2,
                 "decoder mismatch", d.file("o.npy"));
  expect_refused("decode --model " + in.packed + " --all --out " + d.file("o.npy"), 2, "not a model file", d.file("o.npy"));
  // The decoder search finds the decoder damaged: said so, not "no decoder found" (issue 27).
  fs::create_directories(d.file("s"));
  fs::copy_file(in.latents, d.file("s/codes.sinr"));
  auto m = bytes_of(in.model);
  m[m.size() / 2] ^= 0x01;
  write_bytes(d.file("s/model.sinr"), m);
  expect_refused("decompress " + d.file("s/codes.sinr") + " --out " + d.file("o.npy"), 4, "perhaps the decoder itself: reading " + d.file("s/model.sinr"),
                 d.file("o.npy"));
}

TEST(Hostile, UnwritableOutputsAndAFullDisk) {
  Inputs& in = inputs();
  test::TempDir d;
  // A folder that cannot hold files (root ignores permission bits, so use a path through a file).
  write_bytes(d.file("plain-file"), {1});
  expect_refused("decompress " + in.packed + " --model " + in.model + " --out " + d.file("plain-file/o.npy"), 3,
                 "cannot create temporary file", "");
  expect_refused("compress --data " + in.maps + " --model " + in.model + " --out /proc/seisinr-test.sinr --encode-steps 2", 3,
                 "writing /proc/seisinr-test.sinr", "");
  // A full disk: writes past 4 KiB fail (RLIMIT_FSIZE, SIGXFSZ ignored so write() reports EFBIG).
  const std::string out = d.file("full/o.npy");
  fs::create_directories(d.file("full"));
  SCOPED_TRACE("full disk");
  auto r = test::run_command("trap '' XFSZ; ulimit -f 4; exec " SEISINR_CLI " decode --model " + in.model +
                             " --all --resolution 200x200 --out " + out);
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_NE(r.output.find("writing " + out + ": File too large"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::is_empty(d.file("full"))) << "neither the output nor its temporary may remain";
}

// A thread count is checked like a file's field, before any work: a million threads once took
// ~40 s to start (issue 27); the rule (parallel.h) is one for the commands and the library.
TEST(Hostile, ThreadCountsOutOfRangeAreRefusedAtOnce) {
  Inputs& in = inputs();
  test::TempDir d;
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused("decompress " + in.packed + " --model " + in.model + " --out " + d.file("o.npy") + " --threads 1000000", 2,
                 "--threads: 1000000 threads; give 0", d.file("o.npy"));
  expect_refused("train --data " + in.maps + " --out " + d.file("run") + " --preset tiny --threads -3", 2, "-3 threads", d.file("run/model.sinr"));
  expect_refused("eval --model " + in.model + " --data " + in.maps + " --threads 99999999", 2, "99999999 threads", "");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
  EXPECT_THROW(seisinr::resolve_threads(seisinr::max_threads() + 1, "x"), seisinr::Error);
  EXPECT_EQ(seisinr::resolve_threads(0, "x"), seisinr::hardware_threads());
  EXPECT_EQ(seisinr::resolve_threads(seisinr::max_threads(), "x"), seisinr::max_threads());
  try {
    seisinr::parallel_for(4, 1000000, [](std::int64_t) {});
    ADD_FAILURE() << "parallel_for started a million threads";
  } catch (const seisinr::Error& e) {
    EXPECT_EQ(e.kind(), seisinr::ErrorKind::usage);
  }
}

// Real-valued options are finite numbers: CLI11's own checks let NaN through (issue 27: `--dz nan`
// became 0 m).
TEST(Hostile, NonFiniteNumbersInOptionsAreRefused) {
  Inputs& in = inputs();
  test::TempDir d;
  expect_refused("compress --data " + in.maps + " --model " + in.model + " --out " + d.file("o.sinr") + " --max-error nan", 2,
                 "--max-error: 'nan' is not a finite number", d.file("o.sinr"));
  expect_refused("compress --data " + in.maps + " --model " + in.model + " --out " + d.file("o.sinr") + " --encode-lr -inf", 2,
                 "--encode-lr: '-inf' is not a finite number", d.file("o.sinr"));
  expect_refused("compress --data " + in.maps + " --model " + in.model + " --out " + d.file("o.sinr") + " --target-psnr 1e999", 2,
                 "--target-psnr: '1e999' is not a number", d.file("o.sinr"));
  expect_refused("train --data " + in.maps + " --out " + d.file("run") + " --preset tiny --time-limit nan", 2,
                 "--time-limit: 'nan' is not a finite number", d.file("run/model.sinr"));
  expect_refused("convert " + in.maps + "/FlatVel.npy --out " + d.file("o.sgy") + " --dx NaN", 2, "--dx: 'NaN' is not a finite number",
                 d.file("o.sgy"));
}

// A survey JSON is settings: its errors name the JSON, not the velocity file, and exit 2; sizes
// that cannot be held are refused before any allocation with the bytes named (issue 27: a bare
// std::bad_alloc, once after 54 s).
TEST(Hostile, SurveyErrorsNameTheSurveyAndHugeSurveysAreRefusedAtOnce) {
  Inputs& in = inputs();
  test::TempDir d;
  auto json = [&](const std::string& name, const std::string& text) {
    std::ofstream(d.file(name)) << text;
    return d.file(name);
  };
  const std::string v = in.maps + "/FlatVel.npy", out = d.file("g.npy");
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused("forward --velocity " + v + " --acquisition " + json("f.json", R"({"freq": 1e-300})") + " --out " + out, 2,
                 "f.json: freq 1e-300 Hz with dt 0.001 s makes a Ricker wavelet of 2.2e+303 samples", out);
  expect_refused("forward --velocity " + v + " --acquisition " + json("o.json", R"({"order": 3})") + " --out " + out, 2,
                 "o.json: order must be 2, 4 or 8", out);
  expect_refused("forward --velocity " + v + " --acquisition " + json("b.json", R"({"boundary": 1000000000})") + " --out " + out, 2,
                 "b.json: boundary must be between 2 and 10,000 cells", out);
  expect_refused("forward --velocity " + v + " --acquisition " + json("k.json", R"({"nt": "many"})") + " --out " + out, 2, "k.json.nt: expected an integer", out);
  std::string sources;
  for (int i = 0; i < 400; ++i) sources += std::string(i ? "," : "") + "[1," + std::to_string(i % 12) + "]";
  expect_refused("forward --velocity " + v + " --acquisition " + json("many.json", R"({"nt": 10000000, "sources": [)" + sources + "]}") +
                     " --out " + out,
                 2, "many.json: the solver would need", out);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 10.0);
  // A start of the wrong shape is named as the grid's source, not only the gathers.
  auto r = test::run_cli("forward --velocity " + v + " --out " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  r = test::run_cli("synth --out " + d.file("small") + " --count 1 --size 10x10 --families FlatVel --seed 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  expect_refused("invert --data " + out + " --space grid --init " + d.file("small/FlatVel.npy") + " --out " + d.file("v.npy"), 1,
                 "the grid is --init " + d.file("small/FlatVel.npy") + "'s: if the gathers are right, check that file's shape", d.file("v.npy"));
}

TEST(Hostile, MissingPathsConflictingOptionsAndImpossibleSizes) {
  Inputs& in = inputs();
  test::TempDir d;
  expect_refused("train --data " + d.file("nowhere") + " --out " + d.file("run") + " --preset tiny", 3, d.file("nowhere"), d.file("run/model.sinr"));
  expect_refused("decompress " + d.file("nowhere.sinr") + " --out " + d.file("o.npy"), 2, "nowhere.sinr", d.file("o.npy"));
  expect_refused("decode --model " + in.model + " --maps 0 --all --out " + d.file("o.npy"), 2, "excludes", d.file("o.npy"));
  expect_refused("train --data " + in.maps + " --out " + d.file("run") + " --resume --force", 2, "exclude each other", "");
  expect_refused("decompress " + in.packed + " --model " + in.model + " --resolution 24x24 --out " + d.file("o.npy"), 2,
                 "error bound holds on the stored 12x12 grid only", d.file("o.npy"));
  expect_refused("decode --model " + in.model + " --all --resolution 0x70 --out " + d.file("o.npy"), 2, "between 2 and 65536", d.file("o.npy"));
  // In memory, 2 maps at 65536² would need 32 GiB: refused at once (`decode` streams it instead).
  const auto t0 = std::chrono::steady_clock::now();
  expect_refused("eval --model " + in.model + " --data " + in.maps + " --resolution 65536x65536", 1, "needs 32.0 GiB in memory", "");
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 20.0);
}
