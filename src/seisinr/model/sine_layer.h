// seisinr/model/sine_layer.h — one SIREN hidden layer, y = sin(ω0 (x Wᵀ + b)), fused.
//
// The plain autograd path runs addmm, a multiply by ω0 and sin as three operations and keeps
// their results for the backward pass; its backward then allocates cos(·), its product with the
// incoming gradient and the ω0 multiple separately. The fused layer makes one pass forward
// (after the product: bias, ω0 and sine together) and one backward (g = ω0 cos(a) ⊙ ∂L/∂y), and
// from g
//   ∂L/∂x = g W,   ∂L/∂W = gᵀ x,   ∂L/∂b = Σ_rows g.
// The passes are model/sine_kernels.h on the CPU (several times faster than libtorch's sin and
// cos here), model/sine_cuda.h on a GPU where the build has CUDA kernels (there the hidden layers
// keep the product and recompute cos in backward, and the first layer of a global code never
// forms its float32 argument: sine_broadcast), and libtorch's operations otherwise.
//
// Precision (model/precision.h):
//   kFloat32, kBf16Products: x and y float32; saves x (its bf16 copy with kBf16Products: the
//     weight gradient multiplies that) and d = ω0 cos(a), a = ω0 (x Wᵀ + b), in float32.
//   kBf16: x and y bfloat16; saves x and d = ω0 cos(a) in bfloat16, so forward and backward
//     each read and write a third of the bytes.
// Tests compare outputs and gradients with the plain path (model/siren.h, set_fused(false)).
#pragma once

#include <torch/types.h>

#include "seisinr/model/precision.h"

namespace seisinr::model {

// sin(ω0 · pre) elementwise on float32 of any shape (last dimension > 0), with the same fast
// kernels forward and backward: the first layer's activation. With kBf16 the result is stored
// in bfloat16 (pre stays float32).
torch::Tensor sine(const torch::Tensor& pre, double omega0, Precision precision = Precision::kFloat32);

// Whether this build has the CUDA kernels (model/sine_cuda.h), and a switch for them (default: on
// unless SEISINR_CUDA_KERNELS=0 is in the environment); off, CUDA tensors take libtorch's
// elementwise operations. For comparisons (bench/cuda_layers.cpp).
bool cuda_kernels_built();
void set_cuda_kernels(bool on);

// sine(per_point + per_map.unsqueeze(1), ω0, precision): the first layer of a global code, per_point
// (P, H) or (B, P, H), per_map (B, H); (B, P, H) out. With the CUDA kernels and kBf16 on a GPU, and
// per_point (P, H), the sum is never formed (model/sine_cuda.h).
torch::Tensor sine_broadcast(const torch::Tensor& per_point, const torch::Tensor& per_map, double omega0, Precision precision);

// x: (N, in), weight: (out, in), bias: (out). Returns (N, out); x and the result are bfloat16
// with kBf16, float32 otherwise.
torch::Tensor sine_layer(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, double omega0,
                         Precision precision);

// The output unit on bfloat16 activations: x (N, in) bf16, weight (1, in), bias (1), both
// float32. Returns (N, 1) float32, accumulated in float32 (model/sine_kernels.h).
torch::Tensor output_layer_bf16(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias);

}  // namespace seisinr::model
