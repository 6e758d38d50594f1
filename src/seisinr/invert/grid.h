// seisinr/invert/grid.h — plain full-waveform inversion on the cells (issue 16, grid space).
//
// Minimises J(v) = ½ ‖d(v) − d_obs‖² (wave/gradient.h) over the map's cells with Adam:
//   g = ∇J (optionally smoothed by a Gaussian of σ cells, the usual regularisation),
//   m ← β1 m + (1 − β1) g,  s ← β2 s + (1 − β2) g²,  v ← clamp(v − lr m̂ / (√ŝ + ε), vmin, vmax)
// with bias-corrected m̂, ŝ; lr in m/s per step. The damping layer is held at the starting model's
// minimum speed so that it does not move with the model. Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "seisinr/wave/acquisition.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::invert {

struct GridOptions {
  std::int64_t iters = 20;
  double lr = 20;                   // m/s per Adam step
  double smooth_sigma = 0;          // cells; 0 = no smoothing of the gradient
  double vmin = codec::kDefaultVmin, vmax = codec::kDefaultVmax;  // the model is kept in this range
  int threads = 1;
};

struct IterationReport {
  std::int64_t iter = 0;
  double misfit = 0;       // J at the model before this iteration's step
  double seconds = 0;      // of this iteration
};

// Inverts `observed` (as wave::forward's output for `a`) from the nz × nx start v0; returns the
// final model. `progress` (may be empty) is called once per iteration.
std::vector<float> invert_grid(const std::vector<float>& v0, std::int64_t nz, std::int64_t nx, const wave::Acquisition& a,
                               const float* observed, const GridOptions& o,
                               const std::function<void(const IterationReport&, const std::vector<float>&)>& progress = {});

// A Gaussian blur of σ cells (separable, edges clamped): the smoothing of gradients and the
// "smoothed true model" start of the literature.
std::vector<float> gaussian_smooth(const std::vector<float>& f, std::int64_t nz, std::int64_t nx, double sigma);

}  // namespace seisinr::invert
