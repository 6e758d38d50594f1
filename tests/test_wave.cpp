// tests/test_wave.cpp — the acoustic solver against physics (wave/acoustic.h): the analytic 2D
// Green's function, reciprocity, the damping layer's and the C-PML's reflection, OpenFWI's
// amplitude range, the refusals of wave/acquisition.h; the adjoint (wave/gradient.h) by the
// dot-product and Taylor tests, for both boundaries.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>

#include "seisinr/io/npy.h"
#include "seisinr/wave/acoustic.h"
#include "seisinr/wave/gradient.h"
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

// A boundary's reflection, per receiver, in dB below the direct wave's peak: a 70 × 70 model at
// 2,500 m/s with the survey `base` (order, boundary) against the same model embedded in a grid
// 320 cells wider, whose own boundary is too far to answer within the 0.7 s window.
std::vector<double> reflections_db(const wave::Acquisition& base) {
  const std::int64_t n = 70, pad = 160, N = n + 2 * pad, nt = 700;
  const std::vector<float> small(static_cast<std::size_t>(n * n), 2500.0f), big(static_cast<std::size_t>(N * N), 2500.0f);
  wave::Acquisition a = base, b = survey(nt, base.order, {35 + pad, 35 + pad}, {{35 + pad, 3 + pad}, {1 + pad, 1 + pad}, {35 + pad, 35 + pad}});
  a.nt = nt, a.sources = {{35, 35}}, a.receivers = {{35, 3}, {1, 1}, {35, 35}};
  const auto ps = run(small, n, n, a), pb = run(big, N, N, b);
  std::vector<double> db;
  for (std::size_t r = 0; r < 3; ++r) {
    double peak = 0, diff = 0;
    for (std::int64_t k = 0; k < nt; ++k) {
      const std::size_t i = static_cast<std::size_t>(k) * 3 + r;
      peak = std::max(peak, std::fabs(static_cast<double>(pb[i])));
      diff = std::max(diff, std::fabs(static_cast<double>(ps[i] - pb[i])));
    }
    db.push_back(20 * std::log10(diff / peak));
  }
  return db;
}

// The damping layer's reflection (OpenFWI's 120 cells).
TEST(Wave, DampingLayerReflectsLittle) {
  const auto db = reflections_db(survey(700, 4, {35, 35}, {}));
  for (std::size_t r = 0; r < db.size(); ++r)
    std::printf("[ wave     ] receiver %zu: boundary reflection %.1f dB below the direct wave's peak\n", r, -db[r]);
  EXPECT_LT(*std::max_element(db.begin(), db.end()), -40.0);
}

// A survey with the C-PML of `width` cells.
wave::Acquisition with_cpml(wave::Acquisition a, std::int64_t width = 20) {
  a.boundary_kind = wave::BoundaryKind::cpml, a.boundary = width;
  return a;
}

// The C-PML (wave/acoustic.h) measured as the damping layer above, with 20 cells. The issue's
// bar: below −70 dB.
TEST(Wave, CpmlReflectsBelowSeventyDecibels) {
  for (int order : {4, 8}) {
    const auto db = reflections_db(with_cpml(survey(700, order, {35, 35}, {})));
    const double worst = *std::max_element(db.begin(), db.end());
    std::printf("[ wave     ] order %d, 20-cell C-PML: worst reflection %.1f dB below the direct wave's peak\n", order, -worst);
    EXPECT_LT(worst, -70.0) << "order " << order;
  }
}

