// seisinr/wave/gradient.cpp — see gradient.h for the equations.
#include "seisinr/wave/gradient.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <memory>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/interrupt.h"
#include "seisinr/parallel.h"
#include "seisinr/wave/acoustic.h"
#include "seisinr/wave/cpml.h"
#include "seisinr/wave/medium.h"

namespace seisinr::wave {
namespace {

using detail::Medium;
using detail::PmlFields;
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
};


float q_of(const Ctx& c, const Position& s) { return c.m.vdt2[static_cast<std::size_t>(c.cell(s.z + c.m.b, s.x + c.m.b))]; }

// The hot loops, for a fixed stencil radius R and field type T. Fields carry the halo (index
// i = (Z + R)·S + X + R), coefficients do not (k = Z·NX + X).
template <int R, typename T>
struct Kernels {
  const Medium& m;
  T w[R + 1];
  detail::PmlKernels<R, T> P;  // the C-PML's passes (used when m.pml)
  Kernels(const Medium& med, const std::vector<double>& wd) : m(med), P(med, wd) {
    for (int k = 0; k <= R; ++k) w[k] = static_cast<T>(wd[static_cast<std::size_t>(k)]);
  }
  // One whole step: the plain one, or with the C-PML its fused step (wave/cpml.h); Store as step's.
  template <int Store = 0>
  void full_step(const T* u, const T* prev, T* next, PmlFields<T>& pml, T* lx_out = nullptr, T* lz_out = nullptr) const {
    if (!m.pml) step<Store>(u, prev, next, lx_out, lz_out);
    else if (m.iso) P.template step<Store, true>(u, prev, next, pml, lx_out, lz_out);
    else P.template step<Store, false>(u, prev, next, pml, lx_out, lz_out);
  }
  // next = C u − B prev + a_x D_x u + a_z D_z u. Store = 1 also writes (D_x + D_z) u into lx_out;
  // Store = 2 writes D_x u into lx_out and D_z u into lz_out (what the gradient needs of u).
  template <int Store = 0>
  SEISINR_WAVE_CLONES void step(const T* __restrict u, const T* __restrict prev, T* __restrict next, T* __restrict lx_out = nullptr,
            T* __restrict lz_out = nullptr) const {
    const std::int64_t S = m.stride;
    for (std::int64_t Z = 0; Z < m.NZ; ++Z) {
      const std::int64_t o = (Z + R) * S + R, row = Z * m.NX;
      const T* __restrict c = u + o;
      const T* __restrict p = prev + o;
      T* __restrict n = next + o;
      const float *__restrict ax = m.ax.data() + row, *__restrict az = m.az.data() + row, *__restrict C = m.C.data() + row,
                  *__restrict B = m.B.data() + row;
      for (std::int64_t X = 0; X < m.NX; ++X) {
        T lx = w[0] * c[X], lz = w[0] * c[X];
        for (int k = 1; k <= R; ++k) lx += w[k] * (c[X + k] + c[X - k]), lz += w[k] * (c[X + k * S] + c[X - k * S]);
        n[X] = static_cast<T>(C[X]) * c[X] - static_cast<T>(B[X]) * p[X] + static_cast<T>(ax[X]) * lx + static_cast<T>(az[X]) * lz;
        if constexpr (Store == 1) lx_out[o + X] = lx + lz;
        if constexpr (Store == 2) lx_out[o + X] = lx, lz_out[o + X] = lz;
      }
    }
  }
  // μ1 = C μ2 − B μ3 + D_x(a_x μ2) + D_z(a_z μ2); tx, tz are scratch fields (halos zero). With
  // iso (dx = dz, so a_x = a_z) and no C-PML the two terms are one Laplacian of tx = a μ2 and tz
  // is unused. With the C-PML, t_x and t_z are changed in the strips and ψ̄, ζ̄ (adj) stepped
  // between the two loops (wave/cpml.h), and −D1 s added at the end.
  void adjoint(const T* mu2, const T* mu3, T* tx, T* tz, T* mu1, PmlFields<T>& adj, PmlFields<T>& scratch) const {
    if (m.pml) {
      scale<false>(mu2, tx, tz);
      P.adjoint_scale(adj, tx, tz);
      P.adjoint_psi(adj, tx, tz, scratch);
      apply<false>(mu2, mu3, tx, tz, mu1);
      P.adjoint_add(scratch, mu1);
    } else if (m.iso) {
      scale<true>(mu2, tx, tz);
      apply<true>(mu2, mu3, tx, tz, mu1);
    } else {
      scale<false>(mu2, tx, tz);
      apply<false>(mu2, mu3, tx, tz, mu1);
    }
  }
  template <bool Iso>
  SEISINR_WAVE_CLONES void scale(const T* __restrict mu2, T* __restrict tx, T* __restrict tz) const {
    const std::int64_t S = m.stride;
    for (std::int64_t Z = 0; Z < m.NZ; ++Z) {
      const std::int64_t o = (Z + R) * S + R, row = Z * m.NX;
      const float *__restrict ax = m.ax.data() + row, *__restrict az = m.az.data() + row;
      for (std::int64_t X = 0; X < m.NX; ++X) {
        tx[o + X] = static_cast<T>(ax[X]) * mu2[o + X];
        if constexpr (!Iso) tz[o + X] = static_cast<T>(az[X]) * mu2[o + X];
      }
    }
  }
  template <bool Iso>
  SEISINR_WAVE_CLONES void apply(const T* __restrict mu2, const T* __restrict mu3, const T* __restrict tx, const T* __restrict tz,
                                 T* __restrict mu1) const {
    const std::int64_t S = m.stride;
    const T* tzz = Iso ? tx : tz;
    for (std::int64_t Z = 0; Z < m.NZ; ++Z) {
      const std::int64_t o = (Z + R) * S + R, row = Z * m.NX;
      const T *__restrict a = tx + o, *__restrict b = tzz + o, *__restrict m2 = mu2 + o, *__restrict m3 = mu3 + o;
      T* __restrict n = mu1 + o;
      const float *__restrict C = m.C.data() + row, *__restrict B = m.B.data() + row;
      for (std::int64_t X = 0; X < m.NX; ++X) {
        T lx = w[0] * a[X], lz = w[0] * b[X];
        for (int k = 1; k <= R; ++k) lx += w[k] * (a[X + k] + a[X - k]), lz += w[k] * (b[X + k * S] + b[X - k * S]);
        n[X] = static_cast<T>(C[X]) * m2[X] - static_cast<T>(B[X]) * m3[X] + lx + lz;
      }
    }
  }
  // g += μ1 · l over the cells (l a stored D_x u, D_z u or their sum).
  SEISINR_WAVE_CLONES void accumulate(const T* __restrict mu1, const T* __restrict l, double* __restrict g) const {
    const std::int64_t S = m.stride;
    for (std::int64_t Z = 0; Z < m.NZ; ++Z) {
      const std::int64_t o = (Z + R) * S + R, row = Z * m.NX;
      const T *__restrict lo = l + o, *__restrict mu = mu1 + o;
      double* __restrict x = g + row;
      for (std::int64_t X = 0; X < m.NX; ++X) x[X] += static_cast<double>(mu[X] * lo[X]);
    }
  }
};

// One running shot's buffers (adjoint_shot says what each holds); GradientWorkspace keeps them.
template <typename T>
struct ShotBuffers {
  std::vector<Field<T>> lx, lz, cp_prev, cp_cur;
  std::vector<PmlFields<T>> cp_pml;
  Field<T> f0, f1, f2, mu1, mu2, mu3, tx, tz;
  PmlFields<T> pml, adj, scratch;
};

// f holds `size` values; zeroed when `zero` or when it had another size. Returns its data.
template <typename T>
T* fit(Field<T>& f, std::size_t size, bool zero) {
  if (f.size() != size) f.assign(size, T(0));
  else if (zero) std::fill(f.begin(), f.end(), T(0));
  return f.data();
}

}  // namespace

