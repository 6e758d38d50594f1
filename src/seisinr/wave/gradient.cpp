// seisinr/wave/gradient.cpp — see gradient.h for the equations.
#include "seisinr/wave/gradient.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/parallel.h"
#include "seisinr/wave/acoustic.h"
#include "seisinr/wave/medium.h"

namespace seisinr::wave {
namespace {

using detail::Medium;
template <typename T>
using Field = std::vector<T>;

struct Ctx {
  const Medium& m;
  const Acquisition& a;
  std::vector<double> w;  // stencil a_0..a_R
  std::size_t size() const { return static_cast<std::size_t>((m.NZ + 2 * m.R) * m.stride); }
  std::int64_t at(std::int64_t Z, std::int64_t X) const { return (Z + m.R) * m.stride + X + m.R; }
  std::int64_t cell(std::int64_t Z, std::int64_t X) const { return Z * m.NX + X; }
  std::int64_t pos(const Position& p) const { return at(p.z + m.b, p.x + m.b); }
  // D_x f and D_z f at halo index i.
  template <typename T>
  double dx(const T* f, std::int64_t i) const {
    double s = w[0] * f[i];
    for (std::int64_t k = 1; k <= m.R; ++k) s += w[static_cast<std::size_t>(k)] * (f[i + k] + f[i - k]);
    return s;
  }
  template <typename T>
  double dz(const T* f, std::int64_t i) const {
    double s = w[0] * f[i];
    for (std::int64_t k = 1; k <= m.R; ++k) s += w[static_cast<std::size_t>(k)] * (f[i + k * m.stride] + f[i - k * m.stride]);
    return s;
  }
};

// u_next = C u − B u_prev + a_x D_x u + a_z D_z u (+ extra(Z, X)), into `next` (may alias u_prev).
template <typename T, typename Extra>
void step(const Ctx& c, const T* u, const T* prev, T* next, Extra extra) {
  for (std::int64_t Z = 0; Z < c.m.NZ; ++Z)
    for (std::int64_t X = 0; X < c.m.NX; ++X) {
      const std::int64_t i = c.at(Z, X), k = c.cell(Z, X);
      next[i] = static_cast<T>(c.m.C[k] * static_cast<double>(u[i]) - c.m.B[k] * static_cast<double>(prev[i]) +
                                   c.m.ax[k] * c.dx(u, i) + c.m.az[k] * c.dz(u, i) + extra(Z, X, i, k));
    }
}

const auto kNone = [](std::int64_t, std::int64_t, std::int64_t, std::int64_t) { return 0.0; };

float q_of(const Ctx& c, const Position& s) { return c.m.vdt2[static_cast<std::size_t>(c.cell(s.z + c.m.b, s.x + c.m.b))]; }

// Born, one shot: δd into dd (nt × nrec); dpad = δv on the padded cells.
template <typename T, typename IO>
void born_shot(const Ctx& c, std::size_t shot, const std::vector<IO>& dpad, IO* dd) {
  const Acquisition& a = c.a;
  Field<T> u0(c.size(), 0), u1(c.size(), 0), d0(c.size(), 0), d1(c.size(), 0);
  T *u = u1.data(), *up = u0.data(), *d = d1.data(), *dp = d0.data();
  const Position s = a.sources[shot];
  const std::int64_t src = c.pos(s);
  const std::size_t ks = static_cast<std::size_t>(c.cell(s.z + c.m.b, s.x + c.m.b));
  const double q = q_of(c, s), vs = std::sqrt(static_cast<double>(c.m.vdt2[ks])) / a.dt, dq = 2 * q / vs * dpad[ks];  // δq = 2 q δv / v
  for (std::int64_t n = 0; n < a.nt; ++n) {
    const double wn = n < static_cast<std::int64_t>(a.wavelet.size()) ? a.wavelet[static_cast<std::size_t>(n)] : 0.0;
    // δu first (it needs u⁽ⁿ⁾), then u.
    step(c, d, dp, dp, [&](std::int64_t, std::int64_t, std::int64_t i, std::int64_t k) {
      const double v = std::sqrt(static_cast<double>(c.m.vdt2[static_cast<std::size_t>(k)])) / a.dt;
      const double g = 2 * dpad[static_cast<std::size_t>(k)] / v;
      return g * (c.m.ax[k] * c.dx(u, i) + c.m.az[k] * c.dz(u, i));
    });
    dp[src] += static_cast<T>(dq * wn);
    step(c, u, up, up, kNone);
    up[src] += static_cast<T>(q * wn);
    IO* row = dd + static_cast<std::size_t>(n) * a.receivers.size();
    for (std::size_t r = 0; r < a.receivers.size(); ++r) row[r] = static_cast<IO>(dp[c.pos(a.receivers[r])]);
    std::swap(u, up), std::swap(d, dp);
  }
}

// Adjoint, one shot: y (nt × nrec) → gradients with respect to a_x, a_z (padded cells) and q.
template <typename T, typename IO>
void adjoint_shot(const Ctx& c, std::size_t shot, const IO* y, std::int64_t k_seg, std::vector<double>& gax, std::vector<double>& gaz,
                  double& gq) {
  const Acquisition& a = c.a;
  const std::int64_t nt = a.nt;
  const Position s = a.sources[shot];
  const std::int64_t src = c.pos(s);
  const double q = q_of(c, s);
  auto wave_at = [&](std::int64_t n) { return n < static_cast<std::int64_t>(a.wavelet.size()) ? a.wavelet[static_cast<std::size_t>(n)] : 0.0f; };
  // Forward with checkpoints: (u⁽ⁿ⁻¹⁾, u⁽ⁿ⁾) at n = 0, k, 2k, ...
  const std::int64_t segs = (nt + k_seg - 1) / k_seg;
  std::vector<Field<T>> cp_prev(static_cast<std::size_t>(segs)), cp_cur(static_cast<std::size_t>(segs));
  {
    Field<T> f0(c.size(), 0), f1(c.size(), 0);
    T *u = f1.data(), *up = f0.data();
    for (std::int64_t n = 0; n < nt; ++n) {
      if (n % k_seg == 0) cp_prev[static_cast<std::size_t>(n / k_seg)].assign(up, up + c.size()), cp_cur[static_cast<std::size_t>(n / k_seg)].assign(u, u + c.size());
      step(c, u, up, up, kNone);
      up[src] += static_cast<T>(q * wave_at(n));
      std::swap(u, up);
    }
  }
  // Backward: μ2 = μ⁽ⁿ⁺²⁾, μ3 = μ⁽ⁿ⁺³⁾; products t_x = a_x μ2, t_z = a_z μ2.
  Field<T> mu1(c.size(), 0), mu2(c.size(), 0), mu3(c.size(), 0), tx(c.size(), 0), tz(c.size(), 0);
  std::vector<Field<T>> seg(static_cast<std::size_t>(k_seg), Field<T>(c.size(), 0));
  const std::size_t nrec = a.receivers.size();
  for (std::int64_t j = segs - 1; j >= 0; --j) {
    const std::int64_t n0 = j * k_seg, len = std::min(k_seg, nt - n0);
    // Recompute u⁽ⁿ⁰⁾ .. u⁽ⁿ⁰⁺ˡᵉⁿ⁻¹⁾.
    seg[0] = cp_cur[static_cast<std::size_t>(j)];
    Field<T> prev = cp_prev[static_cast<std::size_t>(j)];
    for (std::int64_t i = 1; i < len; ++i) {
      const T* u = seg[static_cast<std::size_t>(i - 1)].data();
      const T* up = i == 1 ? prev.data() : seg[static_cast<std::size_t>(i - 2)].data();
      T* nx = seg[static_cast<std::size_t>(i)].data();
      step(c, u, up, nx, kNone);
      nx[src] += static_cast<T>(q * wave_at(n0 + i - 1));
    }
    for (std::int64_t n = n0 + len - 1; n >= n0; --n) {
      for (std::int64_t Z = 0; Z < c.m.NZ; ++Z)
        for (std::int64_t X = 0; X < c.m.NX; ++X) {
          const std::int64_t i = c.at(Z, X), k = c.cell(Z, X);
          tx[static_cast<std::size_t>(i)] = c.m.ax[k] * mu2[static_cast<std::size_t>(i)];
          tz[static_cast<std::size_t>(i)] = c.m.az[k] * mu2[static_cast<std::size_t>(i)];
        }
      for (std::int64_t Z = 0; Z < c.m.NZ; ++Z)
        for (std::int64_t X = 0; X < c.m.NX; ++X) {
          const std::int64_t i = c.at(Z, X), k = c.cell(Z, X);
          mu1[static_cast<std::size_t>(i)] = static_cast<T>(c.m.C[k] * static_cast<double>(mu2[i]) - c.m.B[k] * static_cast<double>(mu3[i]) +
                                                                c.dx(tx.data(), i) + c.dz(tz.data(), i));
        }
      const IO* yn = y + static_cast<std::size_t>(n) * nrec;
      for (std::size_t r = 0; r < nrec; ++r) mu1[static_cast<std::size_t>(c.pos(a.receivers[r]))] += yn[r];
      // Gradients of step n (it used u⁽ⁿ⁾).
      const T* u = seg[static_cast<std::size_t>(n - n0)].data();
      for (std::int64_t Z = 0; Z < c.m.NZ; ++Z)
        for (std::int64_t X = 0; X < c.m.NX; ++X) {
          const std::int64_t i = c.at(Z, X), k = c.cell(Z, X);
          gax[static_cast<std::size_t>(k)] += mu1[i] * c.dx(u, i);
          gaz[static_cast<std::size_t>(k)] += mu1[i] * c.dz(u, i);
        }
      gq += mu1[src] * static_cast<double>(wave_at(n));
      std::swap(mu3, mu2), std::swap(mu2, mu1);  // μ⁽ⁿ⁺¹⁾ becomes μ2 for the step before
    }
  }
}

// The forward of the C/D form above in T (the float64 path's gathers).
template <typename T>
void forward_shot(const Ctx& c, std::size_t shot, float* out) {
  const Acquisition& a = c.a;
  Field<T> f0(c.size(), 0), f1(c.size(), 0);
  T *u = f1.data(), *up = f0.data();
  const std::int64_t src = c.pos(a.sources[shot]);
  const double q = q_of(c, a.sources[shot]);
  for (std::int64_t n = 0; n < a.nt; ++n) {
    step(c, u, up, up, kNone);
    if (n < static_cast<std::int64_t>(a.wavelet.size())) up[src] += static_cast<T>(q * a.wavelet[static_cast<std::size_t>(n)]);
    float* row = out + static_cast<std::size_t>(n) * a.receivers.size();
    for (std::size_t r = 0; r < a.receivers.size(); ++r) row[r] = static_cast<float>(up[c.pos(a.receivers[r])]);
    std::swap(u, up);
  }
}

template <typename F>
void over_shots(std::size_t shots, int threads, F f) {
  parallel_for(static_cast<std::int64_t>(shots), std::max(1, threads), [&](std::int64_t s) { f(static_cast<std::size_t>(s)); });
}

// The padded cell's model cell.
std::int64_t model_cell(const Medium& m, std::int64_t k) {
  const std::int64_t Z = k / m.NX, X = k % m.NX;
  return std::clamp<std::int64_t>(Z - m.b, 0, m.nz - 1) * m.nx + std::clamp<std::int64_t>(X - m.b, 0, m.nx - 1);
}

}  // namespace

template <typename IO>
void born_impl(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const IO* dv, IO* dd, int threads, bool float64) {
  const Medium m = detail::build_medium(v, nz, nx, a);
  const Ctx c{m, a, laplacian_weights(a.order)};
  std::vector<IO> dpad(static_cast<std::size_t>(m.NZ * m.NX));
  for (std::size_t k = 0; k < dpad.size(); ++k) dpad[k] = dv[model_cell(m, static_cast<std::int64_t>(k))];
  const std::size_t per = static_cast<std::size_t>(a.nt) * a.receivers.size();
  over_shots(a.sources.size(), threads, [&](std::size_t s) {
    float64 ? born_shot<double>(c, s, dpad, dd + s * per) : born_shot<float>(c, s, dpad, dd + s * per);
  });
}

template <typename IO>
std::int64_t born_adjoint_impl(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const IO* y, IO* dv,
                               const GradientOptions& o) {
  const Medium m = detail::build_medium(v, nz, nx, a);
  const Ctx c{m, a, laplacian_weights(a.order)};
  const double field = static_cast<double>(c.size()) * (o.float64 ? sizeof(double) : sizeof(float));
  const std::int64_t all = a.nt, small = static_cast<std::int64_t>(std::ceil(std::sqrt(2.0 * static_cast<double>(a.nt))));
  const std::int64_t k = field * static_cast<double>(all + 8) <= static_cast<double>(o.memory_bytes) ? all : small;
  const double need = field * static_cast<double>(k + 2 * ((a.nt + k - 1) / k) + 8);
  if (need > static_cast<double>(o.memory_bytes))
    throw Error("wave: the gradient needs " + std::to_string(static_cast<long long>(need / (1 << 20))) + " MiB per shot for its wavefields; " +
                std::to_string(o.memory_bytes >> 20) + " MiB allowed");
  const std::size_t cells = static_cast<std::size_t>(m.NZ * m.NX), per = static_cast<std::size_t>(a.nt) * a.receivers.size();
  std::vector<std::vector<double>> gax(a.sources.size(), std::vector<double>(cells)), gaz = gax;
  std::vector<double> gq(a.sources.size(), 0.0);
  over_shots(a.sources.size(), o.threads, [&](std::size_t s) {
    o.float64 ? adjoint_shot<double>(c, s, y + s * per, k, gax[s], gaz[s], gq[s]) : adjoint_shot<float>(c, s, y + s * per, k, gax[s], gaz[s], gq[s]);
  });
  std::vector<double> g(static_cast<std::size_t>(nz * nx), 0.0);
  for (std::size_t s = 0; s < a.sources.size(); ++s) {
    for (std::size_t kk = 0; kk < cells; ++kk) {
      const double vv = std::sqrt(static_cast<double>(m.vdt2[kk])) / a.dt;
      g[static_cast<std::size_t>(model_cell(m, static_cast<std::int64_t>(kk)))] += (gax[s][kk] * 2 * m.ax[kk] + gaz[s][kk] * 2 * m.az[kk]) / vv;
    }
    const Position p = a.sources[s];
    const std::size_t kk = static_cast<std::size_t>((p.z + m.b) * m.NX + p.x + m.b);
    const double vv = std::sqrt(static_cast<double>(m.vdt2[kk])) / a.dt;
    g[static_cast<std::size_t>(p.z * nx + p.x)] += gq[s] * 2 * m.vdt2[kk] / vv;
  }
  for (std::size_t i = 0; i < g.size(); ++i) dv[i] = static_cast<IO>(g[i]);
  return k;
}

void born(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const float* dv, float* dd, int threads, bool float64) {
  born_impl(v, nz, nx, a, dv, dd, threads, float64);
}
void born(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const double* dv, double* dd, int threads) {
  born_impl(v, nz, nx, a, dv, dd, threads, true);
}
std::int64_t born_adjoint(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const float* y, float* dv,
                          const GradientOptions& o) {
  return born_adjoint_impl(v, nz, nx, a, y, dv, o);
}
std::int64_t born_adjoint(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const double* y, double* dv,
                          const GradientOptions& o) {
  GradientOptions d = o;
  d.float64 = true;
  return born_adjoint_impl(v, nz, nx, a, y, dv, d);
}

double misfit_gradient(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const float* observed, float* grad,
                       const GradientOptions& o) {
  std::vector<float> d(a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size());
  if (o.float64) {  // the gathers of the same C/D form, in double
    const Medium m = detail::build_medium(v, nz, nx, a);
    const Ctx c{m, a, laplacian_weights(a.order)};
    const std::size_t per = static_cast<std::size_t>(a.nt) * a.receivers.size();
    over_shots(a.sources.size(), o.threads, [&](std::size_t s) { forward_shot<double>(c, s, d.data() + s * per); });
  } else {
    forward(v, nz, nx, a, d.data(), o.threads);
  }
  double j = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    d[i] -= observed[i];
    j += 0.5 * static_cast<double>(d[i]) * d[i];
  }
  if (grad) born_adjoint(v, nz, nx, a, d.data(), grad, o);
  return j;
}

}  // namespace seisinr::wave
