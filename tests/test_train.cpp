// tests/test_train.cpp — the training loop: it learns, it matches a PyTorch reference, resume
// equals an uninterrupted run, damaged checkpoints and bad input are refused, a full disk during
// a checkpoint loses nothing.

#include <torch/cuda.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "seisinr/data/dataset.h"
#include "seisinr/data/synth.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/optim/progress.h"
#include "seisinr/train/trainer.h"
#include "test_util.h"

namespace seisinr::train {
namespace {

// n maps per family of the given families, h×w, written as .npy and loaded as a Dataset.
data::Dataset make_data(const test::TempDir& dir, std::vector<data::Family> families, std::int64_t n, std::int64_t h,
                        std::int64_t w) {
  std::vector<data::DataSpec> specs;
  for (auto f : families) {
    const std::string path = dir.file(data::family_name(f) + ".npy");
    io::write_velocity_npy(path, data::synthesize(f, n, 11, {h, w}));
    specs.push_back({path, ""});
  }
  return data::load_dataset(specs);
}

std::vector<nlohmann::json> read_log(const std::string& dir) {
  std::ifstream in(dir + "/log.jsonl");
  std::vector<nlohmann::json> rows;
  std::string line;
  while (std::getline(in, line)) rows.push_back(nlohmann::json::parse(line));
  return rows;
}

RunOptions quiet(const std::string& dir) {
  static std::ostringstream sink;
  RunOptions r;
  r.dir = dir;
  r.log = &sink;
  return r;
}

TEST(Train, TinyRunLearnsEveryMap) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::flat_vel, data::Family::curve_vel}, 6, 24, 24);
  TrainOptions o = preset("tiny");
  o.holdout = 0;
  o.model.hidden = 64;
  o.epochs = 100;
  o.threads = 1;
  TrainSummary s = train(data, o, quiet(dir.file("run")));
  EXPECT_GE(s.first_loss / s.final_loss, 10.0) << "loss must fall at least 10x";
  model::LoadedModel m = model::load_model(s.model_path);
  model::DecodeOptions d;
  d.height = 24, d.width = 24;
  io::MapStack rec = model::decode_maps(*m.decoder, m.latents, d);
  ASSERT_EQ(rec.n, 12);
  // Bar: every trained map above 20 dB after 100 epochs of a 64-wide, 2-layer decoder.
  for (std::int64_t i = 0; i < rec.n; ++i) {
    const double p = eval::psnr(data.maps.map(i), rec.map(i), rec.map_size());
    EXPECT_GT(p, 20.0) << "map " << i;
  }
  // The model records the split, families and content hashes.
  EXPECT_EQ(m.meta["maps"].size(), 12u);
  EXPECT_EQ(m.meta["maps"][0]["split"], "trained");
  EXPECT_EQ(m.meta["families"], nlohmann::json({"FlatVel", "CurveVel"}));
  EXPECT_EQ(read_log(dir.file("run")).size(), 100u);
}

// On a GPU each read of a value back to the host stalls the queue of kernels: the step makes none
// (sums and per-map errors stay on the device), the epoch one. 6 steps an epoch, 3 epochs.
TEST(Train, StepsReadNothingBackToTheHost) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::flat_vel, data::Family::curve_vel}, 12, 16, 16);
  TrainOptions o = preset("tiny");
  o.holdout = 0;
  o.model.hidden = 16;
  o.batch = 4;
  o.points = 64;  // host-drawn points, uploaded without a wait
  o.epochs = 3;
  o.threads = 1;
  const std::int64_t before = host_reads();
  train(data, o, quiet(dir.file("run")));
  EXPECT_EQ(host_reads() - before, 3);
}

TEST(Train, MatchesAPyTorchReference) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::flat_vel, data::Family::style}, 3, 16, 16);
  TrainOptions o = preset("tiny");
  o.holdout = 0;
  o.batch = 100;  // one full batch per epoch: the loss does not depend on the visiting order
  o.epochs = 12;
  o.threads = 1;
  o.checkpoint_every = 1;
  RunOptions r = quiet(dir.file("run"));
  r.stop_after_epoch = 0;
  train(data, o, r);
  std::filesystem::copy_file(dir.file("run/checkpoint.sinr"), dir.file("after1.sinr"));
  r.stop_after_epoch = -1;
  r.resume = true;
  train(data, o, r);
  io::write_velocity_npy(dir.file("maps.npy"), data.maps);
  auto res = test::run_command(std::string(SEISINR_PYTHON) + " " SEISINR_SOURCE_DIR "/tests/py/reference_train.py " +
                               dir.file("after1.sinr") + " " + dir.file("maps.npy") + " 11");
  ASSERT_EQ(res.exit_code, 0) << res.output;
  auto ref = nlohmann::json::parse(res.output);
  auto log = read_log(dir.file("run"));
  ASSERT_EQ(log.size(), 12u);
  for (int k = 0; k < 11; ++k) {
    const double ours = log[static_cast<std::size_t>(k + 1)]["loss"].get<double>(), theirs = ref[k].get<double>();
    EXPECT_NEAR(ours, theirs, 2e-5 * theirs) << "step " << k + 1;
  }
  EXPECT_LT(log.back()["loss"].get<double>(), log[1]["loss"].get<double>());
}