struct GradientWorkspace::Impl {
  std::mutex mu;
  std::vector<std::unique_ptr<ShotBuffers<float>>> f;
  std::vector<std::unique_ptr<ShotBuffers<double>>> d;
  template <typename T>
  std::vector<std::unique_ptr<ShotBuffers<T>>>& free() {
    if constexpr (std::is_same_v<T, float>) return f;
    else return d;
  }
};
GradientWorkspace::GradientWorkspace() : impl(std::make_unique<Impl>()) {}
GradientWorkspace::~GradientWorkspace() = default;

namespace {

// A shot's buffers for the length of one adjoint_shot: taken from the workspace (or made), and
// given back at the end.
template <typename T>
class Lease {
 public:
  explicit Lease(GradientWorkspace* ws) : ws_(ws) {
    if (ws_) {
      std::lock_guard<std::mutex> lock(ws_->impl->mu);
      auto& pool = ws_->impl->template free<T>();
      if (!pool.empty()) b_ = std::move(pool.back()), pool.pop_back();
    }
    if (!b_) b_ = std::make_unique<ShotBuffers<T>>();
  }
  ~Lease() {
    if (!ws_) return;
    std::lock_guard<std::mutex> lock(ws_->impl->mu);
    ws_->impl->template free<T>().push_back(std::move(b_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ShotBuffers<T>& operator*() const { return *b_; }

 private:
  GradientWorkspace* ws_;
  std::unique_ptr<ShotBuffers<T>> b_;
};

// The slots a shot's adjoint keeps: b.lx[i], b.lz[i], each axis' operator on u (or lx = their
// sum) of step n0 + i of the segment being walked, and with several segments each segment's
// checkpoints. Every interior cell is written by the step that stores it, and only interior cells
// are read: kept slots need no zeroing.
template <typename T>
void reserve_segments(ShotBuffers<T>& b, std::int64_t k_seg, std::int64_t segs, bool iso, bool pml) {
  const auto k = static_cast<std::size_t>(k_seg), n = static_cast<std::size_t>(segs);
  if (b.lx.size() < k) b.lx.resize(k);
  if (!iso && b.lz.size() < k) b.lz.resize(k);
  if (segs > 1 && b.cp_prev.size() < n) b.cp_prev.resize(n), b.cp_cur.resize(n);
  if (pml && segs > 1 && b.cp_pml.size() < n) b.cp_pml.resize(n);
}

// One shot's share of the adjoint: y (nt × nrec) → the gradients with respect to a_x, a_z
// (padded cells; with dx = dz only gx, for a_x = a_z) and q. With `observed`, y is made here as
// the residual d − d_obs of this pass's own gathers, and ½‖y‖² goes to *misfit: forward and
// adjoint then share one forward pass. What the backward pass needs of u⁽ⁿ⁾ is D_x u⁽ⁿ⁾ and
// D_z u⁽ⁿ⁾ (their sum when dx = dz), which step n computes anyway: those are stored, for every
// step when they fit (k = nt), else for one segment of k steps at a time, recomputed from the
// checkpoints (u⁽ⁿ⁻¹⁾, u⁽ⁿ⁾) kept at n = 0, k, 2k, ...
template <int R, typename T, typename IO>
void adjoint_shot(const Ctx& c, std::size_t shot, const IO* y_in, const float* observed, std::int64_t k_seg, std::vector<double>& gx,
                  std::vector<double>& gz, double& gq, double* misfit, ShotBuffers<T>& b) {
  const Acquisition& a = c.a;
  const Kernels<R, T> K(c.m, c.w);
  const std::int64_t nt = a.nt;
  const std::size_t nrec = a.receivers.size(), size = c.size();
  const bool iso = a.dx == a.dz, pml = c.m.pml;
  const std::int64_t src = c.pos(a.sources[shot]);
  const double q = q_of(c, a.sources[shot]);
  std::vector<std::int64_t> rec;
  for (const Position& p : a.receivers) rec.push_back(c.pos(p));
  auto wave_at = [&](std::int64_t n) { return n < static_cast<std::int64_t>(a.wavelet.size()) ? a.wavelet[static_cast<std::size_t>(n)] : 0.0f; };
  const std::int64_t segs = (nt + k_seg - 1) / k_seg;
  const bool keep_all = segs == 1;
  reserve_segments(b, k_seg, segs, iso, pml);
  if (pml) b.pml.zero(size);  // ψ, ζ of the forward wavefield
  auto stepped = [&](const T* u, const T* up, T* next, std::int64_t i) {  // a step that stores into segment slot i
    T* x = fit(b.lx[static_cast<std::size_t>(i)], size, false);
    if (iso) K.template full_step<1>(u, up, next, b.pml, x);
    else K.template full_step<2>(u, up, next, b.pml, x, fit(b.lz[static_cast<std::size_t>(i)], size, false));
  };
  std::vector<IO> y;
  const IO* yv = y_in;
  fit(b.f0, size, true), fit(b.f1, size, true), fit(b.f2, size, false);  // f2's halo is never written: zero since made
  {  // forward
    if (observed) y.resize(static_cast<std::size_t>(nt) * nrec);
    T *up = b.f0.data(), *u = b.f1.data(), *next = b.f2.data();
    for (std::int64_t n = 0; n < nt; ++n) {
      throw_if_stop_requested("wave propagation");  // SIGINT/SIGTERM seen within a time step
      if (!keep_all && n % k_seg == 0) {
        const std::size_t j = static_cast<std::size_t>(n / k_seg);
        b.cp_prev[j].assign(up, up + size), b.cp_cur[j].assign(u, u + size);
        if (pml) b.cp_pml[j].assign(b.pml);
      }
      if (!observed && !keep_all && n >= (segs - 1) * k_seg) break;  // the last segment is recomputed below anyway
      if (keep_all) stepped(u, up, next, n);
      else K.full_step(u, up, next, b.pml);
      next[src] += static_cast<T>(q * wave_at(n));
      if (observed)
        for (std::size_t r = 0; r < nrec; ++r) {
          const std::size_t j = static_cast<std::size_t>(n) * nrec + r;
          y[j] = static_cast<IO>(static_cast<double>(next[rec[r]]) - observed[j]);
          *misfit += 0.5 * static_cast<double>(y[j]) * static_cast<double>(y[j]);
        }
      T* t = up;
      up = u, u = next, next = t;
    }
    if (observed) yv = y.data();
  }
  // Backward: μ2 = μ⁽ⁿ⁺²⁾, μ3 = μ⁽ⁿ⁺³⁾.
  fit(b.mu1, size, false), fit(b.mu2, size, true), fit(b.mu3, size, true), fit(b.tx, size, false);
  if (!iso || pml) fit(b.tz, size, false);
  if (pml) b.adj.zero(size), b.scratch.zero(size);  // ψ̄, ζ̄ and the transposes' s
  T *mu1 = b.mu1.data(), *mu2 = b.mu2.data(), *mu3 = b.mu3.data();
  for (std::int64_t j = segs - 1; j >= 0; --j) {
    const std::int64_t n0 = j * k_seg, len = std::min(k_seg, nt - n0);
    if (!keep_all) {  // recompute the segment's stored derivatives from its checkpoint
      b.f0 = b.cp_prev[static_cast<std::size_t>(j)], b.f1 = b.cp_cur[static_cast<std::size_t>(j)];
      if (pml) b.pml.assign(b.cp_pml[static_cast<std::size_t>(j)]);
      T *up = b.f0.data(), *u = b.f1.data(), *next = b.f2.data();
      for (std::int64_t i = 0; i < len; ++i) {
        stepped(u, up, next, i);
        next[src] += static_cast<T>(q * wave_at(n0 + i));
        T* t = up;
        up = u, u = next, next = t;
      }
    }
    for (std::int64_t n = n0 + len - 1; n >= n0; --n) {
      K.adjoint(mu2, mu3, b.tx.data(), b.tz.data(), mu1, b.adj, b.scratch);
      const IO* yn = yv + static_cast<std::size_t>(n) * nrec;
      for (std::size_t r = 0; r < nrec; ++r) mu1[rec[r]] += static_cast<T>(yn[r]);
      K.accumulate(mu1, b.lx[static_cast<std::size_t>(n - n0)].data(), gx.data());  // step n used u⁽ⁿ⁾
      if (!iso) K.accumulate(mu1, b.lz[static_cast<std::size_t>(n - n0)].data(), gz.data());
      gq += static_cast<double>(mu1[src]) * static_cast<double>(wave_at(n));
      T* t = mu3;
      mu3 = mu2, mu2 = mu1, mu1 = t;  // μ⁽ⁿ⁺¹⁾ becomes μ2 for the step before
    }
  }
}

// Born, one shot: δd into dd (nt × nrec); g = 2 δv / v on the padded cells (δa = g a, δq = g q).
// u and δu step with the adjoint's kernel (u bit for bit the same wavefield); u's step stores
// each axis' whole operator (with the C-PML's terms), which δu's source δa_x L_x u + δa_z L_z u needs.
template <int R, typename T, typename IO>
void born_shot(const Ctx& c, std::size_t shot, const std::vector<double>& g, IO* dd) {
  const Acquisition& a = c.a;
  const Kernels<R, T> K(c.m, c.w);
  const std::size_t size = c.size();
  Field<T> f0(size, 0), f1(size, 0), f2(size, 0), d0(size, 0), d1(size, 0), d2(size, 0), lx(size, 0), lz(size, 0);
  T *up = f0.data(), *u = f1.data(), *next = f2.data(), *dp = d0.data(), *d = d1.data(), *dn = d2.data();
  PmlFields<T> pu, pd;
  if (c.m.pml) pu.zero(size), pd.zero(size);
  const Position s = a.sources[shot];
  const std::int64_t src = c.pos(s);
  const double q = q_of(c, s), dq = q * g[static_cast<std::size_t>(c.cell(s.z + c.m.b, s.x + c.m.b))];
  for (std::int64_t n = 0; n < a.nt; ++n) {
    throw_if_stop_requested("wave propagation");
    const double wn = n < static_cast<std::int64_t>(a.wavelet.size()) ? a.wavelet[static_cast<std::size_t>(n)] : 0.0;
    K.template full_step<2>(u, up, next, pu, lx.data(), lz.data());
    next[src] += static_cast<T>(q * wn);
    K.full_step(d, dp, dn, pd);
    for (std::int64_t Z = 0; Z < c.m.NZ; ++Z)
      for (std::int64_t X = 0; X < c.m.NX; ++X) {
        const std::int64_t i = c.at(Z, X), k = c.cell(Z, X);
        dn[i] += static_cast<T>(g[static_cast<std::size_t>(k)] * (c.m.ax[static_cast<std::size_t>(k)] * static_cast<double>(lx[static_cast<std::size_t>(i)]) +
                                                                 c.m.az[static_cast<std::size_t>(k)] * static_cast<double>(lz[static_cast<std::size_t>(i)])));
      }
    dn[src] += static_cast<T>(dq * wn);
    IO* row = dd + static_cast<std::size_t>(n) * a.receivers.size();
    for (std::size_t r = 0; r < a.receivers.size(); ++r) row[r] = static_cast<IO>(dn[c.pos(a.receivers[r])]);
    T* t = up;
    up = u, u = next, next = t;
    t = dp;
    dp = d, d = dn, dn = t;
  }
}

// The forward of the same kernel (the gathers the misfit is computed from), into out (nt × nrec).
template <int R, typename T>
void forward_shot(const Ctx& c, std::size_t shot, float* out) {
  const Acquisition& a = c.a;
  const Kernels<R, T> K(c.m, c.w);
  Field<T> f0(c.size(), 0), f1(c.size(), 0), f2(c.size(), 0);
  T *up = f0.data(), *u = f1.data(), *next = f2.data();
  const std::int64_t src = c.pos(a.sources[shot]);
  const double q = q_of(c, a.sources[shot]);
  PmlFields<T> pml;
  if (c.m.pml) pml.zero(c.size());
  for (std::int64_t n = 0; n < a.nt; ++n) {
    throw_if_stop_requested("wave propagation");
    K.full_step(u, up, next, pml);
    if (n < static_cast<std::int64_t>(a.wavelet.size())) next[src] += static_cast<T>(q * a.wavelet[static_cast<std::size_t>(n)]);
    float* row = out + static_cast<std::size_t>(n) * a.receivers.size();
    for (std::size_t r = 0; r < a.receivers.size(); ++r) row[r] = static_cast<float>(next[c.pos(a.receivers[r])]);
    T* t = up;
    up = u, u = next, next = t;
  }
}

// f<R>() for the order's radius R.
template <typename F>
void with_radius(std::int64_t R, F f) {
  switch (R) {
    case 1: f(std::integral_constant<int, 1>{}); break;
    case 2: f(std::integral_constant<int, 2>{}); break;
    default: f(std::integral_constant<int, 4>{}); break;
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
  std::vector<double> g(static_cast<std::size_t>(m.NZ * m.NX));
  for (std::size_t k = 0; k < g.size(); ++k)
    g[k] = 2 * static_cast<double>(dv[model_cell(m, static_cast<std::int64_t>(k))]) / (std::sqrt(static_cast<double>(m.vdt2[k])) / a.dt);
  const std::size_t per = static_cast<std::size_t>(a.nt) * a.receivers.size();
  over_shots(a.sources.size(), threads, [&](std::size_t s) {
    with_radius(m.R, [&](auto R) {
      float64 ? born_shot<R.value, double>(c, s, g, dd + s * per) : born_shot<R.value, float>(c, s, g, dd + s * per);
    });
  });
}

// The adjoint pass over every shot: from y (or, with `observed`, from each shot's residual) to
// dv = (∂d/∂v)ᵀ y; returns k, and adds ½‖d − d_obs‖² to *misfit when `observed` is given.
template <typename IO>
std::int64_t adjoint_impl(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const IO* y, const float* observed,
                          IO* dv, const GradientOptions& o, double* misfit) {
  const Medium m = detail::build_medium(v, nz, nx, a);
  const Ctx c{m, a, laplacian_weights(a.order)};
  const double field = static_cast<double>(c.size()) * (o.float64 ? sizeof(double) : sizeof(float));
  const std::int64_t all = a.nt, small = static_cast<std::int64_t>(std::ceil(std::sqrt(2.0 * static_cast<double>(a.nt))));
  const double stored = field * (a.dx == a.dz ? 1 : 2);  // per step: (D_x + D_z) u, or D_x u and D_z u
  const std::int64_t k = stored * static_cast<double>(all) + 8 * field <= static_cast<double>(o.memory_bytes) ? all : small;
  const double pml_fields = m.pml ? 12 + 4 * static_cast<double>((a.nt + k - 1) / k) : 0;  // ψ, ζ: forward, adjoint, scratch, checkpoints
  const double need = stored * static_cast<double>(k) + field * (static_cast<double>(2 * ((a.nt + k - 1) / k) + 8) + pml_fields);
  if (need > static_cast<double>(o.memory_bytes))
    throw Error("wave: the gradient needs " + std::to_string(static_cast<long long>(need / (1 << 20))) + " MiB per shot for its wavefields; " +
                std::to_string(o.memory_bytes >> 20) + " MiB allowed");
  const std::size_t cells = static_cast<std::size_t>(m.NZ * m.NX), per = static_cast<std::size_t>(a.nt) * a.receivers.size();
  const std::size_t shots = a.sources.size();
  std::vector<std::vector<double>> gx(shots, std::vector<double>(cells)), gz(shots, std::vector<double>(a.dx == a.dz ? 0 : cells));
  std::vector<double> gq(shots, 0.0), js(shots, 0.0);
  over_shots(shots, o.threads, [&](std::size_t s) {
    const IO* ys = y ? y + s * per : nullptr;
    const float* obs = observed ? observed + s * per : nullptr;
    with_radius(m.R, [&](auto R) {
      if (o.float64) adjoint_shot<R.value, double>(c, s, ys, obs, k, gx[s], gz[s], gq[s], &js[s], *Lease<double>(o.workspace));
      else adjoint_shot<R.value, float>(c, s, ys, obs, k, gx[s], gz[s], gq[s], &js[s], *Lease<float>(o.workspace));
    });
  });
  if (misfit)
    for (double j : js) *misfit += j;
  // ∂/∂v = (2 a_x ∂/∂a_x + 2 a_z ∂/∂a_z) / v, the padded cells folded onto the cells they copy.
  std::vector<double> g(static_cast<std::size_t>(nz * nx), 0.0);
  for (std::size_t s = 0; s < shots; ++s) {
    for (std::size_t kk = 0; kk < cells; ++kk) {
      const double vv = std::sqrt(static_cast<double>(m.vdt2[kk])) / a.dt;
      const double d = gz[s].empty() ? gx[s][kk] * 2 * m.ax[kk] : gx[s][kk] * 2 * m.ax[kk] + gz[s][kk] * 2 * m.az[kk];
      g[static_cast<std::size_t>(model_cell(m, static_cast<std::int64_t>(kk)))] += d / vv;
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
  return adjoint_impl<float>(v, nz, nx, a, y, nullptr, dv, o, nullptr);
}
std::int64_t born_adjoint(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const double* y, double* dv,
                          const GradientOptions& o) {
  GradientOptions d = o;
  d.float64 = true;
  return adjoint_impl<double>(v, nz, nx, a, y, nullptr, dv, d, nullptr);
}

double misfit_gradient(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const float* observed, float* grad,
                       const GradientOptions& o) {
  double j = 0;
  if (grad) {
    adjoint_impl<float>(v, nz, nx, a, nullptr, observed, grad, o, &j);
    return j;
  }
  std::vector<float> d(a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size());
  const Medium m = detail::build_medium(v, nz, nx, a);
  const Ctx c{m, a, laplacian_weights(a.order)};
  const std::size_t per = static_cast<std::size_t>(a.nt) * a.receivers.size();
  over_shots(a.sources.size(), o.threads, [&](std::size_t s) {
    with_radius(m.R, [&](auto R) { o.float64 ? forward_shot<R.value, double>(c, s, d.data() + s * per) : forward_shot<R.value, float>(c, s, d.data() + s * per); });
  });
  for (std::size_t i = 0; i < d.size(); ++i) j += 0.5 * (static_cast<double>(d[i]) - observed[i]) * (static_cast<double>(d[i]) - observed[i]);
  return j;
}

}  // namespace seisinr::wave
