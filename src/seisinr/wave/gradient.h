// seisinr/wave/gradient.h — the misfit's gradient by the adjoint-state method (issue 16).
//
// Misfit J(v) = ½ Σ_shots Σ_n Σ_r (d[n, r](v) − d_obs[n, r])², d the gathers of wave/acoustic.h.
// Write the forward step (per shot, p = p⁽ⁿ⁾, D_x, D_z the 1D stencils with their centre term):
//   u⁽ⁿ⁺¹⁾ = C u⁽ⁿ⁾ − B u⁽ⁿ⁻¹⁾ + a_x D_x u⁽ⁿ⁾ + a_z D_z u⁽ⁿ⁾ + q w[n] e_s,   d_n = R u⁽ⁿ⁺¹⁾
// with C = 2 − κ, B = 1 − κ, a_x = (v dt/dx)², a_z = (v dt/dz)², q = (v_s dt)² — only a_x, a_z
// and q depend on v (the damping is held fixed: Acquisition::boundary_speed, or the map's minimum
// taken as a constant). Linearised (Born), with δa_x = 2 a_x δv / v (likewise δa_z, δq):
//   δu⁽ⁿ⁺¹⁾ = C δu⁽ⁿ⁾ − B δu⁽ⁿ⁻¹⁾ + a_x D_x δu⁽ⁿ⁾ + a_z D_z δu⁽ⁿ⁾ + δa_x D_x u⁽ⁿ⁾ + δa_z D_z u⁽ⁿ⁾ + δq w[n] e_s
// Its exact transpose, run backwards from μ⁽ⁿᵗ⁺¹⁾ = μ⁽ⁿᵗ⁺²⁾ = 0 (D_x, D_z are symmetric):
//   μ⁽ⁿ⁺¹⁾ = Rᵀ y_n + C μ⁽ⁿ⁺²⁾ + D_x(a_x μ⁽ⁿ⁺²⁾) + D_z(a_z μ⁽ⁿ⁺²⁾) − B μ⁽ⁿ⁺³⁾
//   ∂/∂a_x += μ⁽ⁿ⁺¹⁾ D_x u⁽ⁿ⁾,  ∂/∂a_z += μ⁽ⁿ⁺¹⁾ D_z u⁽ⁿ⁾,  ∂/∂q += μ⁽ⁿ⁺¹⁾[s] w[n]
// then the chain rule to v, and the padded cells folded onto the model cells they copy. With
// y = d − d_obs this is ∇J. The backward pass needs D_x u⁽ⁿ⁾ and D_z u⁽ⁿ⁾ (their sum when
// dx = dz) in reverse order; step n computes them anyway, so they are stored: for every step
// when nt fields fit `memory_bytes` (k = nt), else one segment of k = ⌈√(2 nt)⌉ steps at a time,
// recomputed from the (u⁽ⁿ⁻¹⁾, u⁽ⁿ⁾) kept every k steps (checkpointing). misfit_gradient runs each
// shot's forward once: its gathers give that shot's residual, J and the stored derivatives.
// Sums are accumulated in double; wavefields are float32, or double with float64. Every pass
// here (gathers, Born, adjoint) steps with the same C/D form, so J and ∇J belong to one discrete
// operator (its gathers differ from forward()'s A-form by float32 rounding only). Torch-free.
#pragma once

#include <cstdint>
#include <memory>

#include "seisinr/wave/acquisition.h"

namespace seisinr::wave {

// The gradient's buffers (wavefields, stored derivatives, checkpoints, one set per shot running
// at once), kept between calls: an inversion makes one and passes it with every evaluation, so
// later calls allocate nothing, touch no fresh pages and zero only the few fields that must start
// at zero. Calls may share one from several threads. Without one, each call allocates its own.
class GradientWorkspace {
 public:
  GradientWorkspace();
  ~GradientWorkspace();
  GradientWorkspace(const GradientWorkspace&) = delete;
  GradientWorkspace& operator=(const GradientWorkspace&) = delete;
  struct Impl;
  std::unique_ptr<Impl> impl;
};

struct GradientOptions {
  int threads = 1;                          // shots in parallel
  std::int64_t memory_bytes = 512ll << 20;  // per shot, for stored wavefields
  bool float64 = false;                     // wavefields in double (forward, Born, adjoint alike)
  GradientWorkspace* workspace = nullptr;   // buffers kept between calls (may be null)
};

// δd = (∂d/∂v) δv: dv is nz·nx, dd as forward()'s output.
void born(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const float* dv, float* dd, int threads = 1,
          bool float64 = false);

// The same in double throughout (wavefields, input and output): the transpose test at 1e-12.
void born(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const double* dv, double* dd, int threads = 1);

// (∂d/∂v)ᵀ y: y as forward()'s output, dv (nz·nx) receives the result. Returns the segment length k used.
std::int64_t born_adjoint(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const float* y, float* dv,
                          const GradientOptions& o = {});

std::int64_t born_adjoint(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const double* y, double* dv,
                          const GradientOptions& o = {});

// J(v) for the observed gathers `observed`; ∇J into grad (nz·nx) when grad is not null.
double misfit_gradient(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, const float* observed, float* grad,
                       const GradientOptions& o = {});

}  // namespace seisinr::wave