TEST(Train, ResumeReproducesTheUninterruptedRun) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::curve_vel, data::Family::flat_fault}, 5, 20, 20);
  TrainOptions o = preset("tiny");
  o.epochs = 30;
  o.threads = 1;
  o.batch = 3;
  o.points = 60;  // the random-points path too
  o.checkpoint_every = 10;
  train(data, o, quiet(dir.file("a")));
  RunOptions b = quiet(dir.file("b"));
  b.stop_after_epoch = 14;  // a crash after epoch 15: the last checkpoint is from epoch 10
  train(data, o, b);
  b.stop_after_epoch = -1;
  b.resume = true;
  train(data, preset("paper"), b);  // options come from the checkpoint, not from here
  auto la = read_log(dir.file("a")), lb = read_log(dir.file("b"));
  ASSERT_EQ(la.size(), 30u);
  ASSERT_EQ(lb.size(), 30u);
  for (std::size_t k = 0; k < la.size(); ++k) {
    EXPECT_EQ(lb[k]["epoch"], la[k]["epoch"]);
    EXPECT_EQ(lb[k]["loss"].get<double>(), la[k]["loss"].get<double>()) << "epoch " << k;
  }
  auto ma = model::load_model(dir.file("a/model.sinr")), mb = model::load_model(dir.file("b/model.sinr"));
  EXPECT_TRUE(torch::equal(ma.latents, mb.latents));
  EXPECT_TRUE(torch::equal(ma.decoder->parameters()[3], mb.decoder->parameters()[3]));
}

TEST(Train, CorruptedCheckpointIsRefused) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::flat_vel}, 4, 16, 16);
  TrainOptions o = preset("tiny");
  o.epochs = 4;
  o.checkpoint_every = 2;
  RunOptions r = quiet(dir.file("run"));
  r.stop_after_epoch = 1;
  train(data, o, r);
  auto bytes = io::read_file(dir.file("run/checkpoint.sinr"));
  bytes[bytes.size() / 2] ^= 0x01;
  io::write_file_atomic(dir.file("run/checkpoint.sinr"), bytes.data(), bytes.size());
  r.resume = true;
  r.stop_after_epoch = -1;
  EXPECT_ERROR_CONTAINS(train(data, o, r), "checkpoint refused: reading " + dir.file("run/checkpoint.sinr") + ": file checksum mismatch");
  // A model file where a checkpoint should be is refused too.
  o.epochs = 2;
  train(data, o, quiet(dir.file("other")));
  std::filesystem::copy_file(dir.file("other/model.sinr"), dir.file("run/checkpoint.sinr"),
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_ERROR_CONTAINS(train(data, o, r), "not a checkpoint");
}

TEST(Train, ResumeRefusesOtherData) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::flat_vel}, 5, 16, 16);
  TrainOptions o = preset("tiny");
  o.epochs = 2;
  o.checkpoint_every = 1;
  RunOptions r = quiet(dir.file("run"));
  r.stop_after_epoch = 0;
  train(data, o, r);
  data.maps.values[3] += 1.0f;
  r.resume = true;
  EXPECT_ERROR_CONTAINS(train(data, o, r), "the data differ from the checkpoint's");
}

TEST(Train, BadInputIsRefusedClearly) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::flat_vel}, 3, 16, 16);
  TrainOptions o = preset("tiny");
  o.epochs = 1;
  o.model.latent_dim = 0;
  EXPECT_ERROR_CONTAINS(train(data, o, quiet(dir.file("r1"))), "latent_dim must be at least 1");
  o = preset("tiny");
  o.lr = -1e-3;
  EXPECT_ERROR_CONTAINS(train(data, o, quiet(dir.file("r2"))), "lr must be positive");
  o = preset("tiny");
  o.epochs = 1;
  EXPECT_ERROR_CONTAINS(train(data::Dataset{}, o, quiet(dir.file("r3"))), "holds no maps");
  train(data, o, quiet(dir.file("r4")));
  EXPECT_ERROR_CONTAINS(train(data, o, quiet(dir.file("r4"))), "is not empty (another run?)");
  RunOptions force = quiet(dir.file("r4"));
  force.force = true;
  EXPECT_NO_THROW(train(data, o, force));
  RunOptions resume = quiet(dir.file("r5"));
  resume.resume = true;
  EXPECT_ERROR_CONTAINS(train(data, o, resume), "no checkpoint at");
  o.holdout = 0.99;
  EXPECT_ERROR_CONTAINS(train(data, o, quiet(dir.file("r6"))), "every map is held out");
  o = preset("tiny");
  // A word enters through the option table and config.json (parse_name); the struct holds the enum.
  EXPECT_ERROR_CONTAINS(parse_name<ActivationStorage>("fp16"), "amp_activations must be float32 or bf16, got 'fp16'");
  o = preset("tiny");
  o.device = seisinr::model::Device::cuda;
  if (!torch::cuda::is_available()) EXPECT_ERROR_CONTAINS(train(data, o, quiet(dir.file("r7"))), "no CUDA");
}

