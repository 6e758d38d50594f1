// seisinr/model/sine_kernels.cpp — see sine_kernels.h.
#include "seisinr/model/sine_kernels.h"

#include "seisinr/model/fast_sine.h"

// One copy of each loop per instruction set, picked by the dynamic loader on first call. Not
// under sanitizers or clang builds (the fuzzers), where one portable copy is simpler and enough.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && !defined(__SANITIZE_ADDRESS__)
#define SEISINR_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define SEISINR_CLONES
#endif

namespace seisinr::model::kernels {

SEISINR_CLONES
void sine_f32(float* u, const float* bias, float omega0, float* y, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    float* ur = u + r * cols;
    float* yr = y + r * cols;
    for (std::int64_t c = 0; c < cols; ++c) {
      float s, k;
      fast_sincos(bias ? (ur[c] + bias[c]) * omega0 : ur[c] * omega0, s, k);
      yr[c] = s;
      ur[c] = omega0 * k;
    }
  }
}

SEISINR_CLONES
void sine_bf16(const std::uint16_t* u, const float* bias, float omega0, std::uint16_t* y, std::uint16_t* d,
               std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::uint16_t* ur = u + r * cols;
    std::uint16_t* yr = y + r * cols;
    std::uint16_t* dr = d + r * cols;
    for (std::int64_t c = 0; c < cols; ++c) {
      float s, k;
      fast_sincos(omega0 * (bf16_to_float(ur[c]) + bias[c]), s, k);
      yr[c] = float_to_bf16(s);
      dr[c] = float_to_bf16(omega0 * k);
    }
  }
}

SEISINR_CLONES
void sine_from_f32_bf16(const float* pre, float omega0, std::uint16_t* y, std::uint16_t* d, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) {
    float s, k;
    fast_sincos(omega0 * pre[i], s, k);
    y[i] = float_to_bf16(s);
    d[i] = float_to_bf16(omega0 * k);
  }
}

SEISINR_CLONES
void mul_bf16_colsum(const std::uint16_t* a, const std::uint16_t* b, std::uint16_t* out, float* colsum, std::int64_t rows,
                     std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::uint16_t* ar = a + r * cols;
    const std::uint16_t* br = b + r * cols;
    std::uint16_t* o = out + r * cols;
    for (std::int64_t c = 0; c < cols; ++c) {
      const std::uint16_t v = float_to_bf16(bf16_to_float(ar[c]) * bf16_to_float(br[c]));
      o[c] = v;
      colsum[c] += bf16_to_float(v);
    }
  }
}

SEISINR_CLONES
void mul_bf16_to_f32(const std::uint16_t* a, const std::uint16_t* b, float* out, std::int64_t n) {
  for (std::int64_t i = 0; i < n; ++i) out[i] = bf16_to_float(a[i]) * bf16_to_float(b[i]);
}

SEISINR_CLONES
void dot_rows_bf16(const std::uint16_t* x, const float* w, float bias, float* out, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::uint16_t* xr = x + r * cols;
    // 16 partial sums in a fixed order, so the loop vectorises without reassociating floats.
    constexpr int kLanes = 16;
    float part[kLanes] = {};
    std::int64_t c = 0;
    for (; c + kLanes <= cols; c += kLanes)
      for (int j = 0; j < kLanes; ++j) part[j] += bf16_to_float(xr[c + j]) * w[c + j];
    float acc = 0;
    for (int j = 0; j < kLanes; ++j) acc += part[j];
    for (; c < cols; ++c) acc += bf16_to_float(xr[c]) * w[c];
    out[r] = acc + bias;
  }
}

SEISINR_CLONES
void outer_bf16(const float* g, const float* w, std::uint16_t* out, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    std::uint16_t* o = out + r * cols;
    const float gr = g[r];
    for (std::int64_t c = 0; c < cols; ++c) o[c] = float_to_bf16(gr * w[c]);
  }
}

SEISINR_CLONES
void accumulate_rows_bf16(const float* g, const std::uint16_t* x, float* acc, std::int64_t rows, std::int64_t cols) {
  for (std::int64_t r = 0; r < rows; ++r) {
    const std::uint16_t* xr = x + r * cols;
    const float gr = g[r];
    for (std::int64_t c = 0; c < cols; ++c) acc[c] += gr * bf16_to_float(xr[c]);
  }
}

}  // namespace seisinr::model::kernels
