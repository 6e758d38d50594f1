// tests/test_sampler.cpp — the density of model/sampler.h: its draws have the fitted mean and
// covariance, Ledoit–Wolf's shrinkage vanishes when codes are plenty and is needed when they are
// few; the kernel density's draws have the mixture's mean μ and covariance (1 + h²) S, stay in the
// span of the codes and near them as h shrinks; seeds reproduce, and the bad requests are refused.
#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "seisinr/model/sampler.h"
#include "test_util.h"

namespace seisinr::model {
namespace {

// A model with only what the density reads: latents and meta. Family A's n codes are drawn from
// N(m, C) with a known anisotropic C; family B has one map.
LoadedModel codes_model(std::int64_t n, std::int64_t d, std::uint64_t seed) {
  LoadedModel m;
  auto gen = at::detail::createCPUGenerator(seed);
  const torch::Tensor scales = torch::linspace(3.0, 0.5, d, torch::kDouble);
  torch::Tensor z = at::normal(0.0, 1.0, {n + 1, d}, gen, torch::TensorOptions().dtype(torch::kDouble)) * scales + 2.0;
  m.latents = z.to(torch::kFloat);
  m.meta["maps"] = nlohmann::json::array();
  for (std::int64_t i = 0; i < n; ++i) m.meta["maps"].push_back({{"family", "A"}, {"split", "trained"}, {"latent", i}});
  m.meta["maps"].push_back({{"family", "B"}, {"split", "trained"}, {"latent", n}});
  m.meta["maps"].push_back({{"family", "A"}, {"split", "heldout"}, {"latent", -1}});
  return m;
}

TEST(Sampler, DrawsHaveTheFittedMeanAndCovariance) {
  const LoadedModel m = codes_model(400, 6, 1);
  const CodeDensity d = fit_density(m, "A", "m.sinr");
  EXPECT_EQ(d.maps, 400);
  const torch::Tensor z = draw_codes(d, 40000, 7).to(torch::kDouble);
  const torch::Tensor mean = z.mean(0), x = z - mean, cov = x.t().mm(x) / 40000.0;
  const double mean_err = (mean - d.mean).abs().max().item<double>();
  const double cov_err = ((cov - d.cov).norm() / d.cov.norm()).item<double>();
  std::printf("[ sampler  ] 40,000 draws: largest mean error %.4f (sd up to 3), covariance relative error %.4f, shrinkage %.4f\n", mean_err,
              cov_err, d.shrinkage);
  EXPECT_LT(mean_err, 0.06);  // 4 standard errors of the widest direction: 4 · 3 / √40000
  EXPECT_LT(cov_err, 0.03);
  // The fitted mean is the trained codes' mean (the held-out row and family B not counted).
  const torch::Tensor trained = m.latents.narrow(0, 0, 400).to(torch::kDouble);
  EXPECT_LT((d.mean - trained.mean(0)).abs().max().item<double>(), 1e-9);
}

TEST(Sampler, ShrinkageVanishesWithPlentyOfCodesAndCarriesFewOnes) {
  const CodeDensity plenty = fit_density(codes_model(4000, 4, 2), "A", "m.sinr");
  EXPECT_LT(plenty.shrinkage, 0.02) << "4,000 codes of 4 numbers need no shrinkage";
  // Fewer codes than numbers: the sample covariance is singular, the shrunk one is not.
  const CodeDensity few = fit_density(codes_model(20, 64, 3), "A", "m.sinr");
  EXPECT_GT(few.shrinkage, 0.05);
  EXPECT_LE(few.shrinkage, 1.0);
  EXPECT_GT(at::linalg_eigvalsh(few.cov, "L").min().item<double>(), 0.0);
  EXPECT_EQ(draw_codes(few, 3, 5).sizes(), (std::vector<std::int64_t>{3, 64}));
}

TEST(Sampler, KernelDrawsHaveTheMixturesMeanAndCovariance) {
  // (1/n) Σ_k N(z_k, h² S): mean μ, covariance S (between the centres) + h² S (within each).
  const LoadedModel m = codes_model(300, 6, 12);
  const CodeDensity d = fit_density(m, "A", "m.sinr");
  const DensityOptions kernel{DensityKind::kernel, 0.5};
  const torch::Tensor z = draw_codes(d, 40000, 7, kernel).to(torch::kDouble);
  const torch::Tensor x = d.codes - d.mean, S = x.t().mm(x) / 300.0;
  const torch::Tensor mean = z.mean(0), dz = z - mean, cov = dz.t().mm(dz) / 40000.0;
  const double mean_err = (mean - d.mean).abs().max().item<double>();
  const double cov_err = ((cov - 1.25 * S).norm() / S.norm()).item<double>();
  std::printf("[ sampler  ] 40,000 kernel draws (h = 0.5): largest mean error %.4f, covariance against 1.25 S %.4f\n", mean_err, cov_err);
  EXPECT_LT(mean_err, 0.07);  // 4 standard errors of the widest direction: 4 · 3 · √1.25 / √40000
  EXPECT_LT(cov_err, 0.04);
}

TEST(Sampler, KernelDrawsStayInTheCodesSpanAndNearThemAsTheBandwidthShrinks) {
  const LoadedModel m = codes_model(20, 64, 3);  // fewer codes than numbers: S is singular
  const CodeDensity d = fit_density(m, "A", "m.sinr");
  const torch::Tensor x = d.codes - d.mean;                              // (20, 64), rank 19
  const torch::Tensor q = std::get<0>(at::linalg_qr(x.t(), "reduced"));  // an orthonormal basis of the span
  const torch::Tensor z = draw_codes(d, 500, 2, {DensityKind::kernel, 0.5}).to(torch::kDouble) - d.mean;
  const double outside = ((z - z.mm(q).mm(q.t())).norm() / z.norm()).item<double>();
  EXPECT_LT(outside, 1e-6) << "kernel draws leave the span of the codes' differences";
  const torch::Tensor g = draw_codes(d, 500, 2).to(torch::kDouble) - d.mean;
  EXPECT_GT(((g - g.mm(q).mm(q.t())).norm() / g.norm()).item<double>(), 0.05) << "the shrunk Gaussian fills every direction";
  // A tiny bandwidth draws (nearly) the trained codes themselves, each as often as the others.
  const torch::Tensor near = draw_codes(d, 2000, 3, {DensityKind::kernel, 1e-4}).to(torch::kDouble);
  const torch::Tensor dist = torch::cdist(near, d.codes);
  EXPECT_LT(std::get<0>(dist.min(1)).max().item<double>(), 1e-2);
  const torch::Tensor counts = torch::bincount(std::get<1>(dist.min(1)), {}, 20);
  EXPECT_GT(counts.min().item<std::int64_t>(), 60);  // 100 expected per code
  EXPECT_LT(counts.max().item<std::int64_t>(), 140);
}

TEST(Sampler, DensityChoicesReproduceAndBadBandwidthsAreRefused) {
  const LoadedModel m = codes_model(50, 8, 4);
  const CodeDensity d = fit_density(m, "A", "m.sinr");
  EXPECT_TRUE(torch::equal(draw_codes(d, 5, 11, {DensityKind::gaussian, 0.5}), draw_codes(d, 5, 11)));
  EXPECT_TRUE(torch::equal(draw_codes(d, 5, 11, {}), draw_codes(d, 5, 11, {DensityKind::kernel, 0.5}))) << "the default is the kernel at 0.5";
  EXPECT_FALSE(torch::equal(draw_codes(d, 5, 11, {}), draw_codes(d, 5, 11)));
  EXPECT_FALSE(torch::equal(draw_codes(d, 5, 11, {}), draw_codes(d, 5, 12, {})));
  for (double h : {0.0, -1.0, std::nan(""), HUGE_VAL})
    EXPECT_ERROR_CONTAINS(draw_codes(d, 5, 1, {DensityKind::kernel, h}), "--bandwidth");
  EXPECT_ERROR_CONTAINS(draw_codes(d, 0, 1, {}), "the count must be positive, got 0");
}

TEST(Sampler, SeedsReproduceAndBadRequestsAreRefused) {
  const LoadedModel m = codes_model(50, 8, 4);
  const CodeDensity d = fit_density(m, "A", "m.sinr");
  EXPECT_TRUE(torch::equal(draw_codes(d, 5, 11), draw_codes(d, 5, 11)));
  EXPECT_FALSE(torch::equal(draw_codes(d, 5, 11), draw_codes(d, 5, 12)));
  EXPECT_ERROR_CONTAINS(fit_density(m, "C", "m.sinr"), "m.sinr: the model holds no trained maps of family 'C' (it holds: A, B)");
  EXPECT_ERROR_CONTAINS(fit_density(m, "B", "m.sinr"), "family 'B' has 1 trained map; a density needs at least 2");
  EXPECT_ERROR_CONTAINS(draw_codes(d, 0, 1), "the count must be positive, got 0");
  EXPECT_ERROR_CONTAINS(draw_codes(d, -3, 1), "got -3");
  LoadedModel none;
  none.latents = torch::zeros({0, 8});
  EXPECT_ERROR_CONTAINS(fit_density(none, "A", "x.sinr"), "x.sinr: the model holds no trained maps of family 'A' (it holds no trained codes at all)");
}

}  // namespace
}  // namespace seisinr::model
