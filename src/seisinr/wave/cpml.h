// seisinr/wave/cpml.h — internal: the C-PML's passes over the boundary strips (equations in
// wave/acoustic.h) and their exact transposes (wave/gradient.h), shared by the forward solver,
// the Born pass and the adjoint.
//
// One forward step with the C-PML is two sweeps: ψ ← a ψ + b D1 p over the strips (psi), then
// row by row p⁽ⁿ⁺¹⁾ = 2 p − p⁽ⁿ⁻¹⁾ + Σ_axes (v dt/h)² (T + ζ) with T = D2 p + D1 ψ and
// ζ ← a ζ + b T, the PML terms only over the strips widened by R (D1 ψ reaches R cells into the
// model), the plain stencil elsewhere (step). The gradient needs the whole of each axis'
// operator, T + ζ: step stores it.
//
// The transpose, for adjoint variables μ⁽ⁿ⁺²⁾ (mu2), ψ̄, ζ̄ (of ψ⁽ⁿ⁺¹⁾, ζ⁽ⁿ⁺¹⁾) and
// t_x = (v dt/dx)² μ⁽ⁿ⁺²⁾ (likewise t_z) made by the plain adjoint, per axis (D1ᵀ = −D1,
// D2ᵀ = D2 on the zero-haloed grid):
//   Z̄ = ζ̄ + t,  T̄ = t + b Z̄  (t ← T̄),  ζ̄ ← a Z̄                       (adjoint_scale)
//   Ψ̄ = ψ̄ − D1 T̄,  s = b Ψ̄,  ψ̄ ← a Ψ̄                                  (adjoint_psi)
//   μ⁽ⁿ⁺¹⁾ = 2 μ⁽ⁿ⁺²⁾ − μ⁽ⁿ⁺³⁾ + D2 T̄ (the plain adjoint on t) − D1 s     (adjoint_add)
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "seisinr/wave/medium.h"

namespace seisinr::wave::detail {

// ψ_x, ψ_z, ζ_x, ζ_z (or their adjoints, or scratch) in the fields' halo layout; zero at the start.
template <typename T>
struct PmlFields {
  std::vector<T> psx, psz, zx, zz;
  void zero(std::size_t size) {
    for (auto* f : {&psx, &psz, &zx, &zz}) f->assign(size, T(0));
  }
  void assign(const PmlFields& o) {
    psx = o.psx, psz = o.psz, zx = o.zx, zz = o.zz;
  }
};

// The strips of a line of N cells with a layer of w cells at each end, widened by e: [0, hi0)
// and [lo1, N) with no overlap.
// `round` > 1 widens each strip to a multiple of that many cells (whole vector registers: cells
// past the layer have a = b = 0 and compute zeros, where a ragged end would run scalar).
struct Strips {
  std::int64_t hi0, lo1, n;
  Strips(std::int64_t N, std::int64_t w, std::int64_t e, std::int64_t round = 1)
      : hi0(std::min(N, (w + e + round - 1) / round * round)), lo1(std::max(hi0, N - (w + e + round - 1) / round * round)), n(N) {}
  template <typename F>
  void each(F f) const {
    for (std::int64_t i = 0; i < hi0; ++i) f(i);
    for (std::int64_t i = lo1; i < n; ++i) f(i);
  }
};

template <int R, typename T>
struct PmlKernels {
  const Medium& m;
  T w2[R + 1], c1[R + 1];
  PmlKernels(const Medium& med, const std::vector<double>& stencil) : m(med) {
    for (int k = 0; k <= R; ++k) w2[k] = static_cast<T>(stencil[static_cast<std::size_t>(k)]);
    c1[0] = 0;
    for (int k = 1; k <= R; ++k) c1[k] = med.pml ? static_cast<T>(med.d1[static_cast<std::size_t>(k - 1)]) : T(0);
  }
  std::int64_t at(std::int64_t Z, std::int64_t X) const { return (Z + R) * m.stride + X + R; }
  T d1x(const T* f, std::int64_t i) const {
    T s = 0;
    for (int k = 1; k <= R; ++k) s += c1[k] * (f[i + k] - f[i - k]);
    return s;
  }
  T d1z(const T* f, std::int64_t i) const {
    T s = 0;
    for (int k = 1; k <= R; ++k) s += c1[k] * (f[i + k * m.stride] - f[i - k * m.stride]);
    return s;
  }

