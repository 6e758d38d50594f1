// tests/test_portable_decoder.cpp — the bit-reproducible decoder computes the function libtorch
// computes, for every activation, at any grid.
#include <torch/torch.h>

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
  EXPECT_LT(worst, 2e-5 * std::max(1.0, scale)) << o.activation << " " << h << "x" << w;
}

TEST(PortableDecoder, MatchesTorchForSine) {
  SirenOptions o;
  o.latent_dim = 8, o.hidden = 48, o.layers = 3, o.first_layer_init = "coord_half";
  expect_same_function(o, 13, 9);
  o.first_layer_init = "paper";
  expect_same_function(o, 5, 70);
}

TEST(PortableDecoder, MatchesTorchForReluAndFourierFeatures) {
  SirenOptions o;
  o.latent_dim = 6, o.hidden = 32, o.layers = 2, o.activation = "relu";
  expect_same_function(o, 11, 7);
  o.activation = "relu_ff", o.fourier_features = 16, o.fourier_scale = 3.0;
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
