// tests/test_codes.cpp — the grid code and the linear path (model/siren.h): the decoder against a
// NumPy reference written from the equations, the bit-reproducible decoder, the least-squares
// starts (encode/code_init.h), model files, encoding and exact resume with the new options.
#include <torch/types.h>
#include <torch/utils.h>  // manual_seed

#include <cmath>
#include <fstream>

#include "seisinr/data/dataset.h"
#include "seisinr/data/synth.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/io/npy.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/portable_decoder.h"
#include "seisinr/model/siren.h"
#include "seisinr/encode/code_init.h"
#include "seisinr/encode/encoder.h"
#include "seisinr/train/trainer.h"
#include "test_util.h"

namespace seisinr::model {
namespace {

SirenOptions grid_options() {
  SirenOptions o;
  o.latent_dim = 32, o.code = CodeKind::kGrid, o.code_grid = 4;  // 2 channels on 4×4 nodes
  o.hidden = 16, o.layers = 2, o.first_layer_init = seisinr::model::FirstLayerInit::coord_half;
  o.linear_path = true, o.basis_height = 5, o.basis_width = 6;
  return o;
}

SirenOptions global_linear_options() {
  SirenOptions o;
  o.latent_dim = 6, o.hidden = 16, o.layers = 2, o.first_layer_init = seisinr::model::FirstLayerInit::coord_half;
  o.linear_path = true, o.basis_height = 5, o.basis_width = 6;
  return o;
}

// The linear path refined by the convolutional refiner (model/refiner.h), with or without the
// SIREN; odd basis sizes, so the refiner's strided levels and resizes meet uneven edges.
SirenOptions refined_options(bool siren) {
  SirenOptions o = global_linear_options();
  o.basis_height = 9, o.basis_width = 11;
  o.refiner = RefinerKind::kConv, o.refiner_width = 2, o.siren = siren;
  return o;
}

// A decoder whose linear path and refiner hold random values (not their start, where the
// refiner's last layer is zero), so every term matters.
SirenDecoder random_decoder(const SirenOptions& o) {
  SirenDecoder dec(o, 7);
  torch::manual_seed(3);
  for (auto& [name, t] : dec.named_parameters())
    if (name.rfind("linear.", 0) == 0 || name.rfind("refiner.", 0) == 0) dec.set(name, torch::randn(t.sizes()) * 0.3);
  return dec;
}

void expect_matches_numpy(const SirenOptions& o) {
  test::TempDir dir;
  SirenDecoder dec = random_decoder(o);
  torch::manual_seed(5);
  const torch::Tensor z = torch::randn({3, o.latent_dim}) * 0.5;
  save_model(dir.file("m.sinr"), dec, z, {{"normalisation", {{"vmin", 1500}, {"vmax", 4500}}}, {"grid", {{"height", 5}, {"width", 6}}}});
  const std::int64_t h = 7, w = 9;  // another grid than the lattice's and the basis's
  auto py = test::run_command(std::string(SEISINR_PYTHON) + " " SEISINR_SOURCE_DIR "/tests/py/reference_decode.py " + dir.file("m.sinr") +
                              " " + std::to_string(h) + " " + std::to_string(w) + " " + dir.file("ref.npy"));
  ASSERT_EQ(py.exit_code, 0) << py.output;
  io::NpyArray ref = io::read_npy(dir.file("ref.npy"));
  ASSERT_EQ(ref.shape, (std::vector<std::int64_t>{3, h, w}));
  const torch::Tensor out = dec.forward(make_grid(h, w), z).detach().contiguous();
  const torch::Tensor expected = torch::from_blob(ref.values.data(), {3, h * w}, torch::kFloat);
  EXPECT_GT(expected.abs().max().item<double>(), 0.1) << "the reference should be non-trivial";
  EXPECT_LT((out - expected).abs().max().item<double>(), 1e-4) << code_kind_name(o.code);
  // The per-point sampled form (B, P, 2) gives the same values as the shared grid.
  const torch::Tensor per_map = dec.forward(make_grid(h, w).unsqueeze(0).expand({3, h * w, 2}).contiguous(), z).detach();
  EXPECT_LT((per_map - out).abs().max().item<double>(), 1e-5);
  // And the concatenated (unsplit) first layer.
  if (o.refiner != RefinerKind::kNone) return;
  EXPECT_LT((dec.forward_concat(make_grid(h, w), z).detach() - out).abs().max().item<double>(), 1e-5);
}

void expect_refined_matches_numpy(const SirenOptions& o) {
  expect_matches_numpy(o);
  // Decoding by fields (how the trainer feeds cross-fitted maps) is the same function.
  if (o.siren) return;
  SirenDecoder dec = random_decoder(o);
  const torch::Tensor z = torch::randn({2, o.latent_dim});
  const torch::Tensor g = make_grid(13, 7);
  EXPECT_LT((dec.forward_fields(g, dec.linear_fields(z)) - dec.forward(g, z)).abs().max().item<double>(), 1e-6);
}

TEST(Codes, GridCodeDecoderMatchesANumpyReference) { expect_matches_numpy(grid_options()); }
TEST(Codes, LinearPathDecoderMatchesANumpyReference) { expect_matches_numpy(global_linear_options()); }
TEST(Codes, RefinedDecoderMatchesANumpyReference) { expect_refined_matches_numpy(refined_options(false)); }
TEST(Codes, RefinedDecoderWithSirenMatchesANumpyReference) { expect_refined_matches_numpy(refined_options(true)); }

// At its start (last layer zero) the refiner passes the linear path through unchanged.
TEST(Codes, RefinerStartsAsTheIdentity) {
  SirenOptions o = refined_options(false);
  SirenDecoder dec(o, 3);
  torch::manual_seed(1);
  for (auto& [name, t] : dec.named_parameters())
    if (name.rfind("linear.", 0) == 0) dec.set(name, torch::randn(t.sizes()));
  const torch::Tensor z = torch::randn({2, o.latent_dim});
  const torch::Tensor g = make_grid(9, 11);
  EXPECT_LT((dec.forward(g, z) - dec.linear_fields(z).reshape({2, -1})).abs().max().item<double>(), 1e-5);
}

TEST(Codes, PortableDecoderComputesTheSameFunction) {
  for (const SirenOptions& o : {grid_options(), global_linear_options(), refined_options(false), refined_options(true)}) {
    SirenDecoder dec = random_decoder(o);
    codec::SinrFile f;
    f.meta["model"] = o;
    add_decoder_sections(f, dec);
    const PortableDecoder pd = PortableDecoder::from_sinr(f, "mem");
    torch::manual_seed(9);
    const torch::Tensor z = torch::randn({2, o.latent_dim}) * 0.5;
    for (auto [h, w] : {std::pair<std::int64_t, std::int64_t>{11, 13}, {5, 6}, {70, 70}}) {
      const torch::Tensor ref = dec.forward(make_grid(h, w), z).detach();
      for (std::int64_t i = 0; i < 2; ++i) {
        std::vector<float> out(static_cast<std::size_t>(h * w));
        pd.decode(z[i].contiguous().data_ptr<float>(), h, w, out.data());
        const torch::Tensor got = torch::from_blob(out.data(), {h * w}, torch::kFloat);
        EXPECT_LT((got - ref[i]).abs().max().item<double>(), 2e-5) << code_kind_name(o.code) << " " << h << "x" << w;
      }
    }
  }
}

TEST(Codes, OptionsAreCheckedAndRoundTripThroughJson) {
  SirenOptions o = grid_options();
  nlohmann::json j = o;
  EXPECT_EQ(j["code"], "grid");
  SirenOptions back = j.get<SirenOptions>();
  EXPECT_EQ(back.code, CodeKind::kGrid);
  EXPECT_EQ(back.code_grid, 4);
  EXPECT_TRUE(back.linear_path);
  EXPECT_EQ(back.basis_width, 6);
  j["code"] = "local";
  EXPECT_ERROR_CONTAINS((void)j.get<SirenOptions>(), "code must be global or grid, got 'local'");
  o.code_grid = 5;  // 32 is not a multiple of 25
  EXPECT_ERROR_CONTAINS(o.validate(), "not a multiple of code_grid");
  SirenOptions l = global_linear_options();
  l.basis_height = l.basis_width = 0;
  EXPECT_ERROR_CONTAINS(SirenDecoder(l, 1), "linear path without a basis grid");
  SirenOptions r = refined_options(false);
  j = r;
  EXPECT_EQ(j["refiner"], "conv");
  EXPECT_EQ(j["siren"], false);
  back = j.get<SirenOptions>();
  EXPECT_EQ(back.refiner, RefinerKind::kConv);
  EXPECT_EQ(back.refiner_width, 2);
  EXPECT_FALSE(back.siren);
  j["refiner"] = "unet";
  EXPECT_ERROR_CONTAINS((void)j.get<SirenOptions>(), "refiner must be none or conv, got 'unet'");
  r.linear_path = false;
  EXPECT_ERROR_CONTAINS(r.validate(), "refiner conv needs the global code with a linear path");
  r = refined_options(false);
  r.refiner_width = 0;
  EXPECT_ERROR_CONTAINS(r.validate(), "refiner_width must be in [1, 256]");
  r = global_linear_options();
  r.siren = false;
  EXPECT_ERROR_CONTAINS(r.validate(), "without the SIREN network needs a refiner");
}

TEST(Codes, ModelFileRoundTripKeepsTheCodeKind) {
  test::TempDir dir;
  for (const SirenOptions& o : {grid_options(), global_linear_options(), refined_options(false)}) {
    SirenDecoder dec = random_decoder(o);
    const torch::Tensor z = torch::randn({4, o.latent_dim});
    save_model(dir.file("m.sinr"), dec, z, {{"normalisation", {{"vmin", 1500}, {"vmax", 4500}}}, {"grid", {{"height", 8}, {"width", 8}}}});
    LoadedModel m = load_model(dir.file("m.sinr"));
    EXPECT_EQ(m.decoder->options().code, o.code);
    EXPECT_EQ(m.decoder->options().linear_path, true);
    EXPECT_EQ(m.decoder->options().refiner, o.refiner);
    EXPECT_EQ(m.decoder->options().siren, o.siren);
    const torch::Tensor g = make_grid(8, 8);
    EXPECT_TRUE(torch::equal(m.decoder->forward(g, m.latents).detach(), dec.forward(g, z).detach()));
  }
}

// Maps that are exactly mean + a rank-r combination: the PCA start reproduces them (r ≤ d).
TEST(Codes, LinearStartIsThePcaOfTheTrainedMaps) {
  SirenOptions o = global_linear_options();
  o.basis_height = 6, o.basis_width = 7;
  SirenDecoder dec(o, 1);
  torch::manual_seed(2);
  const std::int64_t p = 42, n = 20, r = 4;
  const torch::Tensor maps = torch::rand({p}) - 0.5 + torch::mm(torch::randn({n, r}), torch::randn({r, p})) * 0.2;
  const torch::Tensor codes = encode::init_codes_linear(dec, maps, 6, 7);
  ASSERT_EQ(codes.sizes(), (std::vector<std::int64_t>{n, o.latent_dim}));
  const torch::Tensor out = dec.forward(make_grid(6, 7), codes).detach();
  EXPECT_LT((out - maps).abs().max().item<double>(), 1e-4) << "the network's part must start at zero";
  // Components past the data's rank get zero codes.
  EXPECT_EQ(codes.narrow(1, r, o.latent_dim - r).abs().max().item<double>(), 0.0);
  // The projection start of a map in the same span reproduces it.
  const torch::Tensor again = encode::project_codes(dec, maps.narrow(0, 0, 3), 6, 7);
  EXPECT_LT((dec.forward(make_grid(6, 7), again).detach() - maps.narrow(0, 0, 3)).abs().max().item<double>(), 1e-4);
}

// The grid start is the least-squares lattice: a map that is itself bilinear in the lattice's
// nodes comes back exactly.
TEST(Codes, GridStartFitsTheLatticeByLeastSquares) {
  SirenOptions o = grid_options();
  o.basis_height = 10, o.basis_width = 10;
  SirenDecoder dec(o, 1);
  torch::manual_seed(4);
  const std::int64_t g = o.code_grid;
  const torch::Tensor nodes = torch::randn({3, 1, g, g});
  const torch::Tensor maps = sample_fields(nodes, make_grid(10, 10).unsqueeze(0).expand({3, 100, 2}).contiguous()).select(2, 0);
  const torch::Tensor codes = encode::init_codes_linear(dec, maps, 10, 10);
  EXPECT_LT((codes.narrow(1, 0, g * g) - nodes.reshape({3, g * g})).abs().max().item<double>(), 1e-4);
  EXPECT_LT((dec.forward(make_grid(10, 10), codes).detach() - maps).abs().max().item<double>(), 1e-4);
}

// Cross-fitting (encode/code_init.h): a map is reconstructed from the other folds' PCA alone.
// Maps in a common rank-r span (r < d, every fold spanning it) come back exactly; a map with a
// direction of its own does not, though its in-sample projection would hold it.
TEST(Codes, CrossFittedFieldsUseOnlyTheOtherFolds) {
  torch::manual_seed(6);
  const std::int64_t p = 30, n = 24, r = 3, d = 8;
  torch::Tensor maps = torch::rand({p}) + torch::mm(torch::randn({n, r}), torch::randn({r, p})) * 0.5;
  torch::Tensor cross = encode::cross_fitted_fields(maps, d, 4, 11);
  EXPECT_LT((cross - maps).abs().max().item<double>(), 1e-4);
  torch::Tensor odd = maps.clone();
  odd[5] += torch::randn({p});  // a direction no other map has
  cross = encode::cross_fitted_fields(odd, d, 4, 11);
  EXPECT_GT((cross[5] - odd[5]).abs().max().item<double>(), 0.1);
  EXPECT_LT((cross[6] - odd[6]).abs().max().item<double>(), 0.5) << "other maps are barely affected";
  EXPECT_ERROR_CONTAINS(encode::cross_fitted_fields(maps.narrow(0, 0, 3), d, 4, 11), "cannot make 4 folds");
}

}  // namespace
}  // namespace seisinr::model