  // ψ ← a ψ + b D1 p over the strips: the x strips as two blocks of rows, the z strips row by row.
  SEISINR_WAVE_CLONES void psi(const T* __restrict u, PmlFields<T>& s) const {
    const Strips xs(m.NX, m.b, 0, 8), zs(m.NZ, m.b, 0);
    const std::int64_t o = R * m.stride + R;
    psi_x(m.NZ, xs.hi0, m.stride, u + o, s.psx.data() + o, m.pa_x.data(), m.pb_x.data());
    psi_x(m.NZ, m.NX - xs.lo1, m.stride, u + o + xs.lo1, s.psx.data() + o + xs.lo1, m.pa_x.data() + xs.lo1, m.pb_x.data() + xs.lo1);
    psi_z(zs.hi0, m.NX, m.stride, u + o, s.psz.data() + o, m.pa_z.data(), m.pb_z.data());
    const std::int64_t ol = o + zs.lo1 * m.stride;
    psi_z(m.NZ - zs.lo1, m.NX, m.stride, u + ol, s.psz.data() + ol, m.pa_z.data() + zs.lo1, m.pb_z.data() + zs.lo1);
  }
  // Every array a parameter, so that GCC honours __restrict and vectorises the loops.
  SEISINR_WAVE_CLONES void psi_x(std::int64_t rows, std::int64_t n, std::int64_t S, const T* __restrict u, T* __restrict ps,
                                 const float* __restrict pa, const float* __restrict pb) const {
    for (std::int64_t r = 0; r < rows; ++r, u += S, ps += S)
      for (std::int64_t X = 0; X < n; ++X) {
        T d = 0;
        for (int k = 1; k <= R; ++k) d += c1[k] * (u[X + k] - u[X - k]);
        ps[X] = static_cast<T>(pa[X]) * ps[X] + static_cast<T>(pb[X]) * d;
      }
  }
  SEISINR_WAVE_CLONES void psi_z(std::int64_t rows, std::int64_t n, std::int64_t S, const T* __restrict u, T* __restrict ps,
                                 const float* __restrict pa, const float* __restrict pb) const {
    for (std::int64_t r = 0; r < rows; ++r, u += S, ps += S) {
      const T a = static_cast<T>(pa[r]), b = static_cast<T>(pb[r]);
      for (std::int64_t X = 0; X < n; ++X) {
        T d = 0;
        for (int k = 1; k <= R; ++k) d += c1[k] * (u[X + k * S] - u[X - k * S]);
        ps[X] = a * ps[X] + b * d;
      }
    }
  }

