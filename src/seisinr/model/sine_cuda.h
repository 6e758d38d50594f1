// seisinr/model/sine_cuda.h — the passes of model/sine_kernels.h as CUDA kernels (sine_cuda.cu).
//
// Same arrays, same arithmetic (argument formed and reduced in float32, stored values rounded to
// bfloat16 to nearest, ties to even), one kernel per pass, on device pointers and the caller's
// stream. Built only where CMake finds a CUDA compiler and the libtorch is a CUDA build; the
// library then defines SEISINR_CUDA_KERNELS and model/sine_layer.cpp calls these for CUDA
// tensors instead of chaining libtorch's elementwise operations (one pass instead of seven).
// Torch-free: the .cu file needs no libtorch headers. Every launcher checks the launch and
// throws std::runtime_error naming the kernel.
#pragma once

#include <cstdint>

namespace seisinr::model::cuda {

// u (rows × cols) bf16, bias (cols) float32: y = bf16(sin a), a = ω0 (u + bias). No derivative is
// stored: the hidden layers on a GPU keep u and recompute it (sine_backward_bf16).
void sine_bf16(const std::uint16_t* u, const float* bias, float omega0, std::uint16_t* y, std::int64_t rows, std::int64_t cols,
               void* stream);
// Backward from the kept product: g = bf16(ω0 cos a ⊙ grad), a = ω0 (u + bias); grad bf16.
void sine_backward_bf16(const std::uint16_t* u, const float* bias, float omega0, const std::uint16_t* grad, std::uint16_t* g,
                        std::int64_t rows, std::int64_t cols, void* stream);
// The first layer of a global code without forming its (maps × points × cols) float32 argument:
// a = ω0 (pp[point, col] + pm[map, col]) from the per-point part pp (points × cols) and the
// per-map part pm (maps × cols), both float32. grad null: out = bf16(sin a) (forward); else
// out = bf16(ω0 cos a ⊙ grad) (backward, grad bf16 of the same shape).
void sine_broadcast_bf16(const float* pp, const float* pm, float omega0, const std::uint16_t* grad, std::uint16_t* out,
                         std::int64_t maps, std::int64_t points, std::int64_t cols, void* stream);
// n float32 pre-activations: a = ω0 pre; y = bf16(sin a), d = bf16(ω0 cos a).
void sine_from_f32_bf16(const float* pre, float omega0, std::uint16_t* y, std::uint16_t* d, std::int64_t n, void* stream);
// n values: out = a ⊙ b in float32.
void mul_bf16_to_f32(const std::uint16_t* a, const std::uint16_t* b, float* out, std::int64_t n, void* stream);
// out[r] = Σ_c x[r,c] w[c] + bias[0], float32 accumulation; x (rows × cols) bf16.
void dot_rows_bf16(const std::uint16_t* x, const float* w, const float* bias, float* out, std::int64_t rows, std::int64_t cols,
                   void* stream);
// out[r,c] = bf16(g[r] w[c]).
void outer_bf16(const float* g, const float* w, std::uint16_t* out, std::int64_t rows, std::int64_t cols, void* stream);

}  // namespace seisinr::model::cuda