// The C-PML leaves the direct wave as the analytic Green's function says, and reciprocity holds
// (the layer is the same seen from either end).
TEST(Wave, CpmlKeepsTheDirectArrivalAndReciprocity) {
  const std::int64_t n = 101;
  const double c = 3000;
  const std::vector<float> v(static_cast<std::size_t>(n * n), static_cast<float>(c));
  const std::int64_t nt = 350;
  const auto a = with_cpml(survey(nt, 4, {50, 50}, {{50, 80}}));
  const auto out = run(v, n, n, a);
  double err = 0, norm = 0;
  for (std::int64_t k = 0; k < nt; ++k) {
    const double p = analytic(static_cast<double>(k + 1) * 1e-3, 300, c, 15, 73e-3, 100);
    err += (out[static_cast<std::size_t>(k)] - p) * (out[static_cast<std::size_t>(k)] - p), norm += p * p;
  }
  std::printf("[ wave     ] 20-cell C-PML, order 4, offset 300 m: relative L2 error %.4f\n", std::sqrt(err / norm));
  EXPECT_LT(std::sqrt(err / norm), 0.01);
  const std::int64_t nz = 60, nx = 80;
  std::vector<float> h(static_cast<std::size_t>(nz * nx));
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t x = 0; x < nx; ++x) h[static_cast<std::size_t>(z * nx + x)] = static_cast<float>(1800 + 25 * z + 300 * std::sin(0.1 * x) * (z > 30));
  const wave::Position A{1, 10}, B{40, 65};
  const auto ab = run(h, nz, nx, with_cpml(survey(600, 4, A, {B}))), ba = run(h, nz, nx, with_cpml(survey(600, 4, B, {A})));
  double e2 = 0, n2 = 0;
  for (std::size_t k = 0; k < ab.size(); ++k) e2 += (ab[k] - ba[k]) * (ab[k] - ba[k]), n2 += ab[k] * ab[k];
  std::printf("[ wave     ] 20-cell C-PML: reciprocity relative L2 difference %.2e\n", std::sqrt(e2 / n2));
  EXPECT_GT(n2, 0);
  EXPECT_LT(std::sqrt(e2 / n2), 1e-3);
}

TEST(Wave, SurveyJsonNamesItsBoundary) {
  auto a = wave::parse_acquisition(R"({"boundary": {"kind": "cpml"}})", "s.json", 70, 70);
  EXPECT_EQ(a.boundary_kind, wave::BoundaryKind::cpml);
  EXPECT_EQ(a.boundary, 20);
  a = wave::parse_acquisition(R"({"boundary": {"kind": "damping", "width": 50}})", "s.json", 70, 70);
  EXPECT_EQ(a.boundary_kind, wave::BoundaryKind::damping);
  EXPECT_EQ(a.boundary, 50);
  a = wave::parse_acquisition(R"({"boundary": 80})", "s.json", 70, 70);
  EXPECT_EQ(a.boundary_kind, wave::BoundaryKind::damping);
  EXPECT_EQ(a.boundary, 80);
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition(R"({"boundary": {"kind": "pml"}})", "s.json", 70, 70), "s.json: boundary: unknown boundary kind 'pml'");
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition(R"({"boundary": {"kind": "cpml", "size": 3}})", "s.json", 70, 70), "unknown key 'size'");
  EXPECT_ERROR_CONTAINS(wave::parse_acquisition(R"({"boundary": {"width": 3}})", "s.json", 70, 70), "expected \"kind\"");
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