  // One whole step with the C-PML, fused (what psi, the plain step and the PML's additions
  // compute, in one sweep after psi): next = 2 u − prev + (v dt/dx)² (D2_x u + D1_x ψ_x + ζ_x) +
  // (z alike), the PML terms computed only where they can be non-zero (the widened strips), in
  // nine blocks: corners (both axes' terms), edges (one axis'), the model (none). Store: 1 writes
  // the sum of both axes' whole operators (T + ζ) into lx_out, 2 each into lx_out and lz_out.
  // Iso (dx = dz) reads one coefficient stream.
  template <int Store, bool Iso>
  void step(const T* u, const T* prev, T* next, PmlFields<T>& s, T* lx_out = nullptr, T* lz_out = nullptr) const {
    psi(u, s);
    const Strips xs(m.NX, m.b, R, 8), zs(m.NZ, m.b, R);
    const std::int64_t zb[4] = {0, zs.hi0, zs.lo1, m.NZ}, xb[4] = {0, xs.hi0, xs.lo1, m.NX};
    for (int i = 0; i < 3; ++i) {
      if (zb[i + 1] <= zb[i]) continue;
      for (int j = 0; j < 3; ++j) {
        if (xb[j + 1] <= xb[j]) continue;
        const bool xt = j != 1, zt = i != 1;
        const std::int64_t Z0 = zb[i], rows = zb[i + 1] - zb[i], X0 = xb[j], n = xb[j + 1] - xb[j];
        if (xt && zt) block<true, true, Store, Iso>(Z0, rows, X0, n, u, prev, next, s, lx_out, lz_out);
        else if (xt) block<true, false, Store, Iso>(Z0, rows, X0, n, u, prev, next, s, lx_out, lz_out);
        else if (zt) block<false, true, Store, Iso>(Z0, rows, X0, n, u, prev, next, s, lx_out, lz_out);
        else block<false, false, Store, Iso>(Z0, rows, X0, n, u, prev, next, s, lx_out, lz_out);
      }
    }
  }
  // Rows Z0.. Z0 + rows − 1, cells X0.. X0 + n − 1, with the x terms (Xt) and the z terms (Zt).
  template <bool Xt, bool Zt, int Store, bool Iso>
  void block(std::int64_t Z0, std::int64_t rows, std::int64_t X0, std::int64_t n, const T* u, const T* prev, T* next, PmlFields<T>& s,
             T* lx_out, T* lz_out) const {
    const std::int64_t o = (Z0 + R) * m.stride + R + X0, k0 = Z0 * m.NX + X0;
    cells<Xt, Zt, Store, Iso>(rows, n, m.stride, m.NX, u + o, prev + o, next + o, s.psx.data() + o, s.psz.data() + o, s.zx.data() + o,
                              s.zz.data() + o, m.ax.data() + k0, (Iso ? m.ax.data() : m.az.data()) + k0, m.pa_x.data() + X0,
                              m.pb_x.data() + X0, m.pa_z.data() + Z0, m.pb_z.data() + Z0, Store ? lx_out + o : nullptr,
                              Store == 2 ? lz_out + o : nullptr);
  }
  template <bool Xt, bool Zt, int Store, bool Iso>
  SEISINR_WAVE_CLONES void cells(std::int64_t rows, std::int64_t n, std::int64_t S, std::int64_t NX, const T* __restrict c,
                                 const T* __restrict p, T* __restrict nx, const T* __restrict px, const T* __restrict pz,
                                 T* __restrict zx, T* __restrict zz, const float* __restrict ax, const float* __restrict az,
                                 const float* __restrict pax, const float* __restrict pbx, const float* __restrict paz,
                                 const float* __restrict pbz, T* __restrict lxo, T* __restrict lzo) const {
    for (std::int64_t r = 0; r < rows; ++r) {
      const std::int64_t f = r * S, q = r * NX;
      const T az_r = static_cast<T>(paz[r]), bz_r = static_cast<T>(pbz[r]);
      for (std::int64_t X = 0; X < n; ++X) {
        const std::int64_t i = f + X;
        T lx = w2[0] * c[i], lz = w2[0] * c[i];
        for (int k = 1; k <= R; ++k) lx += w2[k] * (c[i + k] + c[i - k]), lz += w2[k] * (c[i + k * S] + c[i - k * S]);
        if constexpr (Xt) {
          T d = 0;
          for (int k = 1; k <= R; ++k) d += c1[k] * (px[i + k] - px[i - k]);
          const T zn = static_cast<T>(pax[X]) * zx[i] + static_cast<T>(pbx[X]) * (lx + d);
          zx[i] = zn;
          lx += d + zn;
        }
        if constexpr (Zt) {
          T d = 0;
          for (int k = 1; k <= R; ++k) d += c1[k] * (pz[i + k * S] - pz[i - k * S]);
          const T zn = az_r * zz[i] + bz_r * (lz + d);
          zz[i] = zn;
          lz += d + zn;
        }
        if constexpr (Iso && !Xt && !Zt) nx[i] = T(2) * c[i] - p[i] + static_cast<T>(ax[q + X]) * (lx + lz);
        else nx[i] = T(2) * c[i] - p[i] + static_cast<T>(ax[q + X]) * lx + static_cast<T>(az[q + X]) * lz;
        if constexpr (Store == 1) lxo[i] = lx + lz;
        if constexpr (Store == 2) lxo[i] = lx, lzo[i] = lz;
      }
    }
  }