TEST(Train, FullDiskDuringACheckpointKeepsThePreviousOne) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::flat_vel}, 4, 16, 16);
  TrainOptions o = preset("tiny");
  o.model.hidden = 48;  // checkpoint ≈ 60 KB, well above the limit below
  o.epochs = 20;
  o.checkpoint_every = 2;
  RunOptions r = quiet(dir.file("run"));
  r.stop_after_epoch = 9;
  train(data, o, r);
  const auto before = io::read_file(dir.file("run/checkpoint.sinr"));
  r.resume = true;
  r.stop_after_epoch = -1;
  {
    test::ScopedFileSizeLimit full_disk(16384);
    EXPECT_ERROR_CONTAINS(train(data, o, r), "writing " + dir.file("run/checkpoint.sinr"));
  }
  EXPECT_EQ(io::read_file(dir.file("run/checkpoint.sinr")), before) << "the previous checkpoint must survive intact";
  EXPECT_NO_THROW(train(data, o, r)) << "and the run resumes from it";
}

TEST(Train, MixedPrecisionFollowsTheFloat32LossCurve) {
  test::TempDir dir;
  auto data = make_data(dir, {data::Family::curve_vel}, 6, 24, 24);
  TrainOptions o = preset("tiny");
  o.model.hidden = 64;
  o.epochs = 60;
  o.threads = 1;
  o.amp = false;
  train(data, o, quiet(dir.file("fp32")));
  const auto a = read_log(dir.file("fp32"));
  o.amp = true;
  for (const char* store : {"float32", "bf16"}) {
    o.amp_activations = parse_name<ActivationStorage>(store);
    train(data, o, quiet(dir.file(store)));
    const auto b = read_log(dir.file(store));
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t k = 0; k < a.size(); k += 10) {
      const double la = a[k]["loss"].get<double>(), lb = b[k]["loss"].get<double>();
      EXPECT_NEAR(lb, la, 0.15 * la) << "epoch " << k << ", activations " << store;
    }
    EXPECT_NE(a.back()["loss"].get<double>(), b.back()["loss"].get<double>()) << "bf16 must really run";
  }
  const double l32 = read_log(dir.file("float32")).back()["loss"].get<double>();
  EXPECT_NE(l32, read_log(dir.file("bf16")).back()["loss"].get<double>()) << "bf16 storage must change the arithmetic";
}

}  // namespace
}  // namespace seisinr::train

// A long unit of work still shows progress (issue 27: compress printed nothing for 92 s inside a
// chunk of 256 tile fits): with Pulse::keep_alive the last line comes again every interval without
// an update, and nothing after finish().
TEST(Progress, KeepAliveRepeatsTheLineUntilFinished) {
  std::ostringstream out;
  {
    seisinr::optim::Progress p("tiles", 4, out, 0.1, seisinr::optim::Pulse::keep_alive);
    p.update(0, "encoding tiles 0..3");
    std::this_thread::sleep_for(std::chrono::milliseconds(450));
    p.finish("done");
    const std::string text = out.str();
    std::size_t lines = 0;
    for (std::size_t at = 0; (at = text.find("tiles 0/4  encoding tiles 0..3", at)) != std::string::npos; ++at) ++lines;
    EXPECT_GE(lines, 3u) << text;  // the first update, then a pulse every 0.1 s
    EXPECT_NE(text.find("done\n"), std::string::npos) << text;
  }
  const std::string after = out.str();
  std::this_thread::sleep_for(std::chrono::milliseconds(250));
  EXPECT_EQ(out.str(), after);
  std::ostringstream quiet;  // without the pulse: the first update only, until the next
  seisinr::optim::Progress q("maps", 4, quiet, 0.1);
  q.update(0, "x");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(quiet.str().find("maps 0/4", 1), std::string::npos) << quiet.str();
}