namespace seisinr {
namespace {

// A small heterogeneous case for the linearisation tests: 24 × 30 cells, 2 shots, 6 receivers.
struct Small {
  std::int64_t nz = 24, nx = 30;
  std::vector<float> v, dv;
  wave::Acquisition a;
  Small() {
    v.resize(static_cast<std::size_t>(nz * nx)), dv.resize(v.size());
    for (std::int64_t z = 0; z < nz; ++z)
      for (std::int64_t x = 0; x < nx; ++x) {
        const std::size_t k = static_cast<std::size_t>(z * nx + x);
        v[k] = static_cast<float>(2000 + 40 * z + (z > 12 + 3 * std::sin(0.3 * x) ? 500 : 0));
        dv[k] = static_cast<float>(30 * std::sin(0.7 * z + 0.3 * x) * std::exp(-0.01 * ((z - 14) * (z - 14) + (x - 15) * (x - 15))));
      }
    a = wave::openfwi_acquisition(nz, nx);
    a.nt = 300, a.boundary = 20, a.boundary_speed = 2000;
    a.sources = {{1, 4}, {1, 25}};
    a.receivers = {{1, 0}, {1, 6}, {1, 12}, {1, 18}, {1, 24}, {1, 29}};
  }
  std::size_t data_size() const { return a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size(); }
};

double dot(const std::vector<float>& x, const std::vector<float>& y) {
  double s = 0;
  for (std::size_t i = 0; i < x.size(); ++i) s += static_cast<double>(x[i]) * y[i];
  return s;
}

// ⟨F δv, y⟩ = ⟨δv, Fᵀ y⟩ for the Born operator F and its adjoint: to 1e-12 in double. In
// float32 the two sides differ by the rounding of 300 steps of each pass (printed, ~1e-6; the
// issue's float32 target of 1e-6 is reported in docs/fwi.md, not asserted). Checkpointing (the
// backward pass recomputing segments) changes no bit.
TEST(WaveAdjoint, DotProductTest) {
  for (int order : {2, 4, 8}) {
    Small c;
    c.a.order = order;
    std::mt19937 rng(3);
    std::normal_distribution<double> nrm;
    std::vector<double> y(c.data_size()), dv(c.dv.begin(), c.dv.end()), dd(c.data_size()), g(c.v.size());
    for (auto& e : y) e = nrm(rng);
    wave::born(c.v.data(), c.nz, c.nx, c.a, dv.data(), dd.data(), 2);
    const std::int64_t k_all = wave::born_adjoint(c.v.data(), c.nz, c.nx, c.a, y.data(), g.data(), {2, 1ll << 30});
    double lhs = 0, rhs = 0;
    for (std::size_t i = 0; i < y.size(); ++i) lhs += dd[i] * y[i];
    for (std::size_t i = 0; i < g.size(); ++i) rhs += dv[i] * g[i];
    const double rel = std::fabs(lhs - rhs) / std::max(std::fabs(lhs), std::fabs(rhs));
    // float32 wavefields.
    std::vector<float> yf(y.begin(), y.end()), ddf(c.data_size()), gf(c.v.size()), gf2(c.v.size());
    wave::born(c.v.data(), c.nz, c.nx, c.a, c.dv.data(), ddf.data(), 2);
    wave::born_adjoint(c.v.data(), c.nz, c.nx, c.a, yf.data(), gf.data(), {2, 1ll << 30});
    const double lf = dot(ddf, yf), rf = dot(c.dv, gf);
    const double relf = std::fabs(lf - rf) / std::max(std::fabs(lf), std::fabs(rf));
    std::printf("[ wave     ] order %d: <F dv, y> = %.15e, <dv, F^T y> = %.15e: relative difference %.1e in double, %.1e in float32\n",
                order, lhs, rhs, rel, relf);
    EXPECT_EQ(k_all, c.a.nt);
    EXPECT_LT(rel, 1e-12) << "order " << order;
    const std::int64_t k = wave::born_adjoint(c.v.data(), c.nz, c.nx, c.a, yf.data(), gf2.data(), {1, 4 << 20});
    EXPECT_LT(k, c.a.nt);
    EXPECT_EQ(gf, gf2) << "checkpointing changed the adjoint";
  }
}

// ⟨F δv, y⟩ against ⟨δv, Fᵀ y⟩ in double for a random y (seeded): their relative difference.
// Also checks that checkpointing (a budget of `small` bytes per shot) changes no bit of the
// float32 adjoint.
double transpose_gap(const Small& c, unsigned seed, std::int64_t small) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> nrm;
  std::vector<double> y(c.data_size()), dv(c.dv.begin(), c.dv.end()), dd(c.data_size()), g(c.v.size());
  for (auto& e : y) e = nrm(rng);
  wave::born(c.v.data(), c.nz, c.nx, c.a, dv.data(), dd.data(), 2);
  wave::born_adjoint(c.v.data(), c.nz, c.nx, c.a, y.data(), g.data(), {2, 1ll << 30});
  double lhs = 0, rhs = 0;
  for (std::size_t i = 0; i < y.size(); ++i) lhs += dd[i] * y[i];
  for (std::size_t i = 0; i < g.size(); ++i) rhs += dv[i] * g[i];
  std::vector<float> yf(y.begin(), y.end()), g1(c.v.size()), g2(c.v.size());
  wave::born_adjoint(c.v.data(), c.nz, c.nx, c.a, yf.data(), g1.data(), {1, 1ll << 30});
  const std::int64_t k = wave::born_adjoint(c.v.data(), c.nz, c.nx, c.a, yf.data(), g2.data(), {1, small});
  EXPECT_LT(k, c.a.nt) << "the budget must force checkpointing";
  EXPECT_EQ(g1, g2) << "checkpointing changed the adjoint";
  return std::fabs(lhs - rhs) / std::max(std::fabs(lhs), std::fabs(rhs));
}

// With dx ≠ dz the adjoint keeps D_x u and D_z u apart (with dx = dz it stores their sum only):
// the transpose must hold on that path too, and checkpointing must not change it.
TEST(WaveAdjoint, DotProductTestWithUnequalSpacing) {
  Small c;
  c.a.dz = 7.5;
  const double rel = transpose_gap(c, 5, 4 << 20);
  std::printf("[ wave     ] dz = 7.5 m, dx = 10 m: relative difference %.1e in double\n", rel);
  EXPECT_LT(rel, 1e-12);
}

// The transpose with the C-PML (wave/cpml.h): its ψ, ζ and their adjoints, in double to 1e-12,
// for each order and for dx ≠ dz; checkpointing (which restores ψ, ζ) changes no bit.
TEST(WaveAdjoint, DotProductTestWithTheCpml) {
  for (int order : {2, 4, 8})
    for (double dz : {10.0, 7.5}) {
      Small c;
      c.a = with_cpml(c.a, 8);
      c.a.order = order, c.a.dz = dz;
      const double rel = transpose_gap(c, 11, 2 << 20);
      std::printf("[ wave     ] C-PML, order %d, dz %.1f m: relative difference %.1e in double\n", order, dz, rel);
      EXPECT_LT(rel, 1e-12) << "order " << order << ", dz " << dz;
    }
}

// A workspace kept across calls (wave::GradientWorkspace) changes no bit: calls of other grids,
// boundaries, precisions and checkpointing in between, two threads sharing it.
TEST(WaveAdjoint, WorkspaceReusedAcrossCallsChangesNoBit) {
  Small c;
  std::vector<float> obs(c.data_size());
  std::vector<float> vt = c.v;
  for (std::size_t k = 0; k < vt.size(); ++k) vt[k] += c.dv[k];
  wave::forward(vt.data(), c.nz, c.nx, c.a, obs.data(), 2);
  const wave::Acquisition damping = c.a, pml = with_cpml(c.a, 10);
  wave::GradientWorkspace ws;
  struct Call {
    const wave::Acquisition* a;
    std::int64_t memory;
    bool f64;
  };
  const std::vector<Call> calls = {{&damping, 1ll << 30, false}, {&pml, 1ll << 30, false}, {&damping, 4 << 20, false},
                                   {&pml, 4 << 20, true}, {&damping, 1ll << 30, false}, {&pml, 1ll << 30, false}};
  for (const Call& k : calls) {
    std::vector<float> fresh(c.v.size()), kept(c.v.size());
    const double j0 = wave::misfit_gradient(c.v.data(), c.nz, c.nx, *k.a, obs.data(), fresh.data(), {2, k.memory, k.f64});
    const double j1 = wave::misfit_gradient(c.v.data(), c.nz, c.nx, *k.a, obs.data(), kept.data(), {2, k.memory, k.f64, &ws});
    EXPECT_EQ(j0, j1);
    EXPECT_EQ(fresh, kept) << wave::boundary_description(*k.a) << ", memory " << k.memory << (k.f64 ? ", double" : "");
  }
}

// J(v + h δv) − J(v) − h ⟨∇J, δv⟩ falls as h² (and without the gradient term as h) over halvings,
// with the damping layer and with the C-PML.
void taylor(wave::BoundaryKind kind);
TEST(WaveAdjoint, TaylorTestOfTheMisfitGradient) { taylor(wave::BoundaryKind::damping); }
TEST(WaveAdjoint, TaylorTestOfTheMisfitGradientWithTheCpml) { taylor(wave::BoundaryKind::cpml); }

void taylor(wave::BoundaryKind kind) {
  Small c;
  if (kind == wave::BoundaryKind::cpml) c.a = with_cpml(c.a, 10);
  std::vector<float> obs(c.data_size()), g(c.v.size()), vt = c.v;
  for (std::size_t k = 0; k < vt.size(); ++k) vt[k] += 2 * c.dv[k] + 50.0f * (k % 7 == 0);  // the "true" model
  wave::forward(vt.data(), c.nz, c.nx, c.a, obs.data(), 2);
  const wave::GradientOptions f64{2, 1ll << 30, true};  // double wavefields: J's differences are not drowned in rounding
  const double j0 = wave::misfit_gradient(c.v.data(), c.nz, c.nx, c.a, obs.data(), g.data(), f64);
  const double slope = dot(c.dv, g);
  double prev1 = 0, prev2 = 0;
  int ok1 = 0, ok2 = 0;
  for (int i = 0; i < 6; ++i) {
    const double h = std::ldexp(1.0, -i - 1);
    std::vector<float> vh = c.v;
    for (std::size_t k = 0; k < vh.size(); ++k) vh[k] += static_cast<float>(h * c.dv[k]);
    const double jh = wave::misfit_gradient(vh.data(), c.nz, c.nx, c.a, obs.data(), nullptr, f64);
    const double r1 = std::fabs(jh - j0), r2 = std::fabs(jh - j0 - h * slope);
    if (i > 0) {
      std::printf("[ wave     ] h = 2^-%d: first-order remainder ratio %.2f (expect 2), second-order %.2f (expect 4)\n", i + 1, prev1 / r1, prev2 / r2);
      ok1 += std::fabs(prev1 / r1 - 2) < 0.2;
      ok2 += std::fabs(prev2 / r2 - 4) < 0.6;
    }
    prev1 = r1, prev2 = r2;
  }
  EXPECT_EQ(ok1, 5) << "the first-order remainder falls with slope 1";
  EXPECT_EQ(ok2, 5) << "the second-order remainder falls with slope 2";
}

}  // namespace
}  // namespace seisinr

