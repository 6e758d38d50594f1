// tests/test_residual.cpp — the codec's torch-free parts: latent quantisation, error-bounded
// residual coding (bounds checked on every value), varint/zstd streams against hostile bytes,
// the compressed-dataset container against inconsistent headers, and portable sin/cos against
// the C library.
#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "seisinr/codec/dataset_file.h"
#include "seisinr/codec/quantize.h"
#include "seisinr/codec/residual.h"
#include "seisinr/model/portable_decoder.h"
#include "test_util.h"

namespace seisinr::codec {
namespace {

TEST(Quantize, ErrorIsAtMostHalfAStepPerDimension) {
  std::mt19937 rng(3);
  std::normal_distribution<float> g(0.0f, 0.3f);
  const std::int64_t n = 50, d = 7;
  std::vector<float> z(n * d);
  for (auto& v : z) v = g(rng);
  for (int j = 0; j < n; ++j) z[j * d + 3] = 0.25f;  // a dimension with no spread
  for (int bits : {1, 2, 4, 8, 12, 16}) {
    const LatentQuantizer q = LatentQuantizer::fit(z.data(), n, d, bits);
    const auto codes = q.encode(z.data(), n);
    for (auto c : codes) EXPECT_LE(c, (1u << bits) - 1u);
    const auto back = q.decode(codes.data(), n);
    for (std::int64_t i = 0; i < n; ++i)
      for (std::int64_t j = 0; j < d; ++j)
        EXPECT_LE(std::fabs(back[i * d + j] - z[i * d + j]), q.scale[j] / 2 * (1 + 1e-5) + 1e-7) << "bits " << bits;
    EXPECT_EQ(q.scale[3], 0.0f);
    EXPECT_EQ(back[3], 0.25f);
  }
  EXPECT_ERROR_CONTAINS(LatentQuantizer::fit(z.data(), n, d, 17), "latent bits");
  EXPECT_ERROR_CONTAINS(LatentQuantizer::fit(z.data(), n, d, 0), "latent bits");
  z[5] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_ERROR_CONTAINS(LatentQuantizer::fit(z.data(), n, d, 8), "non-finite");
}

TEST(Residual, EveryValueWithinTheBoundAndIntegersExact) {
  std::mt19937 rng(5);
  std::uniform_real_distribution<float> u(1500.0f, 4500.0f);
  for (double e : {0.02, 0.3, 1.0, 7.5, 50.0}) {
    const double s = residual_step(e);
    std::vector<float> v(4096);
    for (auto& x : v) x = u(rng);
    v[0] = 1500.0f, v[1] = 4500.0f, v[2] = 9999.5f;
    const auto c = quantise_values(v.data(), v.size(), s);
    std::vector<float> out(v.size());
    dequantise_values(c.data(), c.size(), s, false, out.data());
    double worst = 0;
    for (std::size_t i = 0; i < v.size(); ++i) worst = std::max(worst, std::fabs(static_cast<double>(out[i]) - v[i]));
    EXPECT_LE(worst, e) << "E = " << e;
    EXPECT_GT(worst, e * 0.5) << "the step should use the bound, E = " << e;
    // Integer-valued data below E = 0.5 comes back exactly.
    if (e < 0.5) {
      for (auto& x : v) x = std::nearbyint(x);
      const auto ci = quantise_values(v.data(), v.size(), s);
      dequantise_values(ci.data(), ci.size(), s, true, out.data());
      for (std::size_t i = 0; i < v.size(); ++i) ASSERT_EQ(out[i], v[i]);
    }
  }
  EXPECT_ERROR_CONTAINS(residual_step(0), "positive");
  EXPECT_ERROR_CONTAINS(residual_step(-1), "positive");
  const float big = 4000.0f;
  EXPECT_ERROR_CONTAINS(quantise_values(&big, 1, 1e-14), "too small");
}

TEST(Residual, MedPredictorInvertsExactly) {
  std::mt19937 rng(9);
  std::uniform_int_distribution<std::int64_t> u(-1000000, 1000000);
  const std::int64_t h = 17, w = 23;
  std::vector<std::int64_t> c(h * w);
  for (auto& x : c) x = u(rng);
  const auto e = med_residuals(c.data(), h, w);
  EXPECT_EQ(med_reconstruct(e.data(), h, w), c);
  // A map of flat layers leaves nothing but the first column's steps.
  std::vector<std::int64_t> layers(h * w);
  for (std::int64_t i = 0; i < h; ++i)
    for (std::int64_t j = 0; j < w; ++j) layers[i * w + j] = 1000 + 10 * (i / 4);
  const auto el = med_residuals(layers.data(), h, w);
  std::int64_t nonzero = 0;
  for (auto x : el) nonzero += x != 0;
  EXPECT_LE(nonzero, h / 4 + 1);
}

TEST(Residual, IntStreamsRoundTripAndRejectHostileBytes) {
  const std::vector<std::int64_t> v = {0, 1, -1, 63, -64, 64, 1 << 20, -(1LL << 40), std::numeric_limits<std::int64_t>::max(),
                                       std::numeric_limits<std::int64_t>::min()};
  const auto packed = pack_ints(v);
  EXPECT_EQ(unpack_ints(packed.data(), packed.size(), v.size(), "s"), v);
  EXPECT_ERROR_CONTAINS(unpack_ints(packed.data(), packed.size(), v.size() + 1, "stream A"), "stream A: 10 values, expected 11");
  EXPECT_ERROR_CONTAINS(unpack_ints(packed.data(), packed.size(), v.size() - 1, "stream B"), "more than the 9 values");
  EXPECT_ERROR_CONTAINS(unpack_ints(packed.data(), packed.size() / 2, v.size(), "stream C"), "stream C");
  const unsigned char junk[] = {1, 2, 3, 4, 5, 6, 7, 8};
  EXPECT_ERROR_CONTAINS(unpack_ints(junk, sizeof junk, 4, "stream D"), "not a zstd frame");
  // A frame that claims far more than the map can need is refused before it is inflated.
  const std::vector<std::int64_t> many(10000, 5);
  const auto big = pack_ints(many);
  EXPECT_ERROR_CONTAINS(unpack_ints(big.data(), big.size(), 10, "stream E"), "more than the");
  // Eleven continuation bytes: an overlong varint.
  std::vector<std::int64_t> one = {std::numeric_limits<std::int64_t>::min()};
  auto ok = pack_ints(one);
  EXPECT_EQ(unpack_ints(ok.data(), ok.size(), 1, "s"), one);
  const std::vector<float> f = {1.5f, 2500.25f};
  const auto pf = pack_floats(f.data(), f.size());
  EXPECT_EQ(unpack_floats(pf.data(), pf.size(), 2, "f"), f);
  const float nan[2] = {1.0f, std::numeric_limits<float>::infinity()};
  const auto pn = pack_floats(nan, 2);
  EXPECT_ERROR_CONTAINS(unpack_floats(pn.data(), pn.size(), 2, "floats"), "not finite");
}

TEST(Residual, HostileCodesAreRefusedAndNeverOverflow) {
  // Codes a compressor cannot produce (|c| >= 2^50) come only from a corrupt stream.
  const std::vector<std::int64_t> c = {10, std::int64_t{1} << 60};
  float out[2];
  EXPECT_ERROR_CONTAINS(dequantise_values(c.data(), 2, 0.5, false, out, "map 3"), "map 3: value 1 decodes to code");
  // MED over residuals chosen to overflow a + b − c: wrapping arithmetic, no undefined behaviour
  // (the sanitizer build checks this), and the out-of-range codes are then refused.
  const std::int64_t big = std::numeric_limits<std::int64_t>::max();
  const std::vector<std::int64_t> e = {big, big, big, big};
  const auto rec = med_reconstruct(e.data(), 2, 2);
  float o4[4];
  EXPECT_ERROR_CONTAINS(dequantise_values(rec.data(), 4, 1.0, false, o4, "map 0"), "outside the coded range");
}

TEST(PortableSin, MatchesTheCLibraryToFloatPrecision) {
  double worst = 0;
  for (double x = -400.0; x <= 400.0; x += 0.0137) {
    worst = std::max(worst, std::fabs(model::portable_sin(x) - std::sin(x)));
    worst = std::max(worst, std::fabs(model::portable_cos(x) - std::cos(x)));
  }
  EXPECT_LT(worst, 1.0e-7);  // float32 rounding of the result is 6e-8 at most
  EXPECT_TRUE(std::isnan(model::portable_sin(std::numeric_limits<double>::infinity())));
}

CompressedDataset small_dataset() {
  CompressedDataset d;
  d.height = 4, d.width = 5;
  d.families = {"A", "B"};
  d.decoder.model = {{"latent_dim", 3}};
  d.decoder.hash = "0123456789abcdef";
  const std::vector<float> z = {0.1f, -0.2f, 0.3f, 0.5f, 0.0f, -0.1f};
  d.quant = LatentQuantizer::fit(z.data(), 2, 3, 8);
  d.latent_count = 2;
  d.latent_codes = d.quant.encode(z.data(), 2);
  d.max_error = 1.0;
  d.family = {0, 1, 1};
  d.path = {MapPath::neural, MapPath::plain, MapPath::neural};
  d.integer = {1, 0, 0};
  d.check = {7, 0, 9};
  d.residual = {{1, 2, 3}, {4, 5}, {6}};
  return d;
}

TEST(DatasetFile, RoundTripsAndAccountsForEveryByte) {
  test::TempDir dir;
  const CompressedDataset d = small_dataset();
  write_sinr(dir.file("d.sinr"), to_sinr(d));
  const SinrFile f = read_sinr(dir.file("d.sinr"));
  const CompressedDataset b = dataset_from_sinr(f, "d.sinr");
  EXPECT_EQ(b.family, d.family);
  EXPECT_EQ(b.path, d.path);
  EXPECT_EQ(b.integer, d.integer);
  EXPECT_EQ(b.check, d.check);
  EXPECT_EQ(b.residual, d.residual);
  EXPECT_EQ(b.latent_codes, d.latent_codes);
  EXPECT_EQ(b.latent_rows(), (std::vector<std::int64_t>{0, -1, 1}));
  const auto acc = byte_account(f, b);
  const std::uint64_t parts = acc["header"].get<std::uint64_t>() + acc["decoder"].get<std::uint64_t>() +
                              acc["latents"].get<std::uint64_t>() + acc["tables"].get<std::uint64_t>() +
                              acc["residuals"].get<std::uint64_t>();
  EXPECT_EQ(parts, std::filesystem::file_size(dir.file("d.sinr")));
  double per_map = 0;
  for (const auto& m : acc["per_map"]) per_map += m["total"].get<double>();
  EXPECT_NEAR(per_map, static_cast<double>(acc["file"].get<std::uint64_t>()), 1e-6);
  EXPECT_EQ(acc["residuals"].get<std::uint64_t>(), 6u);
}

TEST(DatasetFile, RefusesInconsistentFiles) {
  auto broken = [](auto edit) {
    SinrFile f = to_sinr(small_dataset());
    edit(f);
    return f;
  };
  auto section = [](SinrFile& f, const std::string& name) -> Section& {
    for (auto& s : f.sections)
      if (s.name == name) return s;
    throw std::runtime_error("no section " + name);
  };
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { section(f, "map.path").bytes[1] = 3; }), "x.sinr"),
                        "x.sinr: section 'map.path' holds an unknown path");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { section(f, "map.path").bytes[1] = 0; }), "x.sinr"),
                        "3 maps take the neural path but there are 2 latent codes");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { section(f, "map.family").bytes[0] = 2; }), "x.sinr"),
                        "names a family that is not in meta.families");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { section(f, "map.residual_bytes").bytes[0] = 9; }), "x.sinr"),
                        "does not add up");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { section(f, "latent.codes").shape = {1, 3}; }), "x.sinr"),
                        "section 'latent.codes' has shape [1, 3], expected [2, 3]");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { f.meta["latent"]["bits"] = 4; section(f, "latent.codes").bytes[0] = 200; }), "x.sinr"),
                        "code above 2^bits - 1");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { f.meta["kind"] = "model"; }), "x.sinr"),
                        "not a compressed dataset");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { f.meta["max_error"] = -1; }), "x.sinr"),
                        "meta.max_error");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { f.meta["grid"]["height"] = 1; }), "x.sinr"), "meta.grid");
  EXPECT_ERROR_CONTAINS(dataset_from_sinr(broken([&](SinrFile& f) { f.meta.erase("count"); }), "x.sinr"), "meta.count is missing");
}

}  // namespace
}  // namespace seisinr::codec
