// seisinr/model/sine_kernels.h — the elementwise passes of a SIREN layer on raw arrays, torch-free.
//
// A hidden layer is y = sin(a), a = ω0 (x Wᵀ + b); its backward needs ∂y/∂a = cos(a). Around
// each matrix product the step makes one pass over the (rows × width) activations per direction:
//
//   float32 storage (sine_f32):
//     forward   a = ω0 (u + b); y = sin a, u ← ω0 cos a    reads u, writes u and y (u kept for backward)
//     backward  g = u ⊙ ∂L/∂y                      a plain product (libtorch's)
//   bfloat16 storage (sine_bf16, sine_from_f32_bf16, mul_bf16_colsum, mul_bf16_to_f32):
//     forward   a = ω0 (u + b) in float32 from the bf16 product u;  y = bf16(sin a),
//               d = bf16(ω0 cos a)                 reads 2 bytes, writes 4 per value
//     backward  g = bf16(d ⊙ ∂L/∂y)                 reads 4 bytes, writes 2 per value
//   The argument a is formed and reduced in float32; only the stored values (y, d, g) are rounded
//   to bfloat16 (8 significant bits: relative error ≤ 2⁻⁸), so the phase error of sin is that of
//   the product's bf16 output u, ≤ |a|·2⁻⁸ (0.012 rad at |a| = 3), never ω0·u rounded after the
//   multiply.
//   The output layer (one unit) has its own passes: dot_rows_bf16 forward, outer_bf16 and
//   accumulate_rows_bf16 backward, all accumulating in float32.
//
// bfloat16 values are uint16_t bit patterns (the upper half of a float32), converted by
// codec/half.h: round to nearest, ties to even, as c10::BFloat16 does (test_model checks it
// against libtorch), NaN stays NaN.
// Every function works on a range of rows or values so callers can split the work over threads.
// Built for AVX-512, AVX2 and baseline x86-64 and chosen at load time (GCC target_clones), so
// the loops vectorise 16 wide where the CPU allows without requiring it.
#pragma once

#include <cstdint>

#include "seisinr/codec/half.h"

namespace seisinr::model::kernels {

using codec::bf16_to_float;
using codec::float_to_bf16;

// Rows of a (rows × cols) float32 array: a = ω0 (u + bias) (bias may be null); y ← sin a and
// u ← ω0 cos a, the derivative backward multiplies with.
void sine_f32(float* u, const float* bias, float omega0, float* y, std::int64_t rows, std::int64_t cols);

// Rows of the bf16 product u (rows × cols): a = ω0 (u + bias); y = bf16(sin a), d = bf16(ω0 cos a).
void sine_bf16(const std::uint16_t* u, const float* bias, float omega0, std::uint16_t* y, std::uint16_t* d,
               std::int64_t rows, std::int64_t cols);
// n float32 pre-activations (bias already added): a = ω0 pre; y = bf16(sin a), d = bf16(ω0 cos a).
void sine_from_f32_bf16(const float* pre, float omega0, std::uint16_t* y, std::uint16_t* d, std::int64_t n);
// Rows of (rows × cols): out = bf16(a ⊙ b), products in float32, and each column of the rounded
// result added to colsum (float32, rows in order): a hidden layer's g and its bias gradient in
// one pass.
void mul_bf16_colsum(const std::uint16_t* a, const std::uint16_t* b, std::uint16_t* out, float* colsum, std::int64_t rows,
                     std::int64_t cols);
// n values: out = a ⊙ b in float32.
void mul_bf16_to_f32(const std::uint16_t* a, const std::uint16_t* b, float* out, std::int64_t n);

// The output unit on rows of bf16 activations x (rows × cols): out[r] = Σ_c x[r,c] w[c] + bias.
void dot_rows_bf16(const std::uint16_t* x, const float* w, float bias, float* out, std::int64_t rows, std::int64_t cols);
// Its backward to x: out[r,c] = bf16(g[r] w[c]).
void outer_bf16(const float* g, const float* w, std::uint16_t* out, std::int64_t rows, std::int64_t cols);
// Its backward to w: acc[c] += Σ_r g[r] x[r,c], rows in order (float32 accumulation).
void accumulate_rows_bf16(const float* g, const std::uint16_t* x, float* acc, std::int64_t rows, std::int64_t cols);

}  // namespace seisinr::model::kernels
