// seisinr/model/sine_cuda.cu — see sine_cuda.h. Memory-bound elementwise passes: each pass is a
// functor with one(i) (value i) and eight(i) (values 8i..8i+7 through 16-byte loads and stores,
// used where the row width and the pointers allow), run by grid-stride kernels.
#include "seisinr/model/sine_cuda.h"

#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace seisinr::model::cuda {
namespace {

using u16 = std::uint16_t;
using i64 = std::int64_t;
constexpr int kThreads = 256;

__device__ __forceinline__ float bf2f(u16 h) { return __uint_as_float(static_cast<std::uint32_t>(h) << 16); }

// Round to nearest, ties to even; NaN stays NaN (as c10::BFloat16 and codec/half.h).
__device__ __forceinline__ u16 f2bf(float f) {
  std::uint32_t u = __float_as_uint(f);
  if ((u & 0x7fffffffu) > 0x7f800000u) return static_cast<u16>((u >> 16) | 0x40u);
  u += 0x7fffu + ((u >> 16) & 1u);
  return static_cast<u16>(u >> 16);
}

struct Bf16x8 {
  u16 v[8];
};
__device__ __forceinline__ Bf16x8 load8(const u16* p) {
  const uint4 q = *reinterpret_cast<const uint4*>(p);
  const std::uint32_t w[4] = {q.x, q.y, q.z, q.w};
  Bf16x8 r;
#pragma unroll
  for (int k = 0; k < 4; ++k) r.v[2 * k] = static_cast<u16>(w[k] & 0xffffu), r.v[2 * k + 1] = static_cast<u16>(w[k] >> 16);
  return r;
}
__device__ __forceinline__ void store8(u16* p, const Bf16x8& r) {
  uint4 q;
  q.x = r.v[0] | (static_cast<std::uint32_t>(r.v[1]) << 16);
  q.y = r.v[2] | (static_cast<std::uint32_t>(r.v[3]) << 16);
  q.z = r.v[4] | (static_cast<std::uint32_t>(r.v[5]) << 16);
  q.w = r.v[6] | (static_cast<std::uint32_t>(r.v[7]) << 16);
  *reinterpret_cast<uint4*>(p) = q;
}

// ---- the passes --------------------------------------------------------------------------------

// y = bf16(sin a), a = ω0 (u + bias[col]).
struct SineBf16 {
  const u16* u;
  const float* bias;
  float omega0;
  u16* y;
  i64 cols;
  __device__ void one(i64 i) const { y[i] = f2bf(sinf(omega0 * (bf2f(u[i]) + bias[i % cols]))); }
  __device__ void eight(i64 i) const {
    const i64 c0 = (i * 8) % cols;
    const Bf16x8 in = load8(u + i * 8);
    Bf16x8 ys;
#pragma unroll
    for (int k = 0; k < 8; ++k) ys.v[k] = f2bf(sinf(omega0 * (bf2f(in.v[k]) + bias[c0 + k])));
    store8(y + i * 8, ys);
  }
};

// g = bf16(ω0 cos a ⊙ grad), a = ω0 (u + bias[col]): the derivative recomputed from the product.
struct SineBackwardBf16 {
  const u16 *u, *grad;
  const float* bias;
  float omega0;
  u16* g;
  i64 cols;
  __device__ void one(i64 i) const { g[i] = f2bf(omega0 * cosf(omega0 * (bf2f(u[i]) + bias[i % cols])) * bf2f(grad[i])); }
  __device__ void eight(i64 i) const {
    const i64 c0 = (i * 8) % cols;
    const Bf16x8 a = load8(u + i * 8), gr = load8(grad + i * 8);
    Bf16x8 r;
#pragma unroll
    for (int k = 0; k < 8; ++k) r.v[k] = f2bf(omega0 * cosf(omega0 * (bf2f(a.v[k]) + bias[c0 + k])) * bf2f(gr.v[k]));
    store8(g + i * 8, r);
  }
};

// The first layer on (maps × points × cols): a = ω0 (pp[point, col] + pm[map, col]).
// Forward: y = bf16(sin a). Backward (grad set): g = bf16(ω0 cos a ⊙ grad), written to y.
struct SineBroadcast {
  const float *pp, *pm;
  const u16* grad;
  float omega0;
  u16* y;
  i64 points, cols;
  __device__ float arg(i64 i) const {
    const i64 per_map = points * cols, m = i / per_map, col = i % cols;
    return omega0 * (pp[i - m * per_map] + pm[m * cols + col]);
  }
  __device__ u16 value(i64, float a, u16 gr) const {
    return grad ? f2bf(omega0 * cosf(a) * bf2f(gr)) : f2bf(sinf(a));
  }
  __device__ void one(i64 i) const { y[i] = value(i, arg(i), grad ? grad[i] : u16(0)); }
  __device__ void eight(i64 i) const {  // the 8 values share a row: the divisions once
    const i64 per_map = points * cols, m = (i * 8) / per_map, within = i * 8 - m * per_map, col = within % cols;
    const float* ppr = pp + within;
    const float* pmr = pm + m * cols + col;
    Bf16x8 gr{}, r;
    if (grad) gr = load8(grad + i * 8);
#pragma unroll
    for (int k = 0; k < 8; ++k) r.v[k] = value(0, omega0 * (ppr[k] + pmr[k]), gr.v[k]);
    store8(y + i * 8, r);
  }
};

struct SineFromF32 {
  const float* pre;
  float omega0;
  u16 *y, *d;
  __device__ void one(i64 i) const {
    float s, c;
    sincosf(omega0 * pre[i], &s, &c);
    y[i] = f2bf(s), d[i] = f2bf(omega0 * c);
  }
};

struct MulToF32 {
  const u16 *a, *b;
  float* out;
  __device__ void one(i64 i) const { out[i] = bf2f(a[i]) * bf2f(b[i]); }
  __device__ void eight(i64 i) const {
    const Bf16x8 x = load8(a + i * 8), z = load8(b + i * 8);
    float4 lo, hi;
    lo.x = bf2f(x.v[0]) * bf2f(z.v[0]), lo.y = bf2f(x.v[1]) * bf2f(z.v[1]), lo.z = bf2f(x.v[2]) * bf2f(z.v[2]),
    lo.w = bf2f(x.v[3]) * bf2f(z.v[3]);
    hi.x = bf2f(x.v[4]) * bf2f(z.v[4]), hi.y = bf2f(x.v[5]) * bf2f(z.v[5]), hi.z = bf2f(x.v[6]) * bf2f(z.v[6]),
    hi.w = bf2f(x.v[7]) * bf2f(z.v[7]);
    reinterpret_cast<float4*>(out + i * 8)[0] = lo;
    reinterpret_cast<float4*>(out + i * 8)[1] = hi;
  }
};

struct Outer {
  const float *g, *w;
  u16* out;
  i64 cols;
  __device__ void one(i64 i) const { out[i] = f2bf(g[i / cols] * w[i % cols]); }
  __device__ void eight(i64 i) const {  // the 8 values share a row
    const i64 r = (i * 8) / cols, c0 = i * 8 - r * cols;
    const float gr = g[r];
    Bf16x8 o;
#pragma unroll
    for (int k = 0; k < 8; ++k) o.v[k] = f2bf(gr * w[c0 + k]);
    store8(out + i * 8, o);
  }
};

template <class F>
__global__ void each_one(F f, i64 n) {
  for (i64 i = blockIdx.x * static_cast<i64>(blockDim.x) + threadIdx.x; i < n; i += static_cast<i64>(gridDim.x) * blockDim.x) f.one(i);
}
template <class F>
__global__ void each_eight(F f, i64 n8) {
  for (i64 i = blockIdx.x * static_cast<i64>(blockDim.x) + threadIdx.x; i < n8; i += static_cast<i64>(gridDim.x) * blockDim.x)
    f.eight(i);
}

// One warp per row.
__global__ void dot_rows_kernel(const u16* __restrict__ x, const float* __restrict__ w, const float* __restrict__ bias,
                                float* __restrict__ out, i64 rows, i64 cols) {
  const int lane = threadIdx.x & 31;
  const i64 warps = static_cast<i64>(gridDim.x) * (blockDim.x / 32);
  for (i64 r = (blockIdx.x * static_cast<i64>(blockDim.x) + threadIdx.x) / 32; r < rows; r += warps) {
    const u16* xr = x + r * cols;
    float acc = 0.0f;
    for (i64 c = lane; c < cols; c += 32) acc += bf2f(xr[c]) * w[c];
#pragma unroll
    for (int off = 16; off > 0; off >>= 1) acc += __shfl_down_sync(0xffffffffu, acc, off);
    if (lane == 0) out[r] = acc + bias[0];
  }
}

// ---- launching -----------------------------------------------------------------------------------

unsigned blocks_for(i64 work) {
  const i64 b = (work + kThreads - 1) / kThreads;
  return static_cast<unsigned>(b < 1 ? 1 : b > 65535 ? 65535 : b);
}

void check(const char* pass) {
  const cudaError_t e = cudaGetLastError();
  if (e != cudaSuccess) throw std::runtime_error(std::string("CUDA kernel ") + pass + ": " + cudaGetErrorString(e));
}

bool aligned16(const void* p) { return p == nullptr || (reinterpret_cast<std::uintptr_t>(p) & 15u) == 0; }

template <class F>
void run_one(const F& f, i64 n, void* stream, const char* pass) {
  if (n == 0) return;
  each_one<<<blocks_for(n), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(f, n);
  check(pass);
}
// Eight at a time when `vec` (whole 8-groups in one row, 16-byte-aligned pointers), else one.
template <class F>
void run(const F& f, i64 n, bool vec, void* stream, const char* pass) {
  if (n == 0) return;
  if (vec && n % 8 == 0)
    each_eight<<<blocks_for(n / 8), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(f, n / 8);
  else
    each_one<<<blocks_for(n), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(f, n);
  check(pass);
}

}  // namespace

