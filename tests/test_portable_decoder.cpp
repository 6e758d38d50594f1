// tests/test_portable_decoder.cpp — the bit-reproducible decoder computes the function libtorch
// computes, for every activation, at any grid.
#include <torch/types.h>
#include <torch/utils.h>  // manual_seed

#include "seisinr/model/fast_sine.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/portable_decoder.h"
#include "seisinr/model/siren.h"
#include "test_util.h"

namespace seisinr::model {
namespace {

void expect_same_function(SirenOptions o, std::int64_t h, std::int64_t w) {
  SirenDecoder dec(o, 11);
  codec::SinrFile f;
  f.meta["model"] = o;
  add_decoder_sections(f, dec);
  const PortableDecoder pd = PortableDecoder::from_sinr(f, "mem");
  const torch::Tensor z = torch::randn({3, o.latent_dim}) * 0.5;
  const torch::Tensor ref = dec.forward(make_grid(h, w), z).detach();
  double worst = 0, scale = 0;
  for (std::int64_t i = 0; i < 3; ++i) {
    std::vector<float> out(static_cast<std::size_t>(h * w));
    pd.decode(z[i].contiguous().data_ptr<float>(), h, w, out.data());
    for (std::int64_t p = 0; p < h * w; ++p) {
      worst = std::max(worst, std::fabs(static_cast<double>(out[p]) - ref[i][p].item<double>()));
      scale = std::max(scale, std::fabs(ref[i][p].item<double>()));
    }
    // Deterministic: a second decode gives the same bits.
    std::vector<float> again(out.size());
    pd.decode(z[i].contiguous().data_ptr<float>(), h, w, again.data());
    ASSERT_EQ(0, std::memcmp(out.data(), again.data(), out.size() * sizeof(float)));
  }
  EXPECT_GT(scale, 1e-3) << "the test decoder should produce non-trivial output";
  // float32 with another summation order: differences of a few ulps per layer.
  EXPECT_LT(worst, 2e-5 * std::max(1.0, scale)) << name_of(o.activation) << " " << h << "x" << w;
}

TEST(PortableDecoder, MatchesTorchForSine) {
  SirenOptions o;
  o.latent_dim = 8, o.hidden = 48, o.layers = 3, o.first_layer_init = seisinr::model::FirstLayerInit::coord_half;
  expect_same_function(o, 13, 9);
  o.first_layer_init = seisinr::model::FirstLayerInit::paper;
  expect_same_function(o, 5, 70);
}

// decode_at (tiled models' off-grid samples): the torch function at arbitrary coordinates, for the
// global and the grid code with a linear path whose fields are not zero.
void expect_same_at(SirenOptions o) {
  o.linear_path = true, o.basis_height = 9, o.basis_width = 7;
  SirenDecoder dec(o, 5);
  torch::manual_seed(3);
  dec.set("linear.mean", torch::randn({9, 7}) * 0.3);
  if (o.code == CodeKind::kGrid)
    dec.set("linear.readout", torch::randn({o.code_features()}) * 0.3);
  else
    dec.set("linear.basis", torch::randn({o.latent_dim, 9, 7}) * 0.3);
  codec::SinrFile f;
  f.meta["model"] = o;
  add_decoder_sections(f, dec);
  const PortableDecoder pd = PortableDecoder::from_sinr(f, "mem");
  const std::vector<double> zn = {-1, -0.73, -0.2, 0.11, 0.5, 0.999, 1}, xn = {-1, -0.4, 0.05, 0.6, 1};
  torch::Tensor coords = torch::empty({static_cast<std::int64_t>(zn.size() * xn.size()), 2});
  for (std::size_t r = 0; r < zn.size(); ++r)
    for (std::size_t q = 0; q < xn.size(); ++q) {
      coords[static_cast<std::int64_t>(r * xn.size() + q)][0] = static_cast<float>(xn[q]);
      coords[static_cast<std::int64_t>(r * xn.size() + q)][1] = static_cast<float>(zn[r]);
    }
  const torch::Tensor z = torch::randn({1, o.latent_dim}) * 0.5;
  const torch::Tensor ref = dec.forward(coords, z).detach();
  std::vector<float> out(zn.size() * xn.size());
  pd.decode_at(z.contiguous().data_ptr<float>(), zn, xn, out.data());
  double worst = 0, scale = 0;
  for (std::size_t p = 0; p < out.size(); ++p) {
    worst = std::max(worst, std::fabs(static_cast<double>(out[p]) - ref[0][static_cast<std::int64_t>(p)].item<double>()));
    scale = std::max(scale, std::fabs(ref[0][static_cast<std::int64_t>(p)].item<double>()));
  }
  EXPECT_GT(scale, 1e-3);
  EXPECT_LT(worst, 2e-5 * std::max(1.0, scale)) << code_kind_name(o.code);
  // On decode()'s own linspace grid the two agree.
  std::vector<double> zl, xl;
  for (int i = 0; i < 6; ++i) zl.push_back(-1.0 + 2.0 * i / 5);
  for (int j = 0; j < 4; ++j) xl.push_back(-1.0 + 2.0 * j / 3);
  std::vector<float> a(24), b(24);
  pd.decode_at(z.contiguous().data_ptr<float>(), zl, xl, a.data());
  pd.decode(z.contiguous().data_ptr<float>(), 6, 4, b.data());
  for (int p = 0; p < 24; ++p) EXPECT_NEAR(a[p], b[p], 1e-6);
}

TEST(PortableDecoder, DecodeAtMatchesTorchOffTheGrid) {
  SirenOptions o;
  o.latent_dim = 8, o.hidden = 32, o.layers = 2, o.first_layer_init = seisinr::model::FirstLayerInit::coord_half;
  expect_same_at(o);
  o.code = CodeKind::kGrid, o.code_grid = 2;  // C = 8 / 4 = 2 channels on 2 x 2 nodes
  expect_same_at(o);
}

TEST(PortableDecoder, MatchesTorchForReluAndFourierFeatures) {
  SirenOptions o;
  o.latent_dim = 6, o.hidden = 32, o.layers = 2, o.activation = seisinr::model::Activation::relu;
  expect_same_function(o, 11, 7);
  o.activation = seisinr::model::Activation::relu_ff, o.fourier_features = 16, o.fourier_scale = 3.0;
  expect_same_function(o, 11, 7);
}

TEST(FastSine, WithinThreeTenMillionthsOfTheCLibrary) {
  double worst = 0;
  for (double x = -1000.0; x <= 1000.0; x += 0.000731) {
    const float f = static_cast<float>(x);
    worst = std::max(worst, std::fabs(fast_sin(f) - std::sin(static_cast<double>(f))));
    worst = std::max(worst, std::fabs(fast_cos(f) - std::cos(static_cast<double>(f))));
  }
  EXPECT_LT(worst, 3e-7);
  EXPECT_GT(worst, 0.0);
}

TEST(PortableDecoder, RefusesMissingOrMisshapenSections) {
  SirenOptions o;
  o.latent_dim = 4, o.hidden = 8, o.layers = 1;
  SirenDecoder dec(o, 1);
  codec::SinrFile f;
  f.meta["model"] = o;
  add_decoder_sections(f, dec);
  codec::SinrFile missing = f;
  missing.sections.pop_back();
  EXPECT_ERROR_CONTAINS(PortableDecoder::from_sinr(missing, "m.sinr"), "m.sinr: missing section 'decoder.out.bias'");
  codec::SinrFile wrong = f;
  wrong.meta["model"]["hidden"] = 9;
  EXPECT_ERROR_CONTAINS(PortableDecoder::from_sinr(wrong, "m.sinr"), "has shape [8, 2], expected [9, 2]");
  codec::SinrFile none;
  EXPECT_ERROR_CONTAINS(PortableDecoder::from_sinr(none, "m.sinr"), "no 'model' object");
}

}  // namespace
}  // namespace seisinr::model
