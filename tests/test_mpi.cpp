// tests/test_mpi.cpp — data-parallel training across MPI ranks (label mpi; run by `make test`
// through mpirun --allow-run-as-root --oversubscribe, which may run more ranks than cores).
//
// The claim under test: K ranks, each computing the maps it holds of a global batch of B maps,
// compute the same function as one process with batch B — the same batches, the same sampled
// points, the gradient of the same loss — up to the order of floating-point sums. So the loss
// curves agree to float32 rounding (stated tolerance: 1e-5 relative per epoch) and so do the
// final models (1e-4 absolute on every weight and code); a run resumed with another rank count
// continues the same run.
#include <torch/types.h>

#include <fstream>

#include <nlohmann/json.hpp>

#include "seisinr/model/model_file.h"
#include "test_util.h"

using namespace seisinr;

namespace {

std::string mpirun(int ranks, const std::string& args) {
  return std::string(SEISINR_MPIEXEC) + " --allow-run-as-root --oversubscribe -np " + std::to_string(ranks) + " " SEISINR_CLI " " + args;
}

double max_abs_diff(const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); }

void expect_same_model(const std::string& a, const std::string& b, double tol) {
  const auto ma = model::load_model(a), mb = model::load_model(b);
  ASSERT_EQ(ma.latents.sizes(), mb.latents.sizes());
  EXPECT_LT(max_abs_diff(ma.latents, mb.latents), tol) << "latent codes";
  const auto pa = ma.decoder->parameters(), pb = mb.decoder->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t k = 0; k < pa.size(); ++k) EXPECT_LT(max_abs_diff(pa[k], pb[k]), tol) << "decoder parameter " << k;
}

void expect_same_curve(const std::string& a, const std::string& b, std::size_t epochs) {
  const auto la = test::log_losses(a), lb = test::log_losses(b);
  ASSERT_EQ(la.size(), epochs);
  ASSERT_EQ(lb.size(), epochs);
  for (std::size_t e = 0; e < epochs; ++e) EXPECT_NEAR(lb[e], la[e], 1e-5 * la[e]) << "epoch " << e;
  EXPECT_LT(la.back(), 0.5 * la.front()) << "and the run learns";
}

struct Data {
  test::TempDir dir;
  std::string maps;
  Data() {
    maps = dir.file("maps");
    auto r = test::run_cli("synth --out " + maps + " --count 5 --size 16x16 --families FlatVel CurveFault Style --seed 2");
    if (r.exit_code) throw std::runtime_error(r.output);
  }
};
Data& data() {
  static Data d;
  return d;
}

// 15 maps, 3 held out: 12 trained, a global batch of 4 (about 2 per rank), 60 random points per
// map: every path of the step (sampling, uneven shares, ranks with no map in a batch).
const std::string kTrain = " --preset tiny --holdout 0.2 --batch 4 --points 60 --threads 1 --checkpoint-every 10";

}  // namespace

TEST(Mpi, TwoRanksFollowTheOneRankLossCurveAndEndAtTheSameModel) {
  Data& d = data();
  auto one = test::run_cli("train --data " + d.maps + " --out " + d.dir.file("one") + kTrain + " --epochs 40");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  auto two = test::run_command(mpirun(2, "train --data " + d.maps + " --out " + d.dir.file("two") + kTrain + " --epochs 40"));
  ASSERT_EQ(two.exit_code, 0) << two.output;
  EXPECT_NE(two.output.find("on each of 2 MPI ranks"), std::string::npos) << two.output;
  expect_same_curve(d.dir.file("one"), d.dir.file("two"), 40);
  expect_same_model(d.dir.file("one/model.sinr"), d.dir.file("two/model.sinr"), 1e-4);
  // The model records the same split and hashes, though no rank read every map.
  const auto ma = model::load_model(d.dir.file("one/model.sinr")), mb = model::load_model(d.dir.file("two/model.sinr"));
  EXPECT_EQ(ma.meta["maps"], mb.meta["maps"]);
}

