// tests/test_compress.cpp — compress → decompress round trips: the error bound on every value
// (faults included), exact integers, byte accounting that adds up, shared decoders found by
// hash and refused when they differ, corrupted latents refused, encoding's stopping rule and
// starting codes.
#include <torch/types.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "seisinr/codec/dataset_file.h"
#include "seisinr/compress/compress.h"
#include "seisinr/data/synth.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/seisinr.h"
#include "seisinr/encode/encoder.h"
#include "seisinr/train/trainer.h"
#include "test_util.h"

namespace seisinr::compress {
namespace {

namespace fs = std::filesystem;

data::Dataset write_and_load(const test::TempDir& dir, const std::string& tag, std::uint64_t seed, std::int64_t count) {
  std::vector<data::DataSpec> specs;
  for (auto f : {data::Family::curve_fault, data::Family::curve_vel}) {
    const std::string path = dir.file(tag + "_" + data::family_name(f) + ".npy");
    io::write_velocity_npy(path, data::synthesize(f, count, seed, {24, 24}));
    specs.push_back({path, data::family_name(f)});
  }
  return data::load_dataset(specs);
}

// Two tiny decoders trained once for the whole file (a few seconds each).
struct Models {
  test::TempDir dir;
  data::Dataset train_maps, new_maps;
  std::string model, other;
  Models() {
    train_maps = write_and_load(dir, "train", 1, 8);
    new_maps = write_and_load(dir, "new", 2, 4);
    train::TrainOptions o = train::preset("tiny");
    o.epochs = 60;
    o.threads = 1;
    o.holdout = 0;
    std::ostringstream sink;
    for (int k = 0; k < 2; ++k) {
      train::RunOptions r;
      r.dir = dir.file(k == 0 ? "run" : "run_other");
      r.log = &sink;
      o.seed = 10 + k;
      (k == 0 ? model : other) = train::train(train_maps, o, r).model_path;
    }
  }
};

Models& models() {
  static Models m;
  return m;
}

CompressOptions shared(const std::string& model, double max_error, int bits = 8) {
  CompressOptions c;
  c.model = model;
  c.max_error = max_error;
  c.latent_bits = bits;
  c.threads = 1;
  c.encode.steps = 30;
  return c;
}

double max_abs_diff(const io::MapStack& a, const io::MapStack& b) {
  EXPECT_EQ(a.values.size(), b.values.size());
  double m = 0;
  for (std::size_t i = 0; i < a.values.size(); ++i) m = std::max(m, std::fabs(static_cast<double>(a.values[i]) - b.values[i]));
  return m;
}

TEST(Compress, BoundHoldsOnEveryValueOnTheNeuralPath) {
  Models& m = models();
  test::TempDir dir;
  for (double e : {0.3, 2.0, 25.0}) {
    CompressOptions c = shared(m.model, e);
    c.fallback = false;  // every map through the decoder's prediction
    const std::string out = dir.file("n.sinr");
    const nlohmann::json s = compress(m.new_maps, c, out);
    EXPECT_EQ(s["paths"]["neural"].get<std::int64_t>(), m.new_maps.size());
    EXPECT_EQ(s["encoded_maps"].get<std::int64_t>(), m.new_maps.size());
    DecompressOptions d;
    d.model = m.model;
    d.threads = 2;  // another thread count than the compressor's: the prediction must not change
    const io::MapStack back = decompress(out, d);
    const double worst = max_abs_diff(back, m.new_maps.maps);
    EXPECT_LE(worst, e) << "E = " << e;
    EXPECT_GT(worst, 0.0);
  }
}

TEST(Compress, BoundHoldsOnRealFaultMaps) {
  const std::string fault = std::string(SEISINR_OPENFWI_DIR) + "/FaultA_200.npy";
  if (!fs::exists(fault)) GTEST_SKIP() << "real OpenFWI maps not found at " << SEISINR_OPENFWI_DIR;
  Models& m = models();
  test::TempDir dir;
  // Six real FaultA maps (70×70, smoothed near the faults, not integer-valued), coded through the
  // decoder's prediction and through the fallback paths.
  io::MapStack all = io::read_velocity_npy(fault);
  io::MapStack six = all;
  six.n = 6;
  six.values.resize(static_cast<std::size_t>(6 * all.h * all.w));
  io::write_velocity_npy(dir.file("fault6.npy"), six);
  const data::Dataset ds = data::load_dataset({{dir.file("fault6.npy"), "Fault"}});
  DecompressOptions d;
  d.model = m.model;
  for (bool fallback : {false, true}) {
    CompressOptions c = shared(m.model, 1.0);
    c.fallback = fallback;
    compress(ds, c, dir.file("f.sinr"));
    const double worst = max_abs_diff(decompress(dir.file("f.sinr"), d), ds.maps);
    EXPECT_LE(worst, 1.0);
    EXPECT_GT(worst, 0.5) << "the bound should be used, not met by accident";
  }
}

TEST(Compress, IntegerMapsBelowHalfComeBackExactlyAndFallbackPathsKeepTheBound) {
  Models& m = models();
  test::TempDir dir;
  // Round the maps to integers (CurveVel is piecewise constant; CurveFault is smoothed at faults).
  data::Dataset ints = m.new_maps;
  for (auto& v : ints.maps.values) v = std::nearbyint(v);
  const std::string out = dir.file("i.sinr");
  DecompressOptions d;
  d.model = m.model;
  CompressOptions exact = shared(m.model, 0.49);
  exact.fallback = false;
  compress(ints, exact, out);
  const io::MapStack back = decompress(out, d);
  EXPECT_EQ(back.values, ints.maps.values);
  // With fallback, paths may differ per map; the bound holds whichever is taken.
  const nlohmann::json s = compress(m.new_maps, shared(m.model, 1.0), out);
  EXPECT_LE(max_abs_diff(decompress(out, d), m.new_maps.maps), 1.0);
  std::int64_t total = 0;
  for (const auto& [k, v] : s["paths"].items()) total += v.get<std::int64_t>();
  EXPECT_EQ(total, m.new_maps.size());
}

TEST(Compress, ByteCountsAddUpInInfo) {
  Models& m = models();
  test::TempDir dir;
  const std::string out = dir.file("b.sinr");
  compress(m.new_maps, shared(m.model, 1.0), out);
  const test::RunResult r = test::run_cli("info --json " + out);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto acc = nlohmann::json::parse(r.output)[0]["byte_account"];
  const std::uint64_t parts = acc["header"].get<std::uint64_t>() + acc["decoder"].get<std::uint64_t>() +
                              acc["latents"].get<std::uint64_t>() + acc["tables"].get<std::uint64_t>() +
                              acc["residuals"].get<std::uint64_t>();
  EXPECT_EQ(parts, fs::file_size(out));
  EXPECT_EQ(acc["decoder"].get<std::uint64_t>(), 0u) << "a shared decoder is referenced, not stored";
  double sum = 0, residuals = 0;
  for (const auto& p : acc["per_map"]) {
    sum += p["total"].get<double>();
    residuals += p["residual"].get<double>();
  }
  EXPECT_NEAR(sum, static_cast<double>(fs::file_size(out)), 1e-6);
  EXPECT_EQ(residuals, acc["residuals"].get<double>());
  const test::RunResult text = test::run_cli("info " + out);
  EXPECT_NE(text.output.find("bytes: " + std::to_string(fs::file_size(out)) + " total"), std::string::npos) << text.output;
}

TEST(Compress, SharedDecoderIsFoundByHashAndAnotherIsRefused) {
  Models& m = models();
  test::TempDir dir;
  const std::string out = dir.file("s.sinr");
  compress(m.new_maps, shared(m.model, 0), out);
  // Not in the file's folder and not given: a clear refusal naming the hash and where it looked.
  DecompressOptions none;
  EXPECT_ERROR_CONTAINS(decompress(out, none), "no decoder with hash");
  DecompressOptions wrong;
  wrong.model = m.other;
  EXPECT_ERROR_CONTAINS(decompress(out, wrong), "decoder mismatch: the file was compressed with decoder");
  const test::RunResult r = test::run_cli("decompress " + out + " --out " + dir.file("x.npy") + " --model " + m.other);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("decoder mismatch"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir.file("x.npy")));
  // Given, or found beside the file: the same maps.
  DecompressOptions given;
  given.model = m.model;
  const io::MapStack a = decompress(out, given);
  fs::copy_file(m.model, dir.file("decoder.sinr"));
  const io::MapStack b = decompress(out, none);
  EXPECT_EQ(a.values, b.values);
  // Without a bound, the codes decode at any resolution.
  DecompressOptions big = given;
  big.height = 48, big.width = 48;
  EXPECT_EQ(decompress(out, big).h, 48);
}

// The public API's file form (decompress and decode FILE on the command line) writes what
// decompress returns; a window needs a tiled model, and nothing is written when it is refused.
TEST(Compress, DecompressToFileWritesTheDecodedMaps) {
  Models& m = models();
  test::TempDir dir;
  const std::string out = dir.file("s.sinr");
  compress(m.new_maps, shared(m.model, 5), out);
  DecompressOptions given;
  given.model = m.model;
  const io::MapStack want = decompress(out, given);
  const io::MapStack wrote = seisinr::decompress_to_file(out, dir.file("back.npy"), given);
  EXPECT_EQ(wrote.values, want.values);
  EXPECT_EQ(io::read_velocity_npy(dir.file("back.npy")).values, want.values);
  EXPECT_ERROR_CONTAINS(seisinr::decompress_to_file(out, dir.file("w.npy"), given, seisinr::Window{}), "--window takes a tiled model");
  EXPECT_FALSE(fs::exists(dir.file("w.npy")));
  EXPECT_EQ(seisinr::default_decompress_output(out), dir.file("s.decompressed.npy"));
}

TEST(Compress, CorruptedLatentsAreRefused) {
  Models& m = models();
  test::TempDir dir;
  const std::string out = dir.file("c.sinr");
  CompressOptions c = shared(m.model, 1.0, 8);
  c.fallback = false;
  compress(m.new_maps, c, out);
  // A flipped byte in the stored latent section fails its checksum.
  {
    codec::SinrFile f = codec::read_sinr(out);
    std::vector<char> bytes(fs::file_size(out));
    std::ifstream(out, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    const auto j = nlohmann::json::parse(std::string(bytes.data() + 32, f.header_bytes));
    for (const auto& s : j["sections"])
      if (s["name"] == "latent.codes") bytes[s["offset"].get<std::size_t>()] ^= 0x5a;
    std::ofstream(dir.file("flip.sinr"), std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    DecompressOptions d;
    d.model = m.model;
    EXPECT_ERROR_CONTAINS(decompress(dir.file("flip.sinr"), d), "checksum mismatch");
  }
  // Codes changed and every checksum rewritten: the prediction check catches it.
  {
    codec::SinrFile f = codec::read_sinr(out);
    codec::CompressedDataset ds = codec::dataset_from_sinr(f, out);
    ASSERT_GT(ds.latent_count, 0);
    for (auto& c : ds.latent_codes) c = static_cast<std::uint16_t>(255 - c);
    codec::write_sinr(dir.file("edit.sinr"), codec::to_sinr(ds));
    DecompressOptions d;
    d.model = m.model;
    EXPECT_ERROR_CONTAINS(decompress(dir.file("edit.sinr"), d), "prediction differs from the compressor's");
  }
  // A bounded file decompresses at its own grid only, unless asked for the codes alone.
  DecompressOptions other;
  other.model = m.model;
  other.height = 30, other.width = 30;
  EXPECT_ERROR_CONTAINS(decompress(out, other), "holds on the stored 24x24 grid only");
}

TEST(Compress, TrainsAndEmbedsADecoderWhenNoneIsGiven) {
  Models& m = models();
  test::TempDir dir;
  CompressOptions c;
  c.latent_bits = 6;
  c.max_error = 3.0;
  c.threads = 1;
  c.preset = "tiny";
  c.epochs = 10;
  c.run_dir = dir.file("run");
  const std::string out = dir.file("e.sinr");
  const nlohmann::json s = compress(m.train_maps, c, out);
  EXPECT_EQ(s["encoded_maps"].get<std::int64_t>(), 0) << "every map was trained on";
  EXPECT_GT(s["bytes"]["decoder"].get<std::int64_t>(), 0);
  // Decompressed alone, in another folder: nothing else needed.
  test::TempDir elsewhere;
  fs::copy_file(out, elsewhere.file("e.sinr"));
  EXPECT_LE(max_abs_diff(decompress(elsewhere.file("e.sinr"), {}), m.train_maps.maps), 3.0);
}

TEST(Encoder, TargetPsnrStopsEarlyAndNearestStartsAtTheMatchingCode) {
  Models& m = models();
  const model::LoadedModel lm = model::load_model(m.model);
  // Targets that are exactly what trained codes 2 and 5 decode to.
  const torch::Tensor rows = torch::tensor({2, 5}, torch::kLong);
  model::DecodeOptions dopt;
  dopt.height = 24, dopt.width = 24;
  const io::MapStack dec = model::decode_maps(*lm.decoder, lm.latents.index_select(0, rows), dopt);
  torch::Tensor targets = torch::from_blob(const_cast<float*>(dec.values.data()), {2, 24 * 24}).clone();
  targets = (targets - lm.vmin) * (2.0 / (lm.vmax - lm.vmin)) - 1.0;
  const torch::Tensor start = encode::initial_codes(*lm.decoder, lm.latents, targets, 24, 24, encode::EncodeInit::nearest);
  EXPECT_TRUE(torch::equal(start, lm.latents.index_select(0, rows)));
  encode::EncodeOptions o;
  o.steps = 200;
  o.target_psnr = 30;
  o.check_every = 10;
  std::vector<std::int64_t> used;
  const torch::Tensor z = encode::encode_maps(*lm.decoder, targets, 24, 24, start, o, &used);
  // Starting at the answer, the first check already finds the target reached and keeps the code.
  EXPECT_EQ(used, (std::vector<std::int64_t>{10, 10}));
  o.target_psnr = 0;
  std::vector<std::int64_t> all;
  encode::encode_maps(*lm.decoder, targets, 24, 24, start, o, &all);
  EXPECT_EQ(all, (std::vector<std::int64_t>{200, 200}));
  EXPECT_ERROR_CONTAINS(parse_name<encode::EncodeInit>("median"), "init must be auto, project, mean, zero or nearest, got 'median'");
}

TEST(CompressCli, RoundTripWritesNothingOnBadInput) {
  Models& m = models();
  test::TempDir dir;
  const std::string data = m.new_maps.file[0];
  test::RunResult r = test::run_cli("compress --data " + data + " --model " + m.model + " --out " + dir.file("a.sinr") +
                                    " --max-error 2 --latent-bits 8 --encode-steps 20 --threads 1 --json " + dir.file("a.json"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("B/map"), std::string::npos);
  r = test::run_cli("decompress " + dir.file("a.sinr") + " --out " + dir.file("a.npy") + " --model " + m.model);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const io::MapStack back = io::read_velocity_npy(dir.file("a.npy"));
  const io::MapStack orig = io::read_velocity_npy(data);
  EXPECT_LE(max_abs_diff(back, orig), 2.0);
  r = test::run_cli("compress --data " + data + " --model " + m.model + " --out " + dir.file("b.sinr") + " --latent-bits 20");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("--latent-bits must be 1 to 16, or 32"), std::string::npos) << r.output;
  r = test::run_cli("compress --data " + data + " --model " + m.model + " --out " + dir.file("b.sinr") + " --max-error 1e-13");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.output.find("too small"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(dir.file("b.sinr")));
  r = test::run_cli("encode --model " + m.model + " --data " + data + " --out " + dir.file("z.sinr") + " --encode-steps 20 --threads 1");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("4 encoded"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace seisinr::compress