  // The transposes (the file's header): adj holds ψ̄ (psx, psz) and ζ̄ (zx, zz); scratch's psx,
  // psz receive s_x, s_z (zero outside the strips, as they stay).
  SEISINR_WAVE_CLONES void adjoint_scale(PmlFields<T>& adj, T* __restrict tx, T* __restrict tz) const {
    const Strips xs(m.NX, m.b, 0), zs(m.NZ, m.b, 0);
    T* __restrict zx = adj.zx.data();
    T* __restrict zz = adj.zz.data();
    for (std::int64_t Z = 0; Z < m.NZ; ++Z)
      xs.each([&](std::int64_t X) {
        const std::int64_t i = at(Z, X);
        const T zb = zx[i] + tx[i];
        tx[i] += static_cast<T>(m.pb_x[X]) * zb;
        zx[i] = static_cast<T>(m.pa_x[X]) * zb;
      });
    zs.each([&](std::int64_t Z) {
      const T a = static_cast<T>(m.pa_z[Z]), b = static_cast<T>(m.pb_z[Z]);
      for (std::int64_t X = 0; X < m.NX; ++X) {
        const std::int64_t i = at(Z, X);
        const T zb = zz[i] + tz[i];
        tz[i] += b * zb;
        zz[i] = a * zb;
      }
    });
  }
  SEISINR_WAVE_CLONES void adjoint_psi(PmlFields<T>& adj, const T* __restrict tx, const T* __restrict tz, PmlFields<T>& scratch) const {
    const Strips xs(m.NX, m.b, 0), zs(m.NZ, m.b, 0);
    T* __restrict px = adj.psx.data();
    T* __restrict pz = adj.psz.data();
    T* __restrict sx = scratch.psx.data();
    T* __restrict sz = scratch.psz.data();
    for (std::int64_t Z = 0; Z < m.NZ; ++Z)
      xs.each([&](std::int64_t X) {
        const std::int64_t i = at(Z, X);
        const T pb = px[i] - d1x(tx, i);
        sx[i] = static_cast<T>(m.pb_x[X]) * pb;
        px[i] = static_cast<T>(m.pa_x[X]) * pb;
      });
    zs.each([&](std::int64_t Z) {
      const T a = static_cast<T>(m.pa_z[Z]), b = static_cast<T>(m.pb_z[Z]);
      for (std::int64_t X = 0; X < m.NX; ++X) {
        const std::int64_t i = at(Z, X);
        const T pb = pz[i] - d1z(tz, i);
        sz[i] = b * pb;
        pz[i] = a * pb;
      }
    });
  }
  SEISINR_WAVE_CLONES void adjoint_add(const PmlFields<T>& scratch, T* __restrict mu1) const {
    const Strips xs(m.NX, m.b, R), zs(m.NZ, m.b, R);
    const T* __restrict sx = scratch.psx.data();
    const T* __restrict sz = scratch.psz.data();
    for (std::int64_t Z = 0; Z < m.NZ; ++Z) xs.each([&](std::int64_t X) { mu1[at(Z, X)] -= d1x(sx, at(Z, X)); });
    zs.each([&](std::int64_t Z) {
      for (std::int64_t X = 0; X < m.NX; ++X) mu1[at(Z, X)] -= d1z(sz, at(Z, X));
    });
  }
};

}  // namespace seisinr::wave::detail
