// seisinr/invert/invert.h — full-waveform inversion of one map's shot gathers, on its cells or
// in a trained decoder's latent space (issue 16; the paper's Eq. 10). Torch.
//
//   grid:    v* = argmin_v J(v)
//   latent:  z* = argmin_z J(V(z)),   V(z) = clamp(vmin_n + (f_θ(·; z) + 1)(vmax_n − vmin_n)/2, lo, hi)
// with J(v) = ½ ‖d(v) − d_obs‖² (wave/gradient.h), θ frozen, vmin_n/vmax_n the model's
// normalisation and [lo, hi] the speeds allowed. The latent gradient is the chain rule
//   ∂J/∂z = (∂V/∂z)ᵀ ∇_v J
// — the adjoint-state gradient ∇_v J (the solver, C++) pulled back through the decoder by one
// libtorch backward pass. The code moves as z = z0 + s ⊙ u and the optimiser works on u, s each
// code's spread over the trained maps (as encoding does, encode/encoder.h; 1 without a linear
// path), z0 the encoder's code for the start map (so both spaces start from the same map, up
// to the decoder's error in representing it).
//
// Optimisers. Adam: grid space is invert_grid (invert/grid.h, lr in m/s, clamped after each
// step); latent space is optim::Adam on u (lr in units of s). L-BFGS: torch::optim::LBFGS
// (history 10, strong-Wolfe line search) on u, or on the normalised cells
// p = 2 (v − lo)/(hi − lo) − 1, clamped to [−1, 1] inside the objective (the gradient is zero
// where the clamp holds). Iterations count gradient evaluations (one forward and one adjoint
// solve each) for both optimisers: the unit of cost in which the two spaces are compared.
// Adam returns its last iterate; L-BFGS, whose last evaluation may be a rejected line-search
// trial, the evaluated model of lowest misfit.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seisinr/invert/grid.h"
#include "seisinr/invert/options.h"
#include "seisinr/model/model_file.h"
#include "seisinr/wave/acquisition.h"
#include "seisinr/wave/gradient.h"

namespace seisinr::invert {

// The encoder's code (d) for `start` (nz·nx speeds, nz × nx the model's grid).
torch::Tensor start_code(const model::LoadedModel& model, const std::vector<float>& start, std::int64_t nz, std::int64_t nx);

// V(z) for the codes Z (k × d): (k, nz·nx) float32 m/s, clamped to [o.vmin, o.vmax] (the
// header's formula); autograd flows through Z when it requires it.
torch::Tensor code_speeds(const model::LoadedModel& model, const torch::Tensor& Z, std::int64_t nz, std::int64_t nx, const InvertOptions& o);

// The latent objective J(V(z)) for the code z (d), the model's grid nz × nx; with `grad`, ∂J/∂z
// (d, float32) into it, and with `v` the speeds V(z). o.vmin/o.vmax are the clamp [lo, hi].
// `workspace` (may be null) keeps the gradient's buffers between calls (wave/gradient.h).
double latent_misfit(const model::LoadedModel& model, const torch::Tensor& z, std::int64_t nz, std::int64_t nx, const wave::Acquisition& a,
                     const float* observed, const InvertOptions& o, torch::Tensor* grad = nullptr, std::vector<float>* v = nullptr,
                     wave::GradientWorkspace* workspace = nullptr);

// Inverts `observed` (as wave::forward's output for `a` on an nz × nx grid) from `start`.
// `model` is needed for latent space (its grid must be nz × nx). `progress` (may be empty) is
// called after each gradient evaluation with that evaluation's misfit and model. The boundary's
// profile is held at the start's speeds (wave::hold_boundary_speed) unless a.boundary_speed is set.
// In latent space, `answer` (may be null) receives the code (d, float32) of the returned map.
std::vector<float> invert_map(const wave::Acquisition& a, const float* observed, const std::vector<float>& start, std::int64_t nz,
                              std::int64_t nx, const model::LoadedModel* model, const InvertOptions& o,
                              const std::function<void(const IterationReport&, const std::vector<float>&)>& progress = {},
                              torch::Tensor* answer = nullptr);

}  // namespace seisinr::invert