#include "seisinr/invert/grid.h"

namespace seisinr {
namespace {

// Grid FWI from a smoothed true model: the misfit falls and the model comes closer to the truth.
TEST(InvertGrid, RecoversASmallModelFromItsSmoothedVersion) {
  const std::int64_t nz = 24, nx = 30;
  std::vector<float> truth(static_cast<std::size_t>(nz * nx));
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t x = 0; x < nx; ++x)
      truth[static_cast<std::size_t>(z * nx + x)] = static_cast<float>(2000 + (z > 10 + 2 * std::sin(0.3 * x) ? 600 : 0));
  wave::Acquisition a = wave::openfwi_acquisition(nz, nx);
  a.nt = 300, a.boundary = 20;
  a.sources = {{1, 3}, {1, 15}, {1, 27}};
  a.receivers.clear();
  for (std::int64_t x = 0; x < nx; ++x) a.receivers.push_back({1, x});
  std::vector<float> obs(a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size());
  wave::forward(truth.data(), nz, nx, a, obs.data(), 2);
  const std::vector<float> start = invert::gaussian_smooth(truth, nz, nx, 4);
  auto err = [&](const std::vector<float>& v) {
    double s = 0;
    for (std::size_t k = 0; k < v.size(); ++k) s += (v[k] - truth[k]) * (v[k] - truth[k]);
    return std::sqrt(s / static_cast<double>(v.size()));
  };
  invert::GridOptions o;
  o.iters = 8, o.lr = 20, o.threads = 2;
  std::vector<double> misfits;
  const auto v = invert::invert_grid(start, nz, nx, a, obs.data(), o, [&](const invert::IterationReport& r, const std::vector<float>&) {
    misfits.push_back(r.misfit);
  });
  std::printf("[ invert   ] grid FWI, 8 iterations: misfit %.4g -> %.4g, model RMS error %.1f -> %.1f m/s\n", misfits.front(),
              misfits.back(), err(start), err(v));
  ASSERT_EQ(misfits.size(), 8u);
  EXPECT_LT(misfits.back(), 0.5 * misfits.front());
  EXPECT_LT(err(v), err(start));
}

TEST(InvertGrid, GaussianSmoothingKeepsConstantsAndTheMean) {
  std::vector<float> c(20 * 30, 2500.0f);
  for (float e : invert::gaussian_smooth(c, 20, 30, 2.5)) EXPECT_NEAR(e, 2500.0f, 1e-2);
  std::vector<float> spike(21 * 21, 0.0f);
  spike[10 * 21 + 10] = 1;
  const auto s = invert::gaussian_smooth(spike, 21, 21, 1.5);
  double sum = 0;
  for (float e : s) sum += e;
  EXPECT_NEAR(sum, 1.0, 1e-5);
  EXPECT_NEAR(s[10 * 21 + 11], s[11 * 21 + 10], 1e-7) << "isotropic";
  EXPECT_GT(s[10 * 21 + 10], s[10 * 21 + 11]);
}

}  // namespace
}  // namespace seisinr
