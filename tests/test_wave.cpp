// tests/test_wave.cpp — the acoustic solver against physics (wave/acoustic.h): the analytic 2D
// Green's function, reciprocity, the damping layer's reflection, OpenFWI's amplitude range, and
// the refusals of wave/acquisition.h.
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "seisinr/io/npy.h"
#include "seisinr/wave/acoustic.h"
#include "test_util.h"

namespace seisinr {
namespace {

// A survey of one source and some receivers on an nz × nx model.
wave::Acquisition survey(std::int64_t nt, int order, wave::Position src, std::vector<wave::Position> rec) {
  wave::Acquisition a = wave::openfwi_acquisition();
  a.nt = nt, a.order = order, a.sources = {src}, a.receivers = std::move(rec);
  return a;
}

std::vector<float> run(const std::vector<float>& v, std::int64_t nz, std::int64_t nx, const wave::Acquisition& a) {
  std::vector<float> out(a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size());
  wave::forward(v.data(), nz, nx, a, out.data());
  return out;
}

// p(t) for p_tt = c²(∇²p + s(t) δ(x) / (dx dz)) — the scheme's point source — at distance r:
// p = (dx dz / 2π) ∫ K(t − τ) s'(τ) dτ with K(t) = acosh(t / T) for t > T = r / c, else 0 (the
// time integral of the 2D Green's function, times c²; integrated by parts so that the
// singularity at t = T is not sampled). s is the continuous Ricker the wavelet samples.
double analytic(double t, double r, double c, double f, double t0, double dxdz) {
  const double T = r / c, h = 5e-6;
  double sum = 0;
  for (double tau = 0; tau < t - T; tau += h) {
    const double m = tau + h / 2, u = M_PI * f * (m - t0), beta = u * u, dbeta = 2 * M_PI * f * u;
    const double ds = std::exp(-beta) * dbeta * (2 * beta - 3);
    sum += std::acosh(std::max(1.0, (t - m) / T)) * ds * h;
  }
  return dxdz / (2 * M_PI) * sum;
}

TEST(Wave, RickerIsFD28s) {
  const auto w = wave::ricker(15, 1e-3);
  ASSERT_EQ(w.size(), 147u);
  EXPECT_FLOAT_EQ(w[73], 1.0f);  // the peak at sample 73 (t = 73 ms), not normalised otherwise
  EXPECT_FLOAT_EQ(w[72], w[74]);
  EXPECT_GT(w[60], 0.0f);
  EXPECT_LT(w[50], 0.0f);  // the side lobes: 1 − 2β < 0 past β = 1/2, 15 samples from the peak
}

// The direct wave in a constant medium against the analytic 2D Green's function convolved with
// the wavelet. Relative L2 error of the trace over 0.35 s (measured 2026-12-02: see docs/fwi.md).
TEST(Wave, DirectArrivalMatchesTheAnalyticGreensFunction) {
  const std::int64_t n = 101;
  const double c = 3000;
  const std::vector<float> v(static_cast<std::size_t>(n * n), static_cast<float>(c));
  struct Bound {
    int order;
    double max_rel;
  };
  const std::int64_t nt = 350;
  const double offsets[3] = {300.0, 300.0, std::hypot(210.0, 210.0)};
  std::vector<double> exact(static_cast<std::size_t>(nt) * 3);
  for (std::size_t r = 0; r < 3; ++r)
    for (std::int64_t k = 0; k < nt; ++k)
      exact[static_cast<std::size_t>(k) * 3 + r] =
          r == 1 ? exact[static_cast<std::size_t>(k) * 3] : analytic(static_cast<double>(k + 1) * 1e-3, offsets[r], c, 15, 73e-3, 100);
  for (const Bound b : {Bound{2, 0.08}, Bound{4, 0.01}, Bound{8, 0.01}}) {
    const auto a = survey(nt, b.order, {50, 50}, {{50, 80}, {20, 50}, {71, 71}});
    const auto out = run(v, n, n, a);
    for (std::size_t r = 0; r < 3; ++r) {
      double err = 0, norm = 0;
      for (std::int64_t k = 0; k < a.nt; ++k) {
        const double p = exact[static_cast<std::size_t>(k) * 3 + r];
        const double d = out[static_cast<std::size_t>(k) * 3 + r] - p;
        err += d * d, norm += p * p;
      }
      const double rel = std::sqrt(err / norm);
      std::printf("[ wave     ] order %d, offset %.0f m: relative L2 error %.4f\n", b.order, offsets[r], rel);
      EXPECT_LT(rel, b.max_rel) << "order " << b.order << ", receiver " << r;
    }
  }
}

TEST(Wave, SwappingSourceAndReceiverGivesTheSameTrace) {
  const std::int64_t nz = 60, nx = 80;
  std::vector<float> v(static_cast<std::size_t>(nz * nx));
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t x = 0; x < nx; ++x)
      v[static_cast<std::size_t>(z * nx + x)] = static_cast<float>(1800 + 25 * z + 300 * std::sin(0.1 * x) * (z > 30));
  for (int order : {2, 4, 8}) {
    const wave::Position A{1, 10}, B{40, 65};
    const auto ab = run(v, nz, nx, survey(600, order, A, {B})), ba = run(v, nz, nx, survey(600, order, B, {A}));
    double err = 0, norm = 0;
    for (std::size_t k = 0; k < ab.size(); ++k) err += (ab[k] - ba[k]) * (ab[k] - ba[k]), norm += ab[k] * ab[k];
    EXPECT_GT(norm, 0);
    EXPECT_LT(std::sqrt(err / norm), 1e-5) << "order " << order;
  }
}

// The damping layer's reflection: the same model and survey embedded in a much larger grid
// (whose own boundary is too far to answer within the window) gives the reflection-free trace.
TEST(Wave, DampingLayerReflectsLittle) {
  const std::int64_t n = 70, pad = 160, N = n + 2 * pad;
  const float c = 2500;
  const std::vector<float> small(static_cast<std::size_t>(n * n), c), big(static_cast<std::size_t>(N * N), c);
  const std::int64_t nt = 700;
  const auto a = survey(nt, 4, {35, 35}, {{35, 3}, {1, 1}, {35, 35}});
  const auto b = survey(nt, 4, {35 + pad, 35 + pad}, {{35 + pad, 3 + pad}, {1 + pad, 1 + pad}, {35 + pad, 35 + pad}});
  const auto ps = run(small, n, n, a), pb = run(big, N, N, b);
  double worst = -1000;
  for (std::size_t r = 0; r < 3; ++r) {
    double peak = 0, diff = 0;
    for (std::int64_t k = 0; k < nt; ++k) {
      const std::size_t i = static_cast<std::size_t>(k) * 3 + r;
      peak = std::max(peak, std::fabs(static_cast<double>(pb[i])));
      diff = std::max(diff, std::fabs(static_cast<double>(ps[i] - pb[i])));
    }
    const double db = 20 * std::log10(diff / peak);
    worst = std::max(worst, db);
    std::printf("[ wave     ] receiver %zu: boundary reflection %.1f dB below the direct wave's peak\n", r, -db);
  }
  EXPECT_LT(worst, -40.0);
}

TEST(Wave, OpenFwiMapGivesOpenFwisAmplitudeRange) {
  const std::string path = std::string(SEISINR_OPENFWI_DIR) + "/FlatVelA_200.npy";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no OpenFWI maps at " << path;
  const io::MapStack maps = io::read_velocity_npy(path);
  const wave::Acquisition a = wave::openfwi_acquisition(maps.h, maps.w);
  std::vector<float> out(5u * 1000u * 70u);
  wave::forward(maps.map(0), maps.h, maps.w, a, out.data(), 2);
  const auto [lo, hi] = std::minmax_element(out.begin(), out.end());
  std::printf("[ wave     ] FlatVel-A map 0: data range %.2f to %.2f (OpenFWI's files: about -27 to +57)\n", *lo, *hi);
  // The direct wave at the source is positive, as OpenFWI's gathers peak at +57.
  EXPECT_GT(*hi, 30.0f);
  EXPECT_LT(*hi, 90.0f);
  EXPECT_LT(*lo, -10.0f);
  EXPECT_GT(*lo, -45.0f);
}

TEST(Wave, BadSurveysAreRefusedWithNumbers) {
  wave::Acquisition a = wave::openfwi_acquisition();
  EXPECT_EQ(wave::check_acquisition(a, 70, 70, 2000, 4500, "x").find("warning"), std::string::npos);
  EXPECT_NE(wave::check_acquisition(a, 70, 70, 1500, 4500, "x").find("cells per shortest wavelength"), std::string::npos);
  EXPECT_ERROR_CONTAINS(wave::check_acquisition(a, 70, 70, 1500, 7000, "survey.json"), "survey.json: unstable: v_max 7000 m/s");
  EXPECT_ERROR_CONTAINS(wave::check_acquisition(a, 70, 70, 1500, 7000, "x"), "use dt <=");
  EXPECT_ERROR_CONTAINS(wave::check_acquisition(a, 70, 70, 0, 4500, "x"), "velocities must be positive");
  EXPECT_ERROR_CONTAINS(wave::check_acquisition(a, 70, 60, 1500, 4500, "x"), "sources[4] at (z 1, x 69) is outside the 70x60 model");
  a.order = 6;
  EXPECT_ERROR_CONTAINS(wave::check_acquisition(a, 70, 70, 1500, 4500, "x"), "order must be 2, 4 or 8");
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition("{\"dt\": -1}", "s.json", 70, 70), "s.json: dx, dz, dt and freq must be positive");
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition("{\"sources\": [[1]]}", "s.json", 70, 70), "s.json: sources[0]: expected [z, x]");
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition("{\"nt\": 1e30}", "s.json", 70, 70), "nt");
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition("{\"dtt\": 1}", "s.json", 70, 70), "unknown key 'dtt'");
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition("[1", "s.json", 70, 70), "s.json: not valid JSON");
  const auto b = wave::parse_acquisition("{\"order\": 8, \"receivers\": [[0, 3]]}", "s.json", 70, 70);
  EXPECT_EQ(b.order, 8);
  ASSERT_EQ(b.receivers.size(), 1u);
  EXPECT_EQ(b.receivers[0].x, 3);
  EXPECT_EQ(b.sources.size(), 5u) << "OpenFWI's sources stay";
  EXPECT_EQ(b.sources[2].x, 34);
  EXPECT_EQ(b.sources[3].x, 52);
}

}  // namespace
}  // namespace seisinr
