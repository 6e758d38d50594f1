// tests/test_model.cpp — the decoder: init ranges, split == concatenated (outputs and
// gradients), bf16 against float32, decoding at any resolution, model files.
#include <torch/csrc/autograd/autograd.h>

#include <cmath>
#include <fstream>
#include <regex>
#include <sstream>

#include "seisinr/model/decode.h"
#include "seisinr/model/decoder_tensors.h"
#include "seisinr/model/latent_table.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/siren.h"
#include "seisinr/model/sine_kernels.h"
#include "test_util.h"

namespace seisinr::model {
namespace {

SirenOptions small_arch(const std::string& init = "paper") {
  SirenOptions o;
  o.latent_dim = 64;
  o.hidden = 96;
  o.layers = 3;
  o.first_layer_init = parse_name<FirstLayerInit>(init);
  return o;
}

double max_abs(const torch::Tensor& t) { return t.abs().max().item<double>(); }

// The table of decoder tensors (decoder_tensors.h) is what the libtorch decoder holds, name for
// name and shape for shape, in file order, for every kind of decoder; and docs/sinr-format.md lists
// each name (hidden.K and refiner.NAME as such).
TEST(DecoderTensors, TableMatchesTheDecoderAndTheDocs) {
  std::vector<SirenOptions> kinds(5, small_arch());
  kinds[1].code = CodeKind::kGrid, kinds[1].code_grid = 4, kinds[1].linear_path = true;
  kinds[2].linear_path = true;
  kinds[3].linear_path = true, kinds[3].refiner = RefinerKind::kConv, kinds[3].siren = false, kinds[3].refiner_width = 2;
  kinds[4].activation = Activation::relu_ff, kinds[4].fourier_features = 8;
  std::ifstream doc(std::string(SEISINR_SOURCE_DIR) + "/docs/sinr-format.md");
  std::stringstream text;
  text << doc.rdbuf();
  ASSERT_FALSE(text.str().empty());
  for (SirenOptions o : kinds) {
    if (o.linear_path) o.basis_height = 6, o.basis_width = 5;
    const SirenDecoder d(o, 3);
    std::vector<DecoderTensor> held;
    for (const auto& [name, t] : d.named_parameters()) held.push_back({name, t.sizes().vec(), false});
    for (const auto& [name, t] : d.named_buffers()) held.push_back({name, t.sizes().vec(), true});
    const std::vector<DecoderTensor> table = decoder_tensors(o);
    ASSERT_EQ(held.size(), table.size()) << name_of(o.code) << " " << name_of(o.refiner);
    for (std::size_t k = 0; k < held.size(); ++k) {
      EXPECT_EQ(held[k].name, table[k].name) << k;
      EXPECT_EQ(held[k].shape, table[k].shape) << table[k].name;
      EXPECT_EQ(held[k].buffer, table[k].buffer) << table[k].name;
      std::string generic = std::regex_replace(table[k].name, std::regex("^hidden\\.[0-9]+"), "hidden.K");
      generic = std::regex_replace(generic, std::regex("^refiner\\..*\\.(weight|bias)$"), "refiner.NAME.$1");
      EXPECT_NE(text.str().find("`" + generic + "`"), std::string::npos) << generic << " is not in docs/sinr-format.md";
    }
  }
}

TEST(Siren, InitRangesFollowThePaper) {
  SirenOptions o = small_arch();
  SirenDecoder d(o, 1);
  const double d_in = 2 + 64, first = 1.0 / d_in, later = std::sqrt(6.0 / 96) / 30.0;
  for (const auto& [name, t] : d.named_parameters()) {
    const double m = max_abs(t);
    double bound;
    if (name == "first.coord_weight" || name == "first.latent_weight") bound = first;
    else if (name == "first.bias") bound = 1.0 / std::sqrt(d_in);
    else if (name.find("bias") != std::string::npos) bound = 1.0 / std::sqrt(96.0);
    else bound = later;
    EXPECT_LE(m, bound) << name;
    if (t.numel() >= 96) {
      EXPECT_GT(m, 0.9 * bound) << name << " should fill its range";
    }
    // Uniform on [-b, b] has standard deviation b/√3.
    if (t.numel() >= 4000) {
      EXPECT_NEAR(t.std().item<double>(), bound / std::sqrt(3.0), 0.05 * bound) << name;
    }
  }
  SirenDecoder c(small_arch("coord_half"), 1);
  const auto coord = c.named_parameters()[0].second;
  EXPECT_LE(max_abs(coord), 0.5);
  EXPECT_GT(max_abs(coord), 0.4);
  EXPECT_LE(max_abs(c.named_parameters()[1].second), first) << "latent columns keep the paper's init";
}

TEST(Siren, LatentsStartNormalWithStd001) {
  auto z = init_latents(500, 256, 0.01, 3);
  EXPECT_NEAR(z.std().item<double>(), 0.01, 0.0002);
  EXPECT_NEAR(z.mean().item<double>(), 0.0, 0.0002);
  EXPECT_TRUE(torch::equal(z, init_latents(500, 256, 0.01, 3)));
}

TEST(Siren, SameSeedSameDecoder) {
  SirenDecoder a(small_arch(), 7), b(small_arch(), 7), c(small_arch(), 8);
  EXPECT_TRUE(torch::equal(a.parameters()[3], b.parameters()[3]));
  EXPECT_FALSE(torch::equal(a.parameters()[3], c.parameters()[3]));
}

void expect_split_equals_concat(const SirenOptions& o, bool per_map_coords) {
  SirenDecoder d(o, 2);
  auto z = (torch::randn({5, o.latent_dim}) * 0.3).requires_grad_(true);
  torch::Tensor coords = per_map_coords ? torch::rand({5, 37, 2}) * 2 - 1 : make_grid(6, 7);
  auto y1 = d.forward(coords, z);
  auto y2 = d.forward_concat(coords, z);
  ASSERT_EQ(y1.sizes(), y2.sizes());
  EXPECT_LT(max_abs(y1 - y2), 1e-5);
  auto g1 = torch::autograd::grad({y1.pow(2).sum()}, {z, d.parameters()[0], d.parameters()[1], d.parameters()[3]});
  auto g2 = torch::autograd::grad({y2.pow(2).sum()}, {z, d.parameters()[0], d.parameters()[1], d.parameters()[3]});
  for (std::size_t k = 0; k < g1.size(); ++k)
    EXPECT_LT(max_abs(g1[k] - g2[k]), 1e-4 * (1 + max_abs(g2[k]))) << "gradient " << k;
}

TEST(Siren, SplitFirstLayerEqualsConcatenation) {
  expect_split_equals_concat(small_arch(), false);
  expect_split_equals_concat(small_arch("coord_half"), true);
  SirenOptions relu = small_arch();
  relu.activation = seisinr::model::Activation::relu;
  expect_split_equals_concat(relu, false);
  SirenOptions ff = small_arch();
  ff.activation = seisinr::model::Activation::relu_ff;
  ff.fourier_features = 16;
  expect_split_equals_concat(ff, true);
}

TEST(Siren, Bf16ProductsStayCloseToFloat32) {
  SirenOptions o = small_arch("coord_half");
  SirenDecoder d(o, 3);
  auto z = torch::randn({4, o.latent_dim}) * 0.1;
  auto grid = make_grid(20, 20);
  auto a = d.forward(grid, z), b = d.forward(grid, z, Precision::kBf16Products);
  // bf16 keeps 8 significant bits (relative rounding up to 2^-8); through 3 layers the output error
  // stays at the percent level of the output's spread.
  const double spread = a.std().item<double>();
  EXPECT_LT((a - b).abs().mean().item<double>(), 0.02 * spread);
  EXPECT_GT((a - b).abs().max().item<double>(), 0.0) << "amp must actually change the arithmetic";
}

// Outputs and gradients (decoder parameters and codes) of one loss, fused or plain hidden layers.
std::vector<torch::Tensor> loss_and_grads(SirenDecoder& d, const torch::Tensor& z0, Precision precision, bool fused) {
  d.set_fused(fused);
  torch::Tensor z = z0.clone().set_requires_grad(true);
  auto grid = make_grid(12, 9);
  torch::Tensor out = d.forward(grid, z, precision);
  torch::Tensor loss = (out - 0.3).pow(2).mean();
  std::vector<torch::Tensor> inputs = d.parameters();
  inputs.push_back(z);
  std::vector<torch::Tensor> g = torch::autograd::grad({loss}, inputs);
  g.insert(g.begin(), out.detach());
  return g;
}

TEST(Siren, FusedSineLayerComputesThePlainFunctionAndGradients) {
  SirenOptions o = small_arch("coord_half");
  SirenDecoder d(o, 5);
  const auto z = torch::randn({3, o.latent_dim}) * 0.1;
  for (Precision p : {Precision::kFloat32, Precision::kBf16Products, Precision::kBf16}) {
    const auto plain = loss_and_grads(d, z, p, false), fused = loss_and_grads(d, z, p, true);
    ASSERT_EQ(plain.size(), fused.size());
    for (std::size_t k = 0; k < plain.size(); ++k) {
      const double scale = std::max(1e-12, max_abs(plain[k]));
      // The fused layer's sine differs from libtorch's by < 3e-7 (model/fast_sine.h), and its
      // float32 steps run in another order; in bf16 a changed rounding of an input can flip a
      // bf16 rounding (2^-8 relative) downstream. With bf16 storage the fused layer also rounds
      // ω0 cos(a) to bf16 where the plain path keeps it in float32: one more rounding per layer,
      // so up to 3 · 2^-8 ≈ 1.2% more through the 3 layers' gradients.
      const double tol = p == Precision::kFloat32 ? 1e-4 : p == Precision::kBf16Products ? 1e-2 : 2e-2;
      EXPECT_LT(max_abs(plain[k] - fused[k]) / scale, tol) << "tensor " << k << " (" << precision_name(p) << ")";
    }
  }
  // bf16 storage is a different arithmetic from bf16 products alone, and returns float32.
  const auto products = loss_and_grads(d, z, Precision::kBf16Products, true), stored = loss_and_grads(d, z, Precision::kBf16, true);
  EXPECT_EQ(stored[0].scalar_type(), torch::kFloat);
  EXPECT_GT(max_abs(products[0] - stored[0]), 0.0);
  // And bf16 against float32, both fused: gradients agree to bf16's precision, relative to each
  // tensor's size.
  const auto f32 = loss_and_grads(d, z, Precision::kFloat32, true);
  for (Precision p : {Precision::kBf16Products, Precision::kBf16}) {
    const auto bf = loss_and_grads(d, z, p, true);
    for (std::size_t k = 0; k < f32.size(); ++k) {
      const double rel = (f32[k] - bf[k]).norm().item<double>() / std::max(1e-12, f32[k].norm().item<double>());
      EXPECT_LT(rel, 0.05) << "tensor " << k << " (" << precision_name(p) << ")";
    }
  }
}

TEST(Siren, Bf16RoundingIsLibtorchs) {
  // The kernels (model/sine_kernels.h) round float32 to bfloat16 with codec/half.h; libtorch's
  // conversion is the reference.
  torch::Tensor f = torch::cat({torch::randn({100000}) * 1e3, torch::randn({100000}) * 1e-3, torch::rand({1000}) * 1e38,
                                torch::tensor({0.0f, -0.0f, 1.0f, 1.00390625f, 1.01171875f, INFINITY, -INFINITY})});
  torch::Tensor ref = f.to(torch::kBFloat16);
  const float* fp = f.data_ptr<float>();
  const auto* rp = reinterpret_cast<const std::uint16_t*>(ref.data_ptr<at::BFloat16>());
  for (std::int64_t i = 0; i < f.numel(); ++i) ASSERT_EQ(kernels::float_to_bf16(fp[i]), rp[i]) << fp[i];
}

TEST(Siren, GridSpansTheSameSquareAtEveryResolution) {
  auto g = make_grid(3, 4);
  EXPECT_EQ(g.sizes(), (std::vector<std::int64_t>{12, 2}));
  EXPECT_FLOAT_EQ(g[0][0].item<float>(), -1.0f);  // x of the top-left point
  EXPECT_FLOAT_EQ(g[0][1].item<float>(), -1.0f);  // z of the top-left point
  EXPECT_FLOAT_EQ(g[3][0].item<float>(), 1.0f);   // x runs along the row
  EXPECT_FLOAT_EQ(g[3][1].item<float>(), -1.0f);
  EXPECT_FLOAT_EQ(g[11][1].item<float>(), 1.0f);  // z grows down the rows
}

TEST(Decode, AnyResolutionAndBatchingGiveTheSameValues) {
  SirenOptions o = small_arch("coord_half");
  SirenDecoder d(o, 4);
  auto z = torch::randn({3, o.latent_dim}) * 0.1;
  DecodeOptions a;
  a.height = 9, a.width = 13;
  io::MapStack whole = decode_maps(d, z, a);
  a.max_points_per_batch = 50;  // forces chunks of points within a map
  io::MapStack chunked = decode_maps(d, z, a);
  ASSERT_EQ(whole.values.size(), 3u * 9 * 13);
  for (std::size_t k = 0; k < whole.values.size(); ++k) ASSERT_NEAR(whole.values[k], chunked.values[k], 1e-3);
  // Corners are the same points of the square at any resolution.
  DecodeOptions big = a;
  big.height = 33, big.width = 49;
  io::MapStack fine = decode_maps(d, z, big);
  EXPECT_NEAR(fine.map(1)[0], whole.map(1)[0], 1e-3);
  EXPECT_NEAR(fine.map(1)[33 * 49 - 1], whole.map(1)[9 * 13 - 1], 1e-3);
  // Denormalised: v = (v̂ + 1)(vmax − vmin)/2 + vmin.
  auto raw = d.forward(make_grid(9, 13), z.narrow(0, 0, 1));
  EXPECT_NEAR(whole.map(0)[5], (raw[0][5].item<float>() + 1.0f) * 1500.0f + 1500.0f, 1e-2);
}

TEST(ModelFile, SaveLoadRoundTrip) {
  test::TempDir dir;
  SirenOptions o = small_arch();
  o.activation = seisinr::model::Activation::relu_ff;
  o.fourier_features = 8;
  SirenDecoder d(o, 5);
  auto z = torch::randn({4, o.latent_dim});
  nlohmann::json meta = {{"normalisation", {{"vmin", 1500.0}, {"vmax", 4500.0}}}, {"grid", {{"height", 70}, {"width", 70}}}};
  save_model(dir.file("m.sinr"), d, z, meta);
  LoadedModel m = load_model(dir.file("m.sinr"));
  EXPECT_EQ(m.height, 70);
  EXPECT_TRUE(torch::equal(m.latents, z));
  auto grid = make_grid(5, 5);
  EXPECT_TRUE(torch::equal(m.decoder->forward(grid, z), d.forward(grid, z)));
  codec::SinrFile f = codec::read_sinr(dir.file("m.sinr"));
  f.meta["kind"] = "checkpoint";
  codec::write_sinr(dir.file("c.sinr"), f);
  EXPECT_ERROR_CONTAINS(load_model(dir.file("c.sinr")), "not a model file");
}

}  // namespace
}  // namespace seisinr::model
