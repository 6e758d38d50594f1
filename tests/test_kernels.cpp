// tests/test_kernels.cpp — the sine layer's elementwise kernels (model/sine_kernels.h) against
// double-precision arithmetic written out here (bfloat16 rounding itself: test_half.cpp).
// Torch-free: runs in the sanitizer build too. (The libtorch-level checks of the same layers,
// fused against plain autograd, are in test_model.cpp.)
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <vector>

#include "seisinr/model/fast_sine.h"
#include "seisinr/model/sine_kernels.h"

namespace seisinr::model::kernels {
namespace {

std::uint32_t bits(float f) {
  std::uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

TEST(SineKernels, SincosIsFastSinAndFastCos) {
  for (double x = -500.0; x <= 500.0; x += 0.00917) {
    float s, c;
    fast_sincos(static_cast<float>(x), s, c);
    ASSERT_EQ(bits(s), bits(fast_sin(static_cast<float>(x)))) << x;
    ASSERT_EQ(bits(c), bits(fast_cos(static_cast<float>(x)))) << x;
  }
}

// Random bf16 products, biases and ω0 = 30, as a hidden layer sees them; odd widths exercise
// the loops' tails.
TEST(SineKernels, Bf16ForwardIsSineAndItsDerivativeRoundedOnce) {
  std::mt19937 rng(7);
  std::normal_distribution<float> nd(0.0f, 0.1f);
  const float w0 = 30.0f;
  for (std::int64_t cols : {1, 17, 256}) {
    const std::int64_t rows = 9, n = rows * cols;
    std::vector<std::uint16_t> u(n), y(n), d(n);
    std::vector<float> bias(cols);
    for (auto& v : u) v = float_to_bf16(nd(rng));
    for (auto& v : bias) v = nd(rng);
    sine_bf16(u.data(), bias.data(), w0, y.data(), d.data(), rows, cols);
    for (std::int64_t i = 0; i < n; ++i) {
      const double a = static_cast<double>(w0) * (static_cast<double>(bf16_to_float(u[i])) + bias[i % cols]);
      // One bf16 rounding (at most 2^-8 relative: 8 significant bits) plus the float32 argument
      // and the fast sine (< 1e-5 here; ×ω0 for the derivative).
      EXPECT_NEAR(bf16_to_float(y[i]), std::sin(a), std::ldexp(std::fabs(std::sin(a)), -8) + 1e-5) << i;
      EXPECT_NEAR(bf16_to_float(d[i]), w0 * std::cos(a), std::ldexp(std::fabs(w0 * std::cos(a)), -8) + 3e-4) << i;
    }
    std::vector<float> pre(n);
    for (auto& v : pre) v = nd(rng) * 20;
    sine_from_f32_bf16(pre.data(), w0, y.data(), d.data(), n);
    for (std::int64_t i = 0; i < n; ++i) {
      const double a = static_cast<double>(w0) * pre[i];
      EXPECT_NEAR(bf16_to_float(y[i]), std::sin(a), std::ldexp(std::fabs(std::sin(a)), -8) + 1e-5) << i;
      EXPECT_NEAR(bf16_to_float(d[i]), w0 * std::cos(a), std::ldexp(std::fabs(w0 * std::cos(a)), -8) + 3e-4) << i;
    }
  }
}

TEST(SineKernels, Float32PassesMatchTheirDefinition) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> ud(-1.0f, 1.0f);
  const std::int64_t rows = 5, cols = 19, n = rows * cols;
  std::vector<float> u(n), u0, y(n), bias(cols);
  for (auto& v : u) v = ud(rng);
  for (auto& v : bias) v = ud(rng);
  u0 = u;
  sine_f32(u.data(), bias.data(), 30.0f, y.data(), rows, cols);
  for (std::int64_t i = 0; i < n; ++i) {
    const double a = 30.0 * (static_cast<double>(u0[i]) + bias[i % cols]);
    const float af = (u0[i] + bias[i % cols]) * 30.0f;  // the argument as the kernel rounds it
    EXPECT_NEAR(y[i], std::sin(a), 1e-5);
    EXPECT_NEAR(u[i], 30.0 * std::cos(static_cast<double>(af)), 1e-4) << "u becomes ω0 cos(a)";
  }
  // No bias: the argument is ω0 u.
  std::vector<float> v = u0;
  sine_f32(v.data(), nullptr, 30.0f, y.data(), rows, cols);
  for (std::int64_t i = 0; i < n; ++i) {
    EXPECT_NEAR(y[i], std::sin(30.0 * static_cast<double>(u0[i])), 1e-5);
    EXPECT_NEAR(v[i], 30.0 * std::cos(static_cast<double>(u0[i] * 30.0f)), 1e-4);
  }
}

TEST(SineKernels, ProductsAndTheOutputUnit) {
  std::mt19937 rng(11);
  std::uniform_real_distribution<float> ud(-1.0f, 1.0f);
  for (std::int64_t cols : {3, 16, 37, 512}) {
    const std::int64_t rows = 7, n = rows * cols;
    std::vector<std::uint16_t> a(n), b(n), ab(n), x(n), gx(n);
    std::vector<float> abf(n), w(cols), g(rows), out(rows), acc(cols, 0.5f);
    for (std::int64_t i = 0; i < n; ++i) a[i] = float_to_bf16(ud(rng)), b[i] = float_to_bf16(ud(rng)), x[i] = float_to_bf16(ud(rng));
    for (auto& v : w) v = ud(rng);
    for (auto& v : g) v = ud(rng);
    mul_bf16_to_f32(a.data(), b.data(), abf.data(), n);
    for (std::int64_t i = 0; i < n; ++i) {
      // A product of two bf16 values is exact in float32.
      ASSERT_EQ(static_cast<double>(abf[i]), static_cast<double>(bf16_to_float(a[i])) * bf16_to_float(b[i]));
    }
    // The same products by rows, rounded once to bf16, with their column sums.
    std::vector<float> colsum(cols, 1.0f);
    mul_bf16_colsum(a.data(), b.data(), ab.data(), colsum.data(), rows, cols);
    for (std::int64_t i = 0; i < n; ++i) ASSERT_EQ(ab[i], float_to_bf16(abf[i]));
    for (std::int64_t c = 0; c < cols; ++c) {
      double ref = 1.0;
      for (std::int64_t r = 0; r < rows; ++r) ref += bf16_to_float(ab[r * cols + c]);
      EXPECT_NEAR(colsum[c], ref, 1e-6 * (1.0 + rows)) << "column " << c;
    }
    dot_rows_bf16(x.data(), w.data(), 0.25f, out.data(), rows, cols);
    outer_bf16(g.data(), w.data(), gx.data(), rows, cols);
    accumulate_rows_bf16(g.data(), x.data(), acc.data(), rows, cols);
    for (std::int64_t r = 0; r < rows; ++r) {
      double ref = 0.25, mag = 0;
      for (std::int64_t c = 0; c < cols; ++c) {
        ref += static_cast<double>(bf16_to_float(x[r * cols + c])) * w[c];
        mag += std::fabs(static_cast<double>(bf16_to_float(x[r * cols + c])) * w[c]);
        ASSERT_EQ(gx[r * cols + c], float_to_bf16(g[r] * w[c]));
      }
      EXPECT_NEAR(out[r], ref, 1e-6 * mag + 1e-7) << "row " << r << " of " << cols;
    }
    for (std::int64_t c = 0; c < cols; ++c) {
      double ref = 0.5, mag = 0.5;
      for (std::int64_t r = 0; r < rows; ++r) {
        ref += static_cast<double>(g[r]) * bf16_to_float(x[r * cols + c]);
        mag += std::fabs(static_cast<double>(g[r]) * bf16_to_float(x[r * cols + c]));
      }
      EXPECT_NEAR(acc[c], ref, 1e-6 * mag) << "column " << c;
    }
  }
}

}  // namespace
}  // namespace seisinr::model::kernels