TEST(Mpi, ResumeWorksWithAnotherRankCount) {
  Data& d = data();
  const std::string run = d.dir.file("switch");
  auto a = test::run_command(mpirun(2, "train --data " + d.maps + " --out " + run + kTrain + " --epochs 20"));
  ASSERT_EQ(a.exit_code, 0) << a.output;
  auto b = test::run_command(mpirun(3, "train --data " + d.maps + " --out " + run + " --resume --epochs 30 --threads 1"));
  ASSERT_EQ(b.exit_code, 0) << b.output;
  auto c = test::run_cli("train --data " + d.maps + " --out " + run + " --resume --epochs 40 --threads 1");
  ASSERT_EQ(c.exit_code, 0) << c.output;
  auto ref = test::run_cli("train --data " + d.maps + " --out " + d.dir.file("ref") + kTrain + " --epochs 40");
  ASSERT_EQ(ref.exit_code, 0) << ref.output;
  expect_same_curve(d.dir.file("ref"), run, 40);
  expect_same_model(d.dir.file("ref/model.sinr"), run + "/model.sinr", 1e-4);
}

TEST(Mpi, EvalAndEncodeShareTheMapsOut) {
  Data& d = data();
  const std::string run = d.dir.file("ev");
  auto t = test::run_cli("train --data " + d.maps + " --out " + run + kTrain + " --epochs 10");
  ASSERT_EQ(t.exit_code, 0) << t.output;
  const std::string eval = "eval --model " + run + "/model.sinr --data " + d.maps + " --encode-steps 30 --threads 1 --json ";
  auto e1 = test::run_cli(eval + d.dir.file("e1.json"));
  ASSERT_EQ(e1.exit_code, 0) << e1.output;
  auto e2 = test::run_command(mpirun(2, eval + d.dir.file("e2.json")));
  ASSERT_EQ(e2.exit_code, 0) << e2.output;
  std::ifstream f1(d.dir.file("e1.json")), f2(d.dir.file("e2.json"));
  const auto j1 = nlohmann::json::parse(f1), j2 = nlohmann::json::parse(f2);
  ASSERT_EQ(j1["per_map"].size(), 15u);
  ASSERT_EQ(j2["per_map"].size(), j1["per_map"].size());
  int held = 0;
  for (std::size_t k = 0; k < j1["per_map"].size(); ++k) {
    EXPECT_NEAR(j2["per_map"][k]["psnr"].get<double>(), j1["per_map"][k]["psnr"].get<double>(), 1e-3) << "map " << k;
    held += j1["per_map"][k]["split"] == "heldout";
  }
  EXPECT_EQ(held, 3) << "held-out maps were encoded, split over the ranks";
  auto c = test::run_command(mpirun(2, "encode --model " + run + "/model.sinr --data " + d.maps + " --encode-steps 30 --threads 1 --out " +
                                           d.dir.file("codes.sinr")));
  ASSERT_EQ(c.exit_code, 0) << c.output;
  auto back = test::run_cli("decompress " + d.dir.file("codes.sinr") + " --model " + run + "/model.sinr --out " + d.dir.file("codes.npy"));
  EXPECT_EQ(back.exit_code, 0) << back.output;
}

TEST(Mpi, OtherCommandsAndTooManyRanksAreRefused) {
  Data& d = data();
  auto r = test::run_command(mpirun(2, "info " + d.maps));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("'info' does not run across MPI ranks"), std::string::npos) << r.output;
  // 13 ranks for 12 trained maps: at least one rank would hold nothing.
  r = test::run_command(mpirun(13, "train --data " + d.maps + " --out " + d.dir.file("many") + kTrain + " --epochs 1"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("13 ranks for 12 trained maps leave rank"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("without maps; use fewer ranks"), std::string::npos) << r.output;
}