void sine_bf16(const u16* u, const float* bias, float omega0, u16* y, i64 rows, i64 cols, void* stream) {
  run(SineBf16{u, bias, omega0, y, cols}, rows * cols, cols % 8 == 0 && aligned16(u) && aligned16(y), stream, "sine_bf16");
}

void sine_backward_bf16(const u16* u, const float* bias, float omega0, const u16* grad, u16* g, i64 rows, i64 cols, void* stream) {
  run(SineBackwardBf16{u, grad, bias, omega0, g, cols}, rows * cols, cols % 8 == 0 && aligned16(u) && aligned16(grad) && aligned16(g),
      stream, "sine_backward_bf16");
}

void sine_broadcast_bf16(const float* pp, const float* pm, float omega0, const u16* grad, u16* out, i64 maps, i64 points, i64 cols,
                         void* stream) {
  run(SineBroadcast{pp, pm, grad, omega0, out, points, cols}, maps * points * cols,
      cols % 8 == 0 && aligned16(grad) && aligned16(out), stream, grad ? "sine_broadcast_bf16 backward" : "sine_broadcast_bf16");
}

void sine_from_f32_bf16(const float* pre, float omega0, u16* y, u16* d, i64 n, void* stream) {
  run_one(SineFromF32{pre, omega0, y, d}, n, stream, "sine_from_f32_bf16");
}

void mul_bf16_to_f32(const u16* a, const u16* b, float* out, i64 n, void* stream) {
  run(MulToF32{a, b, out}, n, aligned16(a) && aligned16(b) && aligned16(out), stream, "mul_bf16_to_f32");
}

void dot_rows_bf16(const u16* x, const float* w, const float* bias, float* out, i64 rows, i64 cols, void* stream) {
  if (rows == 0) return;
  dot_rows_kernel<<<blocks_for(rows * 32), kThreads, 0, static_cast<cudaStream_t>(stream)>>>(x, w, bias, out, rows, cols);
  check("dot_rows_bf16");
}

void outer_bf16(const float* g, const float* w, u16* out, i64 rows, i64 cols, void* stream) {
  run(Outer{g, w, out, cols}, rows * cols, cols % 8 == 0 && aligned16(out), stream, "outer_bf16");
}

}  // namespace seisinr::model::cuda
