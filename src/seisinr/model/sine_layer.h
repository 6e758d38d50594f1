// seisinr/model/sine_layer.h — one SIREN hidden layer, y = sin(ω0 (x Wᵀ + b)), fused.
//
// The plain autograd path runs addmm, a multiply by ω0 and sin as three operations and keeps
// their results for the backward pass; its backward then allocates cos(·), its product with the
// incoming gradient and the ω0 multiple separately. The fused layer makes one pass forward
// (addmm, then ω0· and sin in place) and saves the pre-activation u = ω0 (x Wᵀ + b); backward
// forms g = ω0 cos(u) ⊙ ∂L/∂y in one buffer and from it
//   ∂L/∂x = g W,   ∂L/∂W = gᵀ x,   ∂L/∂b = Σ_rows g.
// Bias, ω0 and sine (forward) and ω0 cos(u) ⊙ ∂L/∂y (backward) are single vectorised passes
// with model/fast_sine.h, several times faster than libtorch's sin and cos here.
// With amp the two products of each pass run in bfloat16 on float32 master weights, as in the
// plain path (model/siren.h). Tests compare outputs and gradients with the plain path.
#pragma once

#include <torch/types.h>

namespace seisinr::model {

// sin(ω0 · pre) elementwise on float32 of any shape (last dimension > 0), with the same fast
// kernels forward and backward: the first layer's activation.
torch::Tensor sine(const torch::Tensor& pre, double omega0);

// x: (N, in), weight: (out, in), bias: (out). Returns (N, out).
torch::Tensor sine_layer(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, double omega0,
                         bool amp);

}  // namespace seisinr::model
