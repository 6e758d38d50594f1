// tests/test_cli.cpp — the command-line tool: help shows defaults, exit codes, synth and info.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <nlohmann/json.hpp>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/compress/options.h"
#include "seisinr/io/npy.h"
#include "test_util.h"

namespace seisinr {
namespace {

TEST(Cli, TopLevelHelpListsCommands) {
  auto r = test::run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"info", "synth", "demo"}) EXPECT_NE(r.output.find(c), std::string::npos) << c;
}

TEST(Cli, SubcommandHelpShowsDefaults) {
  auto r = test::run_cli("synth --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("--count"), std::string::npos);
  EXPECT_NE(r.output.find("=100"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("=70x70"), std::string::npos) << r.output;
  r = test::run_cli("demo --help");
  EXPECT_NE(r.output.find("=seisinr-demo"), std::string::npos) << r.output;
}

// The settings flags of compress, encode, decompress, eval and report are made from the structs'
// field lists (seisinr/fields.h): every field with a flag shows in --help with its help line, and
// the field's check refuses a bad word before any work.
template <class S>
std::vector<std::pair<std::string, std::string>> flagged_fields() {
  std::vector<std::pair<std::string, std::string>> out;
  S::fields([&](const auto& f) {
    using M = std::remove_reference_t<decltype(std::declval<S&>().*(f.member))>;
    if constexpr (has_fields<M>::value) {
      for (auto& inner : flagged_fields<M>()) out.push_back(inner);
    } else if (f.flag != nullptr) {
      out.emplace_back(f.flag, f.help);
    }
  });
  return out;
}

TEST(Cli, SettingsFlagsComeFromTheFieldLists) {
  const auto check = [](const std::string& command, const std::vector<std::pair<std::string, std::string>>& fields) {
    const auto r = test::run_cli(command + " --help");
    ASSERT_EQ(r.exit_code, 0) << command;
    for (const auto& [flag, help] : fields) {
      EXPECT_NE(r.output.find(flag), std::string::npos) << command << ": " << flag;
      EXPECT_NE(r.output.find(help.substr(0, 30)), std::string::npos) << command << ": " << flag << "'s help";
    }
  };
  const auto compress_fields = flagged_fields<compress::CompressOptions>();
  EXPECT_GE(compress_fields.size(), 15u);  // its own, the encoding's and the tiles'
  check("compress", compress_fields);
  check("decompress", flagged_fields<compress::DecompressOptions>());
  for (const char* c : {"encode", "eval", "report"}) check(c, flagged_fields<encode::EncodeOptions>());
  // --fallback is on by default, so it also has a --no- form; --resume is off, so it has none.
  EXPECT_NE(test::run_cli("compress --help").output.find("--no-fallback"), std::string::npos);
  EXPECT_EQ(test::run_cli("compress --help").output.find("--no-resume"), std::string::npos);
  // The checks: a range, a finite number, an enum's words.
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 2 --size 16x16 --families FlatVel").exit_code, 0);
  const std::string base = "compress --data " + dir.file("d/FlatVel.npy") + " --out " + dir.file("c.sinr") + " ";
  for (const char* bad : {"--tile-size 1", "--encode-lr nan", "--init middle", "--tiles maybe", "--block 70000", "--max-error -1"}) {
    const auto r = test::run_cli(base + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
  }
  EXPECT_FALSE(std::filesystem::exists(dir.file("c.sinr")));
  // (the maps pass --model's existence check and are refused as a model only after parsing)
  const std::string maps = dir.file("d/FlatVel.npy");
  auto r = test::run_cli("eval --model " + maps + " --data " + maps + " --target-psnr 30");
  EXPECT_NE(r.output.find("not a .sinr file"), std::string::npos) << r.output;
  r = test::run_cli("eval --model " + maps + " --data " + maps + " --target-psnr -3");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--target-psnr"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("not a .sinr file"), std::string::npos) << r.output;
}

// Each error kind (error.h) has its exit code: usage 2, io 3, corrupt 4, unsupported 5; a run that
// cannot go on, 1. The message names the file in every case.
TEST(Cli, ExitCodesFollowTheErrorKind) {
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 2 --size 16x20 --families FlatVel").exit_code, 0);
  const std::string maps = dir.file("d/FlatVel.npy");
  {
    std::ofstream(dir.file("ints.npy"), std::ios::binary) << "\x93NUMPY\x01\x00" << std::string("\x76\x00", 2)
        << "{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }" << std::string(118 - 59 - 1, ' ') << "\n"
        << std::string(48, '\0');
  }
  ASSERT_EQ(test::run_cli("compress --data " + maps + " --out " + dir.file("c.sinr") + " --preset tiny --epochs 2 --threads 1").exit_code, 0);
  std::string bytes;
  {
    std::ifstream in(dir.file("c.sinr"), std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(dir.file("cut.sinr"), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  struct Case {
    std::string args, file;
    int code;
  };
  for (const Case& k : std::vector<Case>{
           {"compress --data " + dir.file("missing.npy") + " --out " + dir.file("x.sinr"), "missing.npy", 3},
           {"decompress " + dir.file("cut.sinr") + " --out " + dir.file("x.npy"), "cut.sinr", 4},
           {"forward --velocity " + dir.file("ints.npy") + " --out " + dir.file("x.npy"), "ints.npy", 5},
           {"decompress " + maps + " --out " + dir.file("x.npy"), "FlatVel.npy", 2},
       }) {
    const auto r = test::run_cli(k.args);
    EXPECT_EQ(r.exit_code, k.code) << k.args << "\n" << r.output;
    EXPECT_NE(r.output.find(k.file), std::string::npos) << k.args << "\n" << r.output;
  }
}

TEST(Cli, ParseAndUsageErrorsExit2) {
  EXPECT_EQ(test::run_cli("").exit_code, 2);
  EXPECT_EQ(test::run_cli("no-such-command").exit_code, 2);
  EXPECT_EQ(test::run_cli("synth").exit_code, 2) << "--out is required";
  test::TempDir dir;
  EXPECT_EQ(test::run_cli("synth --out " + dir.file("s") + " --size 70by70").exit_code, 2);
  EXPECT_EQ(test::run_cli("synth --out " + dir.file("s") + " --families Nope").exit_code, 2);
  std::string junk = dir.file("junk.npy");
  FILE* f = std::fopen(junk.c_str(), "w");
  std::fputs("not numpy", f);
  std::fclose(f);
  auto r = test::run_cli("info " + junk);
  EXPECT_EQ(r.exit_code, 2) << "not a .npy or .sinr: the wrong file given";
  EXPECT_NE(r.output.find("seisinr: reading " + junk), std::string::npos) << r.output;
}

TEST(Cli, SynthWritesFamiliesAndInfoDescribesThem) {
  test::TempDir dir;
  auto r = test::run_cli("synth --out " + dir.file("d") + " --count 4 --seed 3 --size 30x20");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* fam : {"FlatVel", "CurveVel", "FlatFault", "CurveFault", "Style"}) {
    io::MapStack m = io::read_velocity_npy(dir.file(std::string("d/") + fam + ".npy"));
    EXPECT_EQ(m.n, 4);
    EXPECT_EQ(m.h, 30);
    EXPECT_EQ(m.w, 20);
  }
  r = test::run_cli("info " + dir.file("d/FlatVel.npy"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("4 maps of 30x20"), std::string::npos) << r.output;
  r = test::run_cli("info --json " + dir.file("d/Style.npy"));
  EXPECT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j[0]["family"], "Style");
}

TEST(Cli, InfoDescribesSinrFiles) {
  test::TempDir dir;
  codec::SinrFile f;
  f.meta = {{"kind", "test"}};
  std::vector<float> v(6, 1.0f);
  f.sections.push_back(codec::make_float_section("decoder.layer0.weight", {2, 3}, v.data()));
  codec::write_sinr(dir.file("m.sinr"), f);
  auto r = test::run_cli("info " + dir.file("m.sinr"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("decoder.layer0.weight"), std::string::npos);
  EXPECT_NE(r.output.find("2x3"), std::string::npos);
}

TEST(Cli, PaperPresetIsThePapersTable2) {
  auto r = test::run_cli("train --preset paper --print-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto c = nlohmann::json::parse(r.output);
  // Liu, Luo and Xiong (2026), Tables 1 and 2.
  EXPECT_EQ(c["model"]["latent_dim"], 256);
  EXPECT_EQ(c["model"]["hidden"], 512);
  EXPECT_EQ(c["model"]["layers"], 4);
  EXPECT_EQ(c["model"]["omega0"], 30.0);
  EXPECT_EQ(c["model"]["activation"], "sine");
  EXPECT_EQ(c["model"]["first_layer_init"], "paper");
  EXPECT_EQ(c["lr"], 2e-4);
  EXPECT_EQ(c["latent_lr"], 2e-4);
  EXPECT_EQ(c["batch"], 32);
  EXPECT_EQ(c["points"], 0) << "all 4,900 points of each map per step";
  EXPECT_EQ(c["epochs"], 3000);
  EXPECT_EQ(c["lambda"], 1e-4);
  EXPECT_EQ(c["latent_init_std"], 0.01);
  EXPECT_EQ(c["plateau_patience"], 50);
  EXPECT_EQ(c["plateau_factor"], 0.5);
  EXPECT_EQ(c["amp"], true);
  EXPECT_EQ(c["optimizer"]["name"], "Adam");
}

TEST(Cli, TrainOverridesAndRefusals) {
  auto r = test::run_cli("train --preset small --epochs 7 --no-amp --hidden 64 --print-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto c = nlohmann::json::parse(r.output);
  EXPECT_EQ(c["epochs"], 7);
  EXPECT_EQ(c["amp"], false);
  EXPECT_EQ(c["amp_activations"], "bf16") << "the preset's, unused without amp";
  EXPECT_EQ(c["model"]["hidden"], 64);
  EXPECT_EQ(c["points"], 490) << "the rest stays the preset's";
  r = test::run_cli("train --preset small --amp-activations float32 --print-config");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(nlohmann::json::parse(r.output)["amp_activations"], "float32");
  EXPECT_EQ(test::run_cli("train --preset small --amp-activations fp16 --print-config").exit_code, 2);
  EXPECT_EQ(test::run_cli("train --preset huge --print-config").exit_code, 2);
  r = test::run_cli("train --preset tiny --latent-dim 0 --print-config");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("latent_dim must be at least 1"), std::string::npos) << r.output;
  EXPECT_EQ(test::run_cli("train --preset tiny --out x").exit_code, 2) << "--data is required";
  test::TempDir dir;
  EXPECT_EQ(test::run_cli("train --data x.npy --out " + dir.file("r") + " --resume --force").exit_code, 2);
  EXPECT_EQ(test::run_cli("train --data x.npy --out " + dir.file("r") + " --resume --lr 0.1").exit_code, 2);
}

TEST(Cli, TrainEndToEnd) {
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 3 --size 16x16 --families FlatVel Style").exit_code, 0);
  auto r = test::run_cli("train --data " + dir.file("d") + " --out " + dir.file("run") +
                         " --preset tiny --epochs 3 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* f : {"config.json", "log.jsonl", "checkpoint.sinr", "model.sinr"})
    EXPECT_TRUE(std::filesystem::exists(dir.file(std::string("run/") + f))) << f;
  EXPECT_NE(r.output.find("epoch 3/3"), std::string::npos) << r.output;
  r = test::run_cli("train --data " + dir.file("d") + " --out " + dir.file("run") + " --preset tiny --epochs 3");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("is not empty"), std::string::npos) << r.output;
  r = test::run_cli("train --data " + dir.file("d") + " --out " + dir.file("run") + " --resume --epochs 5 --threads 1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("epochs 3..5"), std::string::npos) << r.output;
}

TEST(Cli, ForwardWritesOpenFwiShapedGathersAndRefusesBadInput) {
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 2 --size 20x24 --families FlatVel").exit_code, 0);
  {
    std::ofstream(dir.file("survey.json")) << R"({"nt": 120, "boundary": 20, "sources": [[1, 2], [1, 20]], "receivers": [[1, 0], [1, 5], [1, 23]]})";
  }
  auto r = test::run_cli("forward --velocity " + dir.file("d/FlatVel.npy") + " --acquisition " + dir.file("survey.json") + " --out " +
                         dir.file("g.npy") + " --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const io::NpyArray g = io::read_npy(dir.file("g.npy"));
  EXPECT_EQ(g.shape, (std::vector<std::int64_t>{2, 2, 120, 3}));
  r = test::run_cli("forward --velocity " + dir.file("d/FlatVel.npy") + " --acquisition openfwi --out " + dir.file("o.npy") + " --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(io::read_npy(dir.file("o.npy")).shape, (std::vector<std::int64_t>{2, 5, 1000, 24})) << "OpenFWI's survey by name";
  // Nothing written when the survey leaves the grid, is unstable (exit 2, the JSON named), or a map holds a zero.
  {
    std::ofstream(dir.file("outside.json")) << R"({"sources": [[1, 40]]})";
    std::ofstream(dir.file("unstable.json")) << R"({"dt": 0.01})";
  }
  for (const auto& [survey, says] : std::vector<std::pair<std::string, std::string>>{
           {"outside.json", "outside.json: sources[0] at (z 1, x 40) is outside the 20x24 model"}, {"unstable.json", "unstable.json: unstable"}}) {
    r = test::run_cli("forward --velocity " + dir.file("d/FlatVel.npy") + " --acquisition " + dir.file(survey) + " --out " + dir.file("x.npy"));
    EXPECT_EQ(r.exit_code, 2) << r.output;  // a survey is settings: usage, naming the JSON
    EXPECT_NE(r.output.find(says), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
  }
  // The boundary: a JSON survey without "boundary" gets the 20-cell C-PML, --boundary replaces
  // the survey's, and the gathers do not depend on the thread count (maps and shots in parallel).
  {
    std::ofstream(dir.file("plain.json")) << R"({"nt": 120, "sources": [[1, 2], [1, 20]], "receivers": [[1, 0], [1, 5], [1, 23]]})";
    std::ofstream(dir.file("cpml.json")) << R"({"nt": 120, "boundary": {"kind": "cpml", "width": 20}, "sources": [[1, 2], [1, 20]], "receivers": [[1, 0], [1, 5], [1, 23]]})";
  }
  for (const auto& [args, out] : std::vector<std::pair<std::string, std::string>>{
           {"--acquisition " + dir.file("plain.json") + " --threads 1", "p1.npy"},
           {"--acquisition " + dir.file("plain.json") + " --threads 2", "p2.npy"},
           {"--acquisition " + dir.file("cpml.json") + " --threads 2", "c.npy"},
           {"--acquisition " + dir.file("survey.json") + " --boundary cpml:20 --threads 2", "s.npy"},
           {"--acquisition " + dir.file("plain.json") + " --boundary damping:20 --threads 2", "d.npy"}}) {
    r = test::run_cli("forward --velocity " + dir.file("d/FlatVel.npy") + " " + args + " --out " + dir.file(out));
    ASSERT_EQ(r.exit_code, 0) << args << "\n" << r.output;
  }
  const auto values = [&](const char* f) { return io::read_npy(dir.file(f)).values; };
  EXPECT_EQ(values("p1.npy"), values("p2.npy")) << "the thread count changed the gathers";
  EXPECT_EQ(values("p1.npy"), values("c.npy")) << "a JSON survey without \"boundary\" is the 20-cell C-PML";
  EXPECT_EQ(values("p1.npy"), values("s.npy")) << "--boundary replaces the survey's damping layer";
  EXPECT_EQ(values("g.npy"), values("d.npy")) << "--boundary damping:20 is the survey's \"boundary\": 20";
  EXPECT_NE(values("g.npy"), values("p1.npy")) << "the C-PML and the damping layer differ";
  for (const std::string bad : {"pml", "cpml:1", "cpml:x", "damping:20000", "cpml:"}) {
    r = test::run_cli("forward --velocity " + dir.file("d/FlatVel.npy") + " --boundary " + bad + " --out " + dir.file("x.npy"));
    EXPECT_EQ(r.exit_code, 2) << bad << "\n" << r.output;
    EXPECT_NE(r.output.find("--boundary"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
  }
  io::MapStack m = io::read_velocity_npy(dir.file("d/FlatVel.npy"));
  m.map(1)[3 * 24 + 4] = -5;
  io::write_velocity_npy(dir.file("neg.npy"), m);
  r = test::run_cli("forward --velocity " + dir.file("neg.npy") + " --out " + dir.file("x.npy"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("neg.npy: map 1 has velocity -5"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("z=3, x=4"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
}


// `seisinr invert`: the data's shape is checked against the survey before any work, the bad
// starts and missing inputs are refused naming what is wrong, nothing is written on refusal;
// a run writes the maps and one log line per gradient evaluation plus one per map.
TEST(Cli, InvertChecksItsInputsAndWritesMapsAndALog) {
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 2 --size 16x20 --families FlatVel").exit_code, 0);
  {
    std::ofstream(dir.file("survey.json")) << R"({"nt": 200, "boundary": 15, "sources": [[1, 3], [1, 16]], "receivers": [[1, 0], [1, 5], [1, 10], [1, 15], [1, 19]]})";
    std::ofstream(dir.file("longer.json")) << R"({"nt": 300, "boundary": 15, "sources": [[1, 3], [1, 16]], "receivers": [[1, 0], [1, 5], [1, 10], [1, 15], [1, 19]]})";
    std::ofstream(dir.file("outside.json")) << R"({"nt": 200, "boundary": 15, "sources": [[1, 3], [1, 40]], "receivers": [[1, 0], [1, 5], [1, 10], [1, 15], [1, 19]]})";
    std::ofstream(dir.file("unstable.json")) << R"({"nt": 200, "dt": 0.004, "boundary": 15, "sources": [[1, 3], [1, 16]], "receivers": [[1, 0], [1, 5], [1, 10], [1, 15], [1, 19]]})";
  }
  const std::string truth = dir.file("d/FlatVel.npy"), survey = " --acquisition " + dir.file("survey.json");
  ASSERT_EQ(test::run_cli("forward --velocity " + truth + survey + " --out " + dir.file("g.npy") + " --threads 1").exit_code, 0);
  const std::string base = "invert --data " + dir.file("g.npy") + " --truth " + truth + " --out " + dir.file("v.npy") + " --threads 2";
  struct Bad {
    std::string args, says;
  };
  io::MapStack neg = io::read_velocity_npy(truth);
  neg.map(0)[5] = 0;
  io::write_velocity_npy(dir.file("zero.npy"), neg);
  for (const Bad& b : std::vector<Bad>{
           {" --acquisition " + dir.file("longer.json") + " --space grid --init smooth:3",
            "g.npy: shot gathers of shape (2, 2, 200, 5) do not match the survey: expected (N, 2 sources, 300 time samples, 5 receivers)"},
           {" --space grid --init smooth:3", "for a 16x20 grid (OpenFWI's survey); the grid is --truth "},  // 5 sources, 1,000 samples, 20 receivers
           {survey + " --space latent --init smooth:3", "--space latent needs --model"},
           {survey + " --space grid --init mean", "--init mean needs --model"},
           {survey + " --space grid --init smooth:x", "needs a positive SIGMA"},
           {survey + " --space grid --init " + dir.file("zero.npy"), "zero.npy: map 0 has velocity 0"},
       }) {
    const auto r = test::run_cli(base + b.args);
    EXPECT_EQ(r.exit_code, 1) << b.args << "\n" << r.output;
    EXPECT_NE(r.output.find(b.says), std::string::npos) << b.args << "\n" << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.file("v.npy"))) << b.args;
    EXPECT_FALSE(std::filesystem::exists(dir.file("v.log.jsonl"))) << b.args;
  }
  // Settings no run can use: usage errors (exit 2) before any file is read (issue 27).
  for (const Bad& b : std::vector<Bad>{
           {survey + " --space grid --init smooth:3 --vmin 5000 --vmax 1000", "need 0 < vmin < vmax"},
           {survey + " --space grid --init smooth:3 --iters 0", "--iters 0: give at least 1"},
           // a survey is settings too: its errors name the JSON and exit 2
           {" --acquisition " + dir.file("outside.json") + " --space grid --init smooth:3", "outside.json: sources[1] at (z 1, x 40) is outside the 16x20 model"},
           {" --acquisition " + dir.file("unstable.json") + " --space grid --init smooth:3", "unstable.json: unstable"},
           {survey + " --space grid --init smooth:3 --vmin nan", "--vmin: 'nan' is not a finite number"},
           {survey + " --space grid --init smooth:3 --lr inf", "--lr: 'inf' is not a finite number"},
           {survey + " --space grid --init smooth:3 --noise-snr nan", "--noise-snr: not a finite number"},
       }) {
    const auto t0 = std::chrono::steady_clock::now();
    const auto r = test::run_cli(base + b.args);
    EXPECT_EQ(r.exit_code, 2) << b.args << "\n" << r.output;
    EXPECT_NE(r.output.find(b.says), std::string::npos) << b.args << "\n" << r.output;
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 5.0) << b.args;
    EXPECT_FALSE(std::filesystem::exists(dir.file("v.npy"))) << b.args;
  }
  const auto r = test::run_cli(base + survey + " --space grid --init smooth:3 --iters 3");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(io::read_npy(dir.file("v.npy")).shape, (std::vector<std::int64_t>{2, 1, 16, 20}));
  std::ifstream log(dir.file("v.log.jsonl"));
  int iterations = 0, finals = 0;
  for (std::string line; std::getline(log, line);) {
    const auto j = nlohmann::json::parse(line);
    EXPECT_TRUE(j.contains("psnr") && j.contains("ssim") && j.contains("misfit")) << line;
    (j.value("final", false) ? finals : iterations)++;
  }
  EXPECT_EQ(iterations, 6);
  EXPECT_EQ(finals, 2);
  EXPECT_NE(r.output.find("map 1: misfit"), std::string::npos) << r.output;
  // The C-PML (gathers made with it, inverted with it) through the adjoint of wave/cpml.h; a bad
  // --boundary is a usage error before any work.
  ASSERT_EQ(test::run_cli("forward --velocity " + truth + survey + " --boundary cpml --out " + dir.file("gc.npy")).exit_code, 0);
  const std::string cpml = "invert --data " + dir.file("gc.npy") + " --truth " + truth + survey + " --space grid --init smooth:3 --threads 2";
  auto rc = test::run_cli(cpml + " --boundary cpml --iters 3 --out " + dir.file("c.npy"));
  ASSERT_EQ(rc.exit_code, 0) << rc.output;
  std::ifstream clog(dir.file("c.log.jsonl"));
  double first = -1, last = -1;
  for (std::string line; std::getline(clog, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j.value("map", -1) != 0 || j.value("final", false)) continue;
    if (first < 0) first = j["misfit"].get<double>();
    last = j["misfit"].get<double>();
  }
  EXPECT_GT(first, 0);
  EXPECT_LT(last, first) << "the misfit falls with the C-PML's gradient";
  rc = test::run_cli(cpml + " --iters 3 --boundary cpml:0 --out " + dir.file("x.npy"));
  EXPECT_EQ(rc.exit_code, 2) << rc.output;
  EXPECT_NE(rc.output.find("--boundary: the width after ':' must be a whole number of cells from 2 to 10,000, got '0'"), std::string::npos) << rc.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
}

// Latent space from the CLI: a tiny model trained on the maps, the mean start, noise added.
TEST(Cli, InvertInTheLatentSpaceOfATrainedModel) {
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 4 --size 16x20 --families FlatVel").exit_code, 0);
  auto r = test::run_cli("train --data " + dir.file("d") + " --out " + dir.file("run") + " --preset tiny --epochs 5 --holdout 0 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  {
    std::ofstream(dir.file("survey.json")) << R"({"nt": 200, "boundary": 15, "sources": [[1, 3], [1, 16]], "receivers": [[1, 0], [1, 5], [1, 10], [1, 15], [1, 19]]})";
  }
  const std::string survey = " --acquisition " + dir.file("survey.json");
  ASSERT_EQ(test::run_cli("forward --velocity " + dir.file("d/FlatVel.npy") + survey + " --out " + dir.file("g.npy")).exit_code, 0);
  r = test::run_cli("invert --data " + dir.file("g.npy") + survey + " --model " + dir.file("run/model.sinr") +
                    " --init mean --iters 2 --noise-snr 10 --out " + dir.file("v.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(io::read_npy(dir.file("v.npy")).shape, (std::vector<std::int64_t>{4, 1, 16, 20}));
  // nearest: the decoded trained map whose gathers fit best (one forward solve per trained map).
  r = test::run_cli("invert --data " + dir.file("g.npy") + survey + " --model " + dir.file("run/model.sinr") +
                    " --init nearest --space grid --iters 1 --truth " + dir.file("d/FlatVel.npy") + " --out " + dir.file("n.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("nearest of 4 trained maps"), std::string::npos) << r.output;
  for (const std::string& line : {std::string("map 0: misfit"), std::string("map 3: misfit")}) EXPECT_NE(r.output.find(line), std::string::npos);
  r = test::run_cli("invert --data " + dir.file("g.npy") + survey + " --model " + dir.file("run/model.sinr") +
                    " --init mean --family CurveVel --iters 1 --out " + dir.file("w.npy"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("no trained maps of family 'CurveVel'"), std::string::npos) << r.output;
  // --uncertainty (issue 29): the posterior's mean, standard deviation and samples beside --out,
  // its figures in the log; requests it cannot serve are usage errors that write nothing.
  const std::string unc = "invert --data " + dir.file("g.npy") + survey + " --model " + dir.file("run/model.sinr") + " --init mean --iters 2";
  r = test::run_cli(unc + " --uncertainty laplace --rank 2 --samples 3 --noise-snr 10 --sigma snr --out " + dir.file("u.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(io::read_npy(dir.file("u.std.npy")).shape, (std::vector<std::int64_t>{4, 1, 16, 20}));
  EXPECT_EQ(io::read_npy(dir.file("u.mean.npy")).shape, (std::vector<std::int64_t>{4, 1, 16, 20}));
  EXPECT_EQ(io::read_npy(dir.file("u.samples.npy")).shape, (std::vector<std::int64_t>{4, 3, 16, 20}));
  for (float x : io::read_npy(dir.file("u.std.npy")).values) EXPECT_TRUE(std::isfinite(x) && x >= 0);
  {
    std::ifstream log(dir.file("u.log.jsonl"));
    std::string line, last;
    while (std::getline(log, line)) last = line;
    const nlohmann::json j = nlohmann::json::parse(last);
    EXPECT_EQ(j.at("uncertainty").at("method"), "laplace");
    EXPECT_EQ(j.at("uncertainty").at("sample_misfits").size(), 3u);
    EXPECT_GT(j.at("uncertainty").at("sigma").get<double>(), 0);
  }
  // report draws the posterior's mean, standard deviation and |error| side by side; a posterior
  // whose maps do not match the truth is refused before any work.
  r = test::run_cli("report --threads 1 --encode-steps 5 --model " + dir.file("run/model.sinr") + " --data " + dir.file("d/FlatVel.npy") +
                    " --posterior " + dir.file("u.npy") + " --out " + dir.file("rep"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  {
    std::ifstream in(dir.file("rep/index.html"));
    const std::string html((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(html.find("Posterior of an inversion"), std::string::npos);
    EXPECT_NE(html.find("% inside 90%"), std::string::npos);
    EXPECT_TRUE(std::filesystem::exists(dir.file("rep/posterior_3_sd.png")));
  }
  {
    io::MapStack two = io::read_velocity_npy(dir.file("d/FlatVel.npy"));
    two.n = 2, two.values.resize(two.map_size() * 2);
    io::write_velocity_npy(dir.file("two.npy"), two);
  }
  r = test::run_cli("report --threads 1 --model " + dir.file("run/model.sinr") + " --data " + dir.file("two.npy") + " --posterior " +
                    dir.file("u.npy") + " --out " + dir.file("rep2"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("the --data maps (the truth) are 2 of 16x20"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("rep2")));
  for (const auto& [args, says] : std::vector<std::pair<std::string, std::string>>{
           {" --uncertainty laplace --space grid", "--space latent"},
           {" --uncertainty laplace --sigma snr", "--noise-snr"},
           {" --uncertainty ensemble --members 1", "--members"},
           {" --uncertainty laplace --samples 0", "--samples"},
           {" --uncertainty laplace --sigma -1", "--sigma"},
           {" --uncertainty mcmc", "--uncertainty"}}) {
    r = test::run_cli(unc + args + " --out " + dir.file("x.npy"));
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(says), std::string::npos) << args << "\n" << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.std.npy")));
  }
}

// `seisinr sample` (issue 29): new maps of a family at any grid, reproducible by seed; a family
// the model does not hold and a count below 1 are usage errors that write nothing.
TEST(Cli, SampleDrawsNewMapsOfAFamily) {
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 6 --size 16x20 --families FlatVel FlatFault").exit_code, 0);
  auto r = test::run_cli("train --data " + dir.file("d") + " --out " + dir.file("run") + " --preset tiny --epochs 3 --holdout 0 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string base = "sample --model " + dir.file("run/model.sinr") + " --family FlatFault --threads 1";
  r = test::run_cli(base + " --count 3 --seed 4 --out " + dir.file("a.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("3 FlatFault maps of 16x20 drawn (seed 4)"), std::string::npos) << r.output;
  ASSERT_EQ(test::run_cli(base + " --count 3 --seed 4 --out " + dir.file("b.npy")).exit_code, 0);
  ASSERT_EQ(test::run_cli(base + " --count 3 --seed 5 --out " + dir.file("c.npy")).exit_code, 0);
  const io::NpyArray a = io::read_npy(dir.file("a.npy"));
  EXPECT_EQ(a.shape, (std::vector<std::int64_t>{3, 1, 16, 20}));
  EXPECT_EQ(a.values, io::read_npy(dir.file("b.npy")).values) << "the same seed draws the same maps";
  EXPECT_NE(a.values, io::read_npy(dir.file("c.npy")).values);
  for (float v : a.values) EXPECT_TRUE(std::isfinite(v) && v > 0);
  r = test::run_cli(base + " --count 2 --resolution 32x40 --out " + dir.file("big.npy"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(io::read_npy(dir.file("big.npy")).shape, (std::vector<std::int64_t>{2, 1, 32, 40}));
  // The default is the kernel density at bandwidth 0.5; the Gaussian draws other maps from the same seed.
  ASSERT_EQ(test::run_cli(base + " --count 3 --seed 4 --density kernel --bandwidth 0.5 --out " + dir.file("k.npy")).exit_code, 0);
  EXPECT_EQ(a.values, io::read_npy(dir.file("k.npy")).values);
  ASSERT_EQ(test::run_cli(base + " --count 3 --seed 4 --density gaussian --out " + dir.file("g.npy")).exit_code, 0);
  EXPECT_NE(a.values, io::read_npy(dir.file("g.npy")).values);
  for (const auto& [args, says] : std::vector<std::pair<std::string, std::string>>{
           {" --count 0", "--count"}, {" --count -2", "--count"}, {" --density flow", "--density"}, {" --bandwidth 0", "--bandwidth"},
           {" --bandwidth nan", "--bandwidth"}}) {
    r = test::run_cli(base + args + " --out " + dir.file("x.npy"));
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_NE(r.output.find(says), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
  }
  r = test::run_cli("sample --model " + dir.file("run/model.sinr") + " --family CurveVel --out " + dir.file("x.npy"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no trained maps of family 'CurveVel' (it holds: "), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.npy")));
}

}  // namespace
}  // namespace seisinr
