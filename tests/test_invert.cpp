// tests/test_invert.cpp — full-waveform inversion in the latent space and on the cells
// (invert/invert.h): the chain rule through the decoder against finite differences of the
// misfit (which use only forward solves and decoder evaluations), and both spaces and both
// optimisers lowering the misfit of a small survey.
#include <torch/types.h>
#include <torch/utils.h>  // manual_seed

#include <cmath>
#include <memory>

#include "seisinr/invert/invert.h"
#include "seisinr/invert/uncertainty.h"
#include "seisinr/model/siren.h"
#include "seisinr/wave/acoustic.h"
#include "seisinr/wave/gradient.h"
#include "test_util.h"

namespace seisinr::invert {
namespace {

constexpr std::int64_t kNz = 16, kNx = 20;

wave::Acquisition small_survey() {
  wave::Acquisition a = wave::openfwi_acquisition(kNz, kNx);
  a.nt = 250, a.boundary = 15, a.boundary_speed = 2000;
  a.sources = {{1, 3}, {1, 16}};
  a.receivers.clear();
  for (std::int64_t x = 0; x < kNx; x += 2) a.receivers.push_back({1, x});
  return a;
}

// A random decoder with a linear path on the survey's grid: speeds 2,500 ± 500 (v̂ = ±1).
model::LoadedModel random_model() {
  model::SirenOptions o;
  o.latent_dim = 6, o.hidden = 16, o.layers = 2, o.first_layer_init = seisinr::model::FirstLayerInit::coord_half;
  o.linear_path = true, o.basis_height = kNz, o.basis_width = kNx;
  auto dec = std::make_shared<model::SirenDecoder>(o, 11);
  torch::manual_seed(4);
  for (auto& [name, t] : dec->named_parameters())
    if (name.rfind("linear.", 0) == 0) dec->set(name, torch::randn(t.sizes()) * 0.15);
  model::LoadedModel m;
  m.decoder = dec;
  m.latents = torch::randn({5, o.latent_dim}) * 0.5;
  m.vmin = 2000, m.vmax = 3000, m.height = kNz, m.width = kNx;
  return m;
}

InvertOptions wide_bounds() {
  InvertOptions o;
  o.vmin = 500, o.vmax = 6000;  // no clamp active: the objective is smooth in z
  return o;
}

std::vector<float> gathers(const std::vector<float>& v, const wave::Acquisition& a) {
  std::vector<float> d(a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size());
  wave::forward(v.data(), kNz, kNx, a, d.data(), 2);
  return d;
}

TEST(LatentFwi, ChainRuleMatchesFiniteDifferencesOfTheMisfit) {
  const model::LoadedModel m = random_model();
  const wave::Acquisition a = small_survey();
  const InvertOptions o = wide_bounds();
  torch::manual_seed(8);
  const torch::Tensor z_true = torch::randn({6}) * 0.5;
  std::vector<float> v_true;
  latent_misfit(m, z_true, kNz, kNx, a, gathers(std::vector<float>(kNz * kNx, 2500.0f), a).data(), o, nullptr, &v_true);
  const std::vector<float> observed = gathers(v_true, a);
  const torch::Tensor z = z_true + torch::randn({6}) * 0.3;
  torch::Tensor g;
  const double j = latent_misfit(m, z, kNz, kNx, a, observed.data(), o, &g);
  ASSERT_EQ(g.numel(), 6);
  ASSERT_GT(j, 0);
  for (int trial = 0; trial < 3; ++trial) {
    torch::Tensor dz = torch::randn({6});
    dz /= dz.norm();
    const double h = 1e-2;
    const double jp = latent_misfit(m, z + h * dz, kNz, kNx, a, observed.data(), o);
    const double jm = latent_misfit(m, z - h * dz, kNz, kNx, a, observed.data(), o);
    const double fd = (jp - jm) / (2 * h), an = (g * dz).sum().item<double>();
    std::printf("[ invert   ] directional derivative: finite differences %.6e, chain rule %.6e (relative difference %.1e)\n", fd, an,
                std::fabs(fd - an) / std::fabs(fd));
    EXPECT_NEAR(an, fd, 1e-2 * std::fabs(fd)) << "trial " << trial;
  }
}

double misfit_of(const std::vector<float>& v, const wave::Acquisition& a, const std::vector<float>& observed) {
  return wave::misfit_gradient(v.data(), kNz, kNx, a, observed.data(), nullptr);
}

TEST(LatentFwi, BothSpacesAndBothOptimisersLowerTheMisfit) {
  const model::LoadedModel m = random_model();
  const wave::Acquisition a = small_survey();
  torch::manual_seed(9);
  const torch::Tensor z_true = m.latents[0] + torch::randn({6}) * 0.2;
  std::vector<float> v_true, start;
  const std::vector<float> dummy(a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size(), 0.0f);
  latent_misfit(m, z_true, kNz, kNx, a, dummy.data(), wide_bounds(), nullptr, &v_true);
  latent_misfit(m, m.latents[1], kNz, kNx, a, dummy.data(), wide_bounds(), nullptr, &start);
  const std::vector<float> observed = gathers(v_true, a);
  const double j0 = misfit_of(start, a, observed);
  for (Space space : {Space::latent, Space::grid})
    for (Optimizer opt : {Optimizer::lbfgs, Optimizer::adam}) {
      InvertOptions o = wide_bounds();
      o.space = space, o.optimizer = opt, o.iters = 10, o.threads = 2;
      std::int64_t reports = 0;
      const std::vector<float> v = invert_map(a, observed.data(), start, kNz, kNx, &m, o,
                                              [&](const IterationReport& r, const std::vector<float>& vi) {
                                                EXPECT_EQ(r.iter, reports++);
                                                EXPECT_EQ(vi.size(), start.size());
                                              });
      const double j = misfit_of(v, a, observed);
      std::printf("[ invert   ] %s space, %s, 10 evaluations: misfit %.4g -> %.4g\n", to_string(space), to_string(opt), j0, j);
      EXPECT_EQ(reports, 10);
      EXPECT_LT(j, 0.5 * j0) << to_string(space) << " " << to_string(opt);
    }
}

// The Laplace posterior of a linear model with Gaussian noise and prior is exact: its mean,
// covariance and evidence equal the analytic ones, from any linearisation point, exactly (rank 0)
// and with a randomised rank at least J's; a rank below J's keeps a wider covariance; draws and
// the variances of linear maps of the code follow the covariance.
TEST(Laplace, LinearToyProblemEqualsTheAnalyticGaussianPosterior) {
  torch::manual_seed(21);
  const std::int64_t d = 7, m = 40;
  const double sigma = 0.3;
  const torch::TensorOptions f64 = torch::TensorOptions().dtype(torch::kDouble);
  const torch::Tensor J = torch::randn({m, 3}, f64).mm(torch::randn({3, d}, f64));  // rank 3
  const torch::Tensor A = torch::randn({d, d}, f64), Sp = A.mm(A.t()) / d + 0.2 * torch::eye(d, f64);
  const torch::Tensor L = at::linalg_cholesky(Sp), mu = torch::randn({d}, f64);
  const torch::Tensor y = J.mv(torch::randn({d}, f64)) + sigma * torch::randn({m}, f64);
  // Analytic: Σ = (JᵀJ/σ² + Σp⁻¹)⁻¹, mean = Σ (Jᵀy/σ² + Σp⁻¹ μ), y ~ N(Jμ, σ²I + J Σp Jᵀ).
  const torch::Tensor Spi = torch::inverse(Sp);
  const torch::Tensor cov = torch::inverse(J.t().mm(J) / (sigma * sigma) + Spi);
  const torch::Tensor mean = cov.mv(J.t().mv(y) / (sigma * sigma) + Spi.mv(mu));
  const torch::Tensor C = sigma * sigma * torch::eye(m, f64) + J.mm(Sp).mm(J.t()), e = y - J.mv(mu);
  const double log_ev = -0.5 * (e.dot(torch::linalg_solve(C, e)).item<double>() + torch::logdet(C).item<double>() + m * std::log(2 * M_PI));
  LinearisedProblem p;
  p.z = torch::randn({d}, f64);  // any point: the model is linear
  const torch::Tensor r = J.mv(p.z) - y;
  p.prior_mean = mu, p.prior_chol = L, p.gradient = J.t().mv(r), p.misfit = 0.5 * r.dot(r).item<double>();
  p.data_count = m, p.sigma = sigma;
  p.k_apply = [&](const torch::Tensor& W) { return J.mm(L.mm(W)) / sigma; };
  p.kt_apply = [&](const torch::Tensor& Y) { return L.t().mm(J.t().mm(Y)) / sigma; };
  for (std::int64_t rank : {0, 4, 7}) {
    const LaplacePosterior post = laplace_posterior(p, rank, 3);
    EXPECT_LT((post.mean - mean).abs().max().item<double>(), 1e-9) << "rank " << rank;
    EXPECT_LT((post.covariance() - cov).abs().max().item<double>(), 1e-9) << "rank " << rank;
    EXPECT_NEAR(post.log_evidence, log_ev, 1e-8 * std::fabs(log_ev)) << "rank " << rank;
  }
  const LaplacePosterior low = laplace_posterior(p, 2, 3);  // below J's rank: wider, never narrower
  const torch::Tensor wider = at::linalg_eigvalsh(low.covariance() - cov);
  EXPECT_GT(wider.min().item<double>(), -1e-10);
  EXPECT_GT(wider.max().item<double>(), 1e-6);
  const LaplacePosterior post = laplace_posterior(p, 0, 3);
  const torch::Tensor draws = post.draw(40000, 5);
  const torch::Tensor x = draws - draws.mean(0);
  EXPECT_LT((x.t().mm(x) / 40000 - cov).abs().max().item<double>(), 0.03 * cov.abs().max().item<double>());
  EXPECT_LT((draws.mean(0) - mean).abs().max().item<double>(), 0.03 * cov.diag().sqrt().max().item<double>());
  EXPECT_NEAR(t95(1), 6.313752, 1e-5);  // Student's t tables
  EXPECT_NEAR(t95(2), 2.919986, 1e-5);
  EXPECT_NEAR(t95(5), 2.015048, 1e-5);
  EXPECT_NEAR(t95(30), 1.697261, 1e-5);
  const torch::Tensor B = torch::randn({5, d}, f64);
  EXPECT_LT((post.variance_of(B.mm(L)) - B.mm(cov).mm(B.t()).diag()).abs().max().item<double>(), 1e-9);
}

// A map's posterior through the wave solver: the exact Laplace posterior is narrower than the prior,
// a truncated one lies between, samples are decoded maps whose misfits are measured; the ensemble
// runs its inversions; a grid-space inversion has no code to be unsure of.
TEST(Laplace, MapPosteriorThroughTheSolver) {
  model::LoadedModel m = random_model();
  m.meta["maps"] = nlohmann::json::array();
  for (int k = 0; k < 5; ++k) m.meta["maps"].push_back({{"split", "trained"}, {"latent", k}, {"family", "F"}});
  const wave::Acquisition a = small_survey();
  InvertOptions o = wide_bounds();
  o.iters = 4, o.threads = 2;
  std::vector<float> v_true, start;
  const std::vector<float> dummy(a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size(), 0.0f);
  latent_misfit(m, m.latents[0] * 0.5 + m.latents[1] * 0.5, kNz, kNx, a, dummy.data(), o, nullptr, &v_true);
  latent_misfit(m, m.latents[2], kNz, kNx, a, dummy.data(), o, nullptr, &start);
  std::vector<float> observed = gathers(v_true, a);
  torch::Tensor answer;
  invert_map(a, observed.data(), start, kNz, kNx, &m, o, {}, &answer);
  ASSERT_EQ(answer.numel(), 6);
  UncertaintyOptions u;
  u.method = UncertaintyMethod::laplace, u.samples = 3, u.sigma = 0.05, u.family = "F";
  auto mean_std = [](const MapPosterior& q) {
    double s = 0;
    for (float x : q.stddev) s += x;
    return s / static_cast<double>(q.stddev.size());
  };
  u.rank = 0;
  const MapPosterior exact = map_posterior(m, answer, start, kNz, kNx, a, observed.data(), o, u, "model");
  u.rank = 2;
  const MapPosterior low = map_posterior(m, answer, start, kNz, kNx, a, observed.data(), o, u, "model");
  u.sigma = 1e6;  // the data say nothing: the prior's spread
  const MapPosterior prior = map_posterior(m, answer, start, kNz, kNx, a, observed.data(), o, u, "model");
  std::printf("[ laplace  ] mean posterior standard deviation: exact %.3f, rank 2 %.3f, prior %.3f m/s\n", mean_std(exact), mean_std(low),
              mean_std(prior));
  EXPECT_EQ(exact.rank, 6);
  EXPECT_EQ(low.rank, 2);
  EXPECT_LT(mean_std(exact), mean_std(low));
  EXPECT_LT(mean_std(low), mean_std(prior));
  ASSERT_EQ(exact.samples.size(), 3u * kNz * kNx);
  ASSERT_EQ(exact.sample_misfits.size(), 3u);
  for (double j : exact.sample_misfits) EXPECT_TRUE(std::isfinite(j) && j >= 0);
  u.method = UncertaintyMethod::ensemble, u.members = 2, u.sigma = 0.05;
  const MapPosterior ens = map_posterior(m, answer, start, kNz, kNx, a, observed.data(), o, u, "model");
  EXPECT_EQ(ens.samples.size(), 2u * kNz * kNx);
  EXPECT_GT(mean_std(ens), 0);
  o.space = Space::grid;
  EXPECT_THROW(map_posterior(m, answer, start, kNz, kNx, a, observed.data(), o, u, "model"), Error);
  EXPECT_GT(ens.interval_factor, 1);  // two members: t_{0.95, 1} √(3/2) / 1.645
  EXPECT_NEAR(ens.interval_factor, 6.3138 * std::sqrt(1.5) / eval::kZ90, 1e-3);
  EXPECT_EQ(parse_uncertainty("laplace"), UncertaintyMethod::laplace);
  EXPECT_THROW(parse_uncertainty("mcmc"), Error);
}

TEST(LatentFwi, RefusesWithoutAModelOrOnAnotherGrid) {
  const wave::Acquisition a = small_survey();
  const std::vector<float> start(kNz * kNx, 2500.0f), obs = gathers(start, a);
  InvertOptions o;
  o.iters = 1;
  try {
    invert_map(a, obs.data(), start, kNz, kNx, nullptr, o);
    FAIL() << "latent space without a model";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("needs a model"), std::string::npos) << e.what();
  }
  model::LoadedModel m = random_model();
  m.height = 70, m.width = 70;
  try {
    invert_map(a, obs.data(), start, kNz, kNx, &m, o);
    FAIL() << "a 70x70 model on a 16x20 grid";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("decodes 70x70 maps; the data's grid is 16x20"), std::string::npos) << e.what();
  }
  EXPECT_EQ(parse_space("grid"), Space::grid);
  EXPECT_EQ(parse_optimizer("adam"), Optimizer::adam);
  EXPECT_THROW(parse_space("cells"), Error);
  EXPECT_THROW(parse_optimizer("sgd"), Error);
}

}  // namespace
}  // namespace seisinr::invert
