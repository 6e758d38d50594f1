// tests/test_invert.cpp — full-waveform inversion in the latent space and on the cells
// (invert/invert.h): the chain rule through the decoder against finite differences of the
// misfit (which use only forward solves and decoder evaluations), and both spaces and both
// optimisers lowering the misfit of a small survey.
#include <torch/torch.h>

#include <cmath>
#include <memory>

#include "seisinr/invert/invert.h"
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
  o.latent_dim = 6, o.hidden = 16, o.layers = 2, o.first_layer_init = "coord_half";
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
