// seisinr/wave/acoustic.cpp — see acoustic.h for the equations.
#include "seisinr/wave/acoustic.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <mutex>
#include <thread>

#include "seisinr/error.h"
#include "seisinr/interrupt.h"
#include "seisinr/parallel.h"
#include "seisinr/wave/cpml.h"
#include "seisinr/wave/medium.h"

namespace seisinr::wave {

std::vector<double> laplacian_weights(int order) {
  switch (order) {
    case 2: return {-2.0, 1.0};
    case 4: return {-5.0 / 2, 4.0 / 3, -1.0 / 12};
    case 8: return {-205.0 / 72, 8.0 / 5, -1.0 / 5, 8.0 / 315, -1.0 / 560};
    default: throw Error("wave: the Laplacian's order must be 2, 4 or 8, got " + std::to_string(order));
  }
}

double cell_updates(std::int64_t nz, std::int64_t nx, const Acquisition& a) {
  return static_cast<double>(a.sources.size()) * static_cast<double>(a.nt) * static_cast<double>(nz + 2 * a.boundary) *
         static_cast<double>(nx + 2 * a.boundary);
}

namespace detail {

double damping(std::int64_t i, std::int64_t b, double h, double vmin) {
  const double A = static_cast<double>(b - 1) * h, k0 = 3 * vmin * std::log(1e7) / (2 * A);
  const double r = static_cast<double>(i) * h / A;
  return k0 * r * r;
}

std::vector<double> first_derivative_weights(int order) {
  switch (order) {
    case 2: return {1.0 / 2};
    case 4: return {2.0 / 3, -1.0 / 12};
    case 8: return {4.0 / 5, -1.0 / 5, 4.0 / 105, -1.0 / 280};
    default: throw Error("wave: the first derivative's order must be 2, 4 or 8, got " + std::to_string(order));
  }
}

std::pair<double, double> cpml_coefficients(std::int64_t i, std::int64_t w, double h, double speed, double freq, double dt) {
  const double rho = 1e-5, r = static_cast<double>(i + 1) / static_cast<double>(w);
  const double sigma = -3 * speed * std::log(rho) / (2 * static_cast<double>(w) * h) * r * r, alpha = M_PI * freq * (1 - r);
  const double a = std::exp(-(sigma + alpha) * dt), b = sigma + alpha > 0 ? sigma * (a - 1) / (sigma + alpha) : 0.0;
  return {a, b};
}

Medium build_medium(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a) {
  Medium m;
  m.nz = nz, m.nx = nx, m.b = a.boundary, m.R = a.order / 2;
  m.NZ = nz + 2 * m.b, m.NX = nx + 2 * m.b, m.stride = m.NX + 2 * m.R;
  m.iso = a.dx == a.dz;
  const std::size_t cells = static_cast<std::size_t>(m.NZ * m.NX);
  m.ax.resize(cells), m.az.resize(cells), m.A.resize(cells), m.B.resize(cells), m.C.resize(cells), m.vdt2.resize(cells);
  const double a0 = laplacian_weights(a.order)[0];
  m.pml = a.boundary_kind == BoundaryKind::cpml;
  const double speed = a.boundary_speed > 0 ? a.boundary_speed
                       : m.pml            ? *std::max_element(v, v + nz * nx)
                                          : *std::min_element(v, v + nz * nx);
  if (m.pml) {
    m.d1 = first_derivative_weights(a.order);
    auto profile = [&](std::int64_t N, std::int64_t n, double h, std::vector<float>& pa, std::vector<float>& pb) {
      pa.assign(static_cast<std::size_t>(N), 0.0f), pb.assign(static_cast<std::size_t>(N), 0.0f);
      for (std::int64_t I = 0; I < N; ++I) {
        const std::int64_t i = I < m.b ? m.b - 1 - I : I >= m.b + n ? I - m.b - n : -1;
        if (i < 0) continue;
        const auto [ca, cb] = cpml_coefficients(i, m.b, h, speed, a.freq, a.dt);
        pa[static_cast<std::size_t>(I)] = static_cast<float>(ca), pb[static_cast<std::size_t>(I)] = static_cast<float>(cb);
      }
    };
    profile(m.NX, nx, a.dx, m.pa_x, m.pb_x);
    profile(m.NZ, nz, a.dz, m.pa_z, m.pb_z);
  }
  const double vmin = speed;
  for (std::int64_t Z = 0; Z < m.NZ; ++Z) {
    const std::int64_t z = std::clamp<std::int64_t>(Z - m.b, 0, nz - 1);
    const std::int64_t iz = Z < m.b ? m.b - 1 - Z : Z >= m.b + nz ? Z - m.b - nz : -1;  // depth into the layer
    for (std::int64_t X = 0; X < m.NX; ++X) {
      const std::int64_t x = std::clamp<std::int64_t>(X - m.b, 0, nx - 1);
      const std::int64_t ix = X < m.b ? m.b - 1 - X : X >= m.b + nx ? X - m.b - nx : -1;
      const double d = m.pml ? 0.0 : std::max(iz >= 0 ? damping(iz, m.b, a.dz, vmin) : 0.0, ix >= 0 ? damping(ix, m.b, a.dx, vmin) : 0.0);
      const double kappa = d * a.dt, vdt = static_cast<double>(v[z * nx + x]) * a.dt;
      const double ax = vdt * vdt / (a.dx * a.dx), az = vdt * vdt / (a.dz * a.dz);
      const std::size_t k = static_cast<std::size_t>(Z * m.NX + X);
      m.ax[k] = static_cast<float>(ax), m.az[k] = static_cast<float>(az);
      m.A[k] = static_cast<float>(2 - kappa + a0 * (ax + az));
      m.B[k] = static_cast<float>(1 - kappa);
      m.C[k] = static_cast<float>(2 - kappa);
      m.vdt2[k] = static_cast<float>(vdt * vdt);
    }
  }
  return m;
}

}  // namespace detail

namespace {

using detail::Medium;

// Cells where the field can be non-zero: a box of rows [z0, z1) and columns [x0, x1).
struct Box {
  std::int64_t z0 = 0, z1 = 0, x0 = 0, x1 = 0;
};

// One time step over the box only: next = A cur − B next(=prev) + ax Σ_k a_k (cur[x±k]) + az Σ_k
// a_k (cur[z±k]), in place over prev. Outside the box both fields are exactly zero and so is the
// update, so the skipped cells change no value (the wave's numerical domain of dependence grows
// R cells a step from the source). Arrays with halo: index (Z + R) · stride + (X + R). With Iso
// (dx = dz, so ax = az) the two sums are one, times ax: a stream and a product fewer.
template <int R, bool Iso>
[[gnu::always_inline]] inline void row_update(const Medium& m, const float* w, const float* __restrict cur, float* __restrict prev, std::int64_t Z,
                                              std::int64_t x0, std::int64_t x1) {
  const std::int64_t S = m.stride;
  const float* __restrict c = cur + (Z + R) * S + R;
  float* __restrict p = prev + (Z + R) * S + R;
  const std::int64_t row = Z * m.NX;
  const float* __restrict ax = m.ax.data() + row;
  const float* __restrict az = m.az.data() + row;
  const float* __restrict A = m.A.data() + row;
  const float* __restrict B = m.B.data() + row;
  for (std::int64_t X = x0; X < x1; ++X) {
    float lx = 0, lz = 0;
    for (int k = 1; k <= R; ++k) {
      lx += w[k] * (c[X + k] + c[X - k]);
      lz += w[k] * (c[X + k * S] + c[X - k * S]);
    }
    if constexpr (Iso) p[X] = A[X] * c[X] - B[X] * p[X] + ax[X] * (lx + lz);
    else p[X] = A[X] * c[X] - B[X] * p[X] + ax[X] * lx + az[X] * lz;
  }
}

template <int R, bool Iso>
[[gnu::always_inline]] inline void step_body(const Medium& m, const float* w, const float* cur, float* prev, Box b) {
  for (std::int64_t Z = b.z0; Z < b.z1; ++Z) row_update<R, Iso>(m, w, cur, prev, Z, b.x0, b.x1);
}

// Two steps in one sweep of the grid (temporal blocking): step n + 1 (cur → prev, in place) row
// by row, and step n + 2 (prev → cur, in place) R rows behind it, where its inputs are complete
// and the rows of cur it overwrites are no longer read. Each cell gets exactly the arithmetic of
// two separate steps (the same bits); the coefficients and fields are streamed once for both.
// The sources' injections (q1 after step n + 1, q2 after n + 2; NaN: none, past the wavelet's end)
// go in as soon as their row is done.
template <int R, bool Iso>
[[gnu::always_inline]] inline void two_steps_body(const Medium& m, const float* w, float* cur, float* prev, Box b1, Box b2, std::int64_t src,
                                                  std::int64_t src_z, float q1, float q2) {
  for (std::int64_t Z = b2.z0; Z < b2.z1 + R; ++Z) {
    if (Z >= b1.z0 && Z < b1.z1) row_update<R, Iso>(m, w, cur, prev, Z, b1.x0, b1.x1);
    if (Z == src_z && q1 == q1) prev[src] += q1;  // b2 holds the source's row: the loop passes it
    const std::int64_t Z2 = Z - R;
    if (Z2 >= b2.z0 && Z2 < b2.z1) {
      row_update<R, Iso>(m, w, prev, cur, Z2, b2.x0, b2.x1);
      if (Z2 == src_z && q2 == q2) cur[src] += q2;
    }
  }
}

// The steps built for each target of SEISINR_WAVE_CLONES (medium.h).
template <int R>
[[gnu::always_inline]] inline void step_any(const Medium& m, const float* w, const float* cur, float* prev, Box b) {
  if (m.iso) step_body<R, true>(m, w, cur, prev, b);
  else step_body<R, false>(m, w, cur, prev, b);
}
SEISINR_WAVE_CLONES void step_r1(const Medium& m, const float* w, const float* cur, float* prev, Box b) { step_any<1>(m, w, cur, prev, b); }
SEISINR_WAVE_CLONES void step_r2(const Medium& m, const float* w, const float* cur, float* prev, Box b) { step_any<2>(m, w, cur, prev, b); }
SEISINR_WAVE_CLONES void step_r4(const Medium& m, const float* w, const float* cur, float* prev, Box b) { step_any<4>(m, w, cur, prev, b); }
template <int R>
[[gnu::always_inline]] inline void two_any(const Medium& m, const float* w, float* cur, float* prev, Box b1, Box b2, std::int64_t src,
                                           std::int64_t src_z, float q1, float q2) {
  if (m.iso) two_steps_body<R, true>(m, w, cur, prev, b1, b2, src, src_z, q1, q2);
  else two_steps_body<R, false>(m, w, cur, prev, b1, b2, src, src_z, q1, q2);
}
SEISINR_WAVE_CLONES void two_r1(const Medium& m, const float* w, float* c, float* p, Box b1, Box b2, std::int64_t s, std::int64_t sz, float q1,
                                float q2) {
  two_any<1>(m, w, c, p, b1, b2, s, sz, q1, q2);
}
SEISINR_WAVE_CLONES void two_r2(const Medium& m, const float* w, float* c, float* p, Box b1, Box b2, std::int64_t s, std::int64_t sz, float q1,
                                float q2) {
  two_any<2>(m, w, c, p, b1, b2, s, sz, q1, q2);
}
SEISINR_WAVE_CLONES void two_r4(const Medium& m, const float* w, float* c, float* p, Box b1, Box b2, std::int64_t s, std::int64_t sz, float q1,
                                float q2) {
  two_any<4>(m, w, c, p, b1, b2, s, sz, q1, q2);
}

// A C-PML step (wave/cpml.h) for the order's radius, into a third buffer.
template <int R>
void pml_step_r(const Medium& m, const std::vector<double>& w, const float* cur, const float* prev, float* next, detail::PmlFields<float>& s) {
  const detail::PmlKernels<R, float> P(m, w);
  if (m.iso) P.template step<0, true>(cur, prev, next, s);
  else P.template step<0, false>(cur, prev, next, s);
}

void one_shot(const Medium& m, const Acquisition& a, std::size_t shot, float* out) {
  const std::int64_t R = m.R, S = m.stride;
  const std::size_t size = static_cast<std::size_t>((m.NZ + 2 * R) * S);
  std::vector<float> u0(size, 0.0f), u1(size, 0.0f);  // p⁽ⁿ⁻¹⁾ and p⁽ⁿ⁾; halos stay zero
  std::vector<double> wd = laplacian_weights(a.order);
  float w[5] = {0, 0, 0, 0, 0};
  for (std::size_t k = 0; k < wd.size(); ++k) w[k] = static_cast<float>(wd[k]);
  auto at = [&](const Position& p) { return (p.z + m.b + R) * S + (p.x + m.b + R); };
  const std::int64_t src = at(a.sources[shot]);
  const float src_scale = m.vdt2[static_cast<std::size_t>((a.sources[shot].z + m.b) * m.NX + a.sources[shot].x + m.b)];
  std::vector<std::int64_t> rec;
  for (const Position& p : a.receivers) rec.push_back(at(p));
  const std::size_t nrec = rec.size();
  float* cur = u1.data();
  float* prev = u0.data();
  detail::PmlFields<float> pml;
  std::vector<float> u2;  // the C-PML steps into a third buffer
  if (m.pml) pml.zero(size), u2.assign(size, 0.0f);
  float* spare = u2.data();
  Box live;  // empty: both fields are zero everywhere until the source acts
  const std::int64_t src_z = a.sources[shot].z + m.b, src_x = a.sources[shot].x + m.b;
  const auto in_wavelet = [&](std::int64_t n) { return n < static_cast<std::int64_t>(a.wavelet.size()); };
  const auto q_at = [&](std::int64_t n) {  // the injection after step n; NaN past the wavelet (none)
    return in_wavelet(n) ? src_scale * a.wavelet[static_cast<std::size_t>(n)] : std::numeric_limits<float>::quiet_NaN();
  };
  // The box of cells that can be non-zero after a step: the last one's grown by R (empty before
  // the source has acted), then the source cell.
  const auto grown = [&](Box b) {
    return b.z1 > b.z0 ? Box{std::max<std::int64_t>(0, b.z0 - R), std::min(m.NZ, b.z1 + R), std::max<std::int64_t>(0, b.x0 - R), std::min(m.NX, b.x1 + R)}
                       : b;
  };
  const auto with_source = [&](Box b) {
    return b.z1 == b.z0 ? Box{src_z, src_z + 1, src_x, src_x + 1}
                        : Box{std::min(b.z0, src_z), std::max(b.z1, src_z + 1), std::min(b.x0, src_x), std::max(b.x1, src_x + 1)};
  };
  const auto record = [&](std::int64_t n, const float* field) {
    float* row = out + static_cast<std::size_t>(n) * nrec;
    for (std::size_t r = 0; r < nrec; ++r) row[r] = field[rec[r]];
  };
  for (std::int64_t n = 0; n < a.nt;) {
    throw_if_stop_requested("wave propagation");  // every step or pair: a relaxed atomic load against a grid's worth of work
    if (m.pml) {
      float* next = spare;
      switch (R) {
        case 1: pml_step_r<1>(m, wd, cur, prev, next, pml); break;
        case 2: pml_step_r<2>(m, wd, cur, prev, next, pml); break;
        default: pml_step_r<4>(m, wd, cur, prev, next, pml); break;
      }
      spare = prev, prev = next;  // the old previous field's buffer is the next step's target
    } else if (n + 1 < a.nt) {  // two steps in one sweep: prev ← p⁽ⁿ⁺¹⁾, cur ← p⁽ⁿ⁺²⁾
      const Box b1 = grown(live), b2 = grown(with_source(b1));
      const float q1 = q_at(n), q2 = q_at(n + 1);
      switch (R) {
        case 1: two_r1(m, w, cur, prev, b1, b2, src, src_z, q1, q2); break;
        case 2: two_r2(m, w, cur, prev, b1, b2, src, src_z, q1, q2); break;
        default: two_r4(m, w, cur, prev, b1, b2, src, src_z, q1, q2); break;
      }
      live = with_source(b2);
      record(n, prev), record(n + 1, cur);
      n += 2;  // cur holds the newest field, prev the one before: as after two single steps
      continue;
    } else {
      live = grown(live);
      switch (R) {
        case 1: step_r1(m, w, cur, prev, live); break;
        case 2: step_r2(m, w, cur, prev, live); break;
        default: step_r4(m, w, cur, prev, live); break;
      }
      live = with_source(live);
    }
    if (in_wavelet(n)) prev[src] += src_scale * a.wavelet[static_cast<std::size_t>(n)];
    record(n, prev);
    std::swap(cur, prev);  // the new field becomes the current one
    ++n;
  }
}

}  // namespace

void forward(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, float* out, int threads) {
  laplacian_weights(a.order);  // throws on a bad order
  const Medium m = detail::build_medium(v, nz, nx, a);
  const std::size_t shots = a.sources.size(), per_shot = static_cast<std::size_t>(a.nt) * a.receivers.size();
  parallel_for(static_cast<std::int64_t>(shots), std::max(1, threads),
               [&](std::int64_t s) { one_shot(m, a, static_cast<std::size_t>(s), out + static_cast<std::size_t>(s) * per_shot); });
}

std::pair<double, double> check_speeds(const io::MapStack& maps, const std::string& name) {
  double vmin = INFINITY, vmax = 0;
  for (std::int64_t i = 0; i < maps.n; ++i) {
    const float* m = maps.map(i);
    for (std::int64_t k = 0; k < maps.h * maps.w; ++k) {
      if (!(m[k] > 0) || !std::isfinite(m[k]))
        throw Error(name + ": map " + std::to_string(i) + " has velocity " + std::to_string(m[k]) + " m/s at z=" +
                    std::to_string(k / maps.w) + ", x=" + std::to_string(k % maps.w) + "; velocities must be positive");
      vmin = std::min<double>(vmin, m[k]), vmax = std::max<double>(vmax, m[k]);
    }
  }
  return {vmin, vmax};
}

std::string forward_maps(const io::MapStack& maps, const Acquisition& a, const std::string& name, const std::string& survey, int threads,
                         const std::function<void(std::int64_t, const float*)>& sink) {
  const auto [vmin, vmax] = check_speeds(maps, name);
  const std::string warning = check_acquisition(a, maps.h, maps.w, vmin, vmax, survey);
  check_solver_memory(a, maps.h, maps.w, threads, false, survey);
  // Maps in batches of `threads`, every (map, shot) pair of a batch in parallel: with 5 shots on
  // 2 threads no thread waits for the fifth shot. Each pair's work is the same for any thread
  // count, so are the gathers.
  const std::size_t shots = a.sources.size(), per_shot = static_cast<std::size_t>(a.nt) * a.receivers.size(), per_map = shots * per_shot;
  const std::int64_t batch = std::max(1, threads);
  std::vector<float> out(static_cast<std::size_t>(std::min(batch, std::max<std::int64_t>(maps.n, 1))) * per_map);
  laplacian_weights(a.order);  // throws on a bad order
  for (std::int64_t i0 = 0; i0 < maps.n; i0 += batch) {
    const std::int64_t nb = std::min(batch, maps.n - i0);
    std::vector<Medium> media(static_cast<std::size_t>(nb));
    parallel_for(nb, std::max(1, threads), [&](std::int64_t k) { media[static_cast<std::size_t>(k)] = detail::build_medium(maps.map(i0 + k), maps.h, maps.w, a); });
    parallel_for(nb * static_cast<std::int64_t>(shots), std::max(1, threads), [&](std::int64_t k) {
      const std::size_t map = static_cast<std::size_t>(k) / shots, shot = static_cast<std::size_t>(k) % shots;
      one_shot(media[map], a, shot, out.data() + map * per_map + shot * per_shot);
    });
    for (std::int64_t k = 0; k < nb; ++k) sink(i0 + k, out.data() + static_cast<std::size_t>(k) * per_map);
  }
  return warning;
}

}  // namespace seisinr::wave