namespace seisinr::train {
namespace {

data::Dataset make_data(const test::TempDir& dir, std::int64_t n, std::int64_t size) {
  std::vector<data::DataSpec> specs;
  for (auto f : {data::Family::curve_vel, data::Family::flat_fault}) {
    const std::string path = dir.file(data::family_name(f) + ".npy");
    io::write_velocity_npy(path, data::synthesize(f, n, 11, {size, size}));
    specs.push_back({path, ""});
  }
  return data::load_dataset(specs);
}

RunOptions quiet(const std::string& dir) {
  static std::ostringstream sink;
  RunOptions r;
  r.dir = dir;
  r.log = &sink;
  return r;
}

TrainOptions tiny_with(model::CodeKind code) {
  TrainOptions o = preset("tiny");
  o.model.code = code;
  o.model.code_grid = 2;  // d = 16: 4 channels on 2×2 nodes
  o.model.linear_path = true;
  o.code_init = seisinr::train::CodeInit::linear;
  o.warmup_steps = 5;
  o.epochs = 24;
  o.threads = 1;
  o.batch = 3;
  o.points = 50;
  o.checkpoint_every = 8;
  return o;
}

// The recommended preset's kind of decoder at test size: refiner without SIREN, cross-fitted,
// mirrored batches, cosine schedule.
TrainOptions tiny_refined() {
  TrainOptions o = tiny_with(model::CodeKind::kGlobal);
  o.model.refiner = model::RefinerKind::kConv;
  o.model.refiner_width = 2;
  o.model.siren = false;
  o.cross_folds = 2;
  o.flip_x = true;
  o.points = 0;
  o.lr_schedule = seisinr::train::LrSchedule::cosine;
  return o;
}

// The option table (train/option_table.h) reads back what it writes for every preset, and a
// config that changes each setting changes exactly that setting.
TEST(CodesTrain, EveryPresetRoundTripsThroughTheOptionTable) {
  for (const auto& name : preset_names()) {
    const TrainOptions p = preset(name);
    const nlohmann::json j = p;
    EXPECT_EQ(nlohmann::json(j.get<TrainOptions>()), j) << name;
  }
  TrainOptions o = preset("small");
  nlohmann::json j = o;
  j["linear_lr"] = 3e-6;
  j["warmup_steps"] = 7;
  j["code_init"] = "linear";
  j["model"]["linear_path"] = true;
  j["model"]["code"] = "grid";
  const TrainOptions back = j.get<TrainOptions>();
  EXPECT_EQ(back.linear_lr, 3e-6);
  EXPECT_EQ(back.warmup_steps, 7);
  EXPECT_EQ(back.code_init, CodeInit::linear);
  EXPECT_EQ(back.model.code, model::CodeKind::kGrid);
  EXPECT_EQ(back.points, o.points);
  j["warmup_steps"] = "seven";
  EXPECT_ERROR_CONTAINS((void)j.get<TrainOptions>(), "config.warmup_steps");
  TrainOptions r = tiny_refined();
  r.cross_folds = 1;
  EXPECT_ERROR_CONTAINS(r.validate(), "cross_folds must be 0 (off) or at least 2");
  r = tiny_refined();
  r.points = 50;
  EXPECT_ERROR_CONTAINS(r.validate(), "flip_x needs a refiner without the SIREN and all points");
  EXPECT_ERROR_CONTAINS(parse_name<LrSchedule>("step"), "lr_schedule must be plateau or cosine");  // where words enter
  r = tiny_with(model::CodeKind::kGlobal);
  r.cross_folds = 3;
  EXPECT_ERROR_CONTAINS(r.validate(), "cross_folds needs a refiner without the SIREN");
}

TEST(CodesTrain, ResumeReproducesTheUninterruptedRun) {
  for (auto code : {model::CodeKind::kGrid, model::CodeKind::kGlobal}) {
    test::TempDir dir;
    auto data = make_data(dir, 5, 16);
    const TrainOptions o = tiny_with(code);
    train(data, o, quiet(dir.file("a")));
    RunOptions b = quiet(dir.file("b"));
    b.stop_after_epoch = 12;  // the last checkpoint is from epoch 8
    train(data, o, b);
    b.stop_after_epoch = -1;
    b.resume = true;
    train(data, preset("paper"), b);
    EXPECT_EQ(test::log_losses(dir.file("a")), test::log_losses(dir.file("b"))) << model::code_kind_name(code);
    auto ma = model::load_model(dir.file("a/model.sinr")), mb = model::load_model(dir.file("b/model.sinr"));
    EXPECT_EQ(mb.decoder->options().code, code);
    EXPECT_EQ(mb.decoder->options().basis_height, 16);
    EXPECT_TRUE(torch::equal(ma.latents, mb.latents));
    for (std::size_t k = 0; k < ma.decoder->parameters().size(); ++k)
      EXPECT_TRUE(torch::equal(ma.decoder->parameters()[k], mb.decoder->parameters()[k])) << k;
  }
}

// The refined decoder: cross-fitted fields, mirrored batches and the cosine schedule resume bit
// for bit, and training lowers the loss from the PCA start.
TEST(CodesTrain, RefinedResumeReproducesTheUninterruptedRun) {
  test::TempDir dir;
  auto data = make_data(dir, 5, 16);
  const TrainOptions o = tiny_refined();
  train(data, o, quiet(dir.file("a")));
  RunOptions b = quiet(dir.file("b"));
  b.stop_after_epoch = 12;
  train(data, o, b);
  b.stop_after_epoch = -1;
  b.resume = true;
  train(data, preset("paper"), b);
  const auto la = test::log_losses(dir.file("a"));
  EXPECT_EQ(la, test::log_losses(dir.file("b")));
  EXPECT_LT(la.back(), la.front());
  auto ma = model::load_model(dir.file("a/model.sinr")), mb = model::load_model(dir.file("b/model.sinr"));
  EXPECT_EQ(mb.decoder->options().refiner, model::RefinerKind::kConv);
  EXPECT_FALSE(mb.decoder->options().siren);
  EXPECT_TRUE(torch::equal(ma.latents, mb.latents));
  for (std::size_t k = 0; k < ma.decoder->parameters().size(); ++k)
    EXPECT_TRUE(torch::equal(ma.decoder->parameters()[k], mb.decoder->parameters()[k])) << k;
}

// The linear start is where training begins: the first epoch's loss is at most the PCA
// reconstruction's, and a random start's first epoch is far worse.
TEST(CodesTrain, LinearStartBeginsAtThePcaReconstruction) {
  test::TempDir dir;
  auto data = make_data(dir, 8, 16);
  TrainOptions o = tiny_with(model::CodeKind::kGlobal);
  o.epochs = 1;
  o.holdout = 0;
  train(data, o, quiet(dir.file("pca")));
  o.code_init = seisinr::train::CodeInit::random;
  train(data, o, quiet(dir.file("random")));
  // 16 maps, d = 16 ≥ rank of the centred maps (15): PCA is exact, so the loss is the tiny
  // drift of one warm-up epoch.
  EXPECT_LT(test::log_losses(dir.file("pca"))[0], 1e-3);
  EXPECT_GT(test::log_losses(dir.file("random"))[0], 10 * test::log_losses(dir.file("pca"))[0]);
}

// Held-out maps: the projection start, and encoding never ends worse than its start.
TEST(CodesTrain, EncodeStartsAtTheProjectionAndNeverEndsWorse) {
  for (int kind = 0; kind < 3; ++kind) {
  const auto code = kind == 1 ? model::CodeKind::kGrid : model::CodeKind::kGlobal;
  test::TempDir dir;
  auto data = make_data(dir, 10, 16);
  TrainOptions o = kind == 2 ? tiny_refined() : tiny_with(code);
  o.holdout = 0.3;
  TrainSummary s = train(data, o, quiet(dir.file("run")));
  model::LoadedModel m = model::load_model(s.model_path);
  encode::EncodeOptions e;
  e.steps = 20;
  e.lr = 0.5;  // far too large: its codes decode worse than the projection, which must be kept
  std::vector<std::int64_t> rows;
  torch::Tensor z = encode::codes_for_maps(m, data, e, &rows);
  e.steps = 0;
  torch::Tensor z0 = encode::codes_for_maps(m, data, e);
  const torch::Tensor g = model::make_grid(16, 16);
  const float scale = 2.0f / (m.vmax - m.vmin);
  int held = 0;
  for (std::int64_t i = 0; i < data.size(); ++i) {
    if (rows[static_cast<std::size_t>(i)] >= 0) continue;
    ++held;
    const torch::Tensor t = (torch::from_blob(const_cast<float*>(data.maps.map(i)), {256}, torch::kFloat) - m.vmin) * scale - 1.0;
    const double fitted = (m.decoder->forward(g, z.narrow(0, i, 1)).detach()[0] - t).pow(2).mean().item<double>();
    const double start = (m.decoder->forward(g, z0.narrow(0, i, 1)).detach()[0] - t).pow(2).mean().item<double>();
    EXPECT_LE(fitted, start * (1 + 1e-6)) << "map " << i << " " << model::code_kind_name(code);
  }
  EXPECT_EQ(held, 6);
  }
}

}  // namespace
}  // namespace seisinr::train
