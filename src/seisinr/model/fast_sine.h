// seisinr/model/fast_sine.h — sin and cos for float32 arrays, written so the compiler
// vectorises them (no calls, no branches; checked with -fopt-info-vec): the sine layer's elementwise work.
//
// Measured on this machine, libtorch 1.13's torch::sin on float32 runs at ~150 M values/s on one
// thread — as slow as the layer's bf16 matrix product — so the fused layer computes its own:
//   q = round(x · 2/π)  (the 1.5·2^23 trick: exact for |x · 2/π| < 2^22)
//   r = x − q·(P1 + P2 + P3)   Cody–Waite: P1 has 11 significant bits, so q·P1 is exact for
//                               |q| < 2^13 (|x| < ~12,800); P2, P3 carry the rest of π/2
//   sin r, cos r on [−π/4, π/4] by the Cephes sinf/cosf polynomials (error ~1e-7)
//   quadrant: sin x = ±sin r or ±cos r by q mod 4.
// Absolute error below 3e-7 for |x| ≤ 1000 (tests check against std::sin); SIREN arguments
// ω0·(Wx + b) stay within a few hundred.
#pragma once

#include <cstdint>
#include <cstring>

namespace seisinr::model {

namespace fast_sine_detail {
constexpr float kTwoOverPi = 0.636619772367581343f;
constexpr float kP1 = 1.5703125f;
constexpr float kP2 = 4.837512969970703125e-4f;
constexpr float kP3 = 7.54978995489188216e-8f;
constexpr float kRound = 12582912.0f;  // 1.5 · 2^23

// x = q·π/2 + r, |r| ≤ π/4: k = q and the bits of sin r and cos r.
struct Reduced {
  std::int32_t k;
  std::uint32_t sin_r, cos_r;
};
inline Reduced reduce(float x) {
  const float t = x * kTwoOverPi + kRound;
  const float q = t - kRound;
  const float r = ((x - q * kP1) - q * kP2) - q * kP3;
  const float r2 = r * r;
  const float s = r + r * r2 * (-1.6666654611e-1f + r2 * (8.3321608736e-3f + r2 * -1.9515295891e-4f));
  const float c = 1.0f - 0.5f * r2 + r2 * r2 * (4.166664568298827e-2f + r2 * (-1.388731625493765e-3f + r2 * 2.443315711809948e-5f));
  Reduced out;
  // q's integer from t's low mantissa bits (t = 1.5·2^23 + q): exact where q is (|q| < 2^22), and
  // defined for any x, where a float-to-int conversion of a huge q would not be.
  std::uint32_t tb;
  std::memcpy(&tb, &t, 4);
  out.k = static_cast<std::int32_t>(tb - 0x4B400000u);
  std::memcpy(&out.sin_r, &s, 4);
  std::memcpy(&out.cos_r, &c, 4);
  return out;
}

// sin(q·π/2 + r) for k = q + shift, without branches (so loops vectorise): odd k takes cos r,
// k & 2 flips the sign.
inline float quadrant(const Reduced& x, std::int32_t shift) {
  const std::int32_t k = x.k + shift;
  const std::uint32_t odd = 0u - static_cast<std::uint32_t>(k & 1);
  const std::uint32_t vb = ((x.cos_r & odd) | (x.sin_r & ~odd)) ^ (static_cast<std::uint32_t>(k & 2) << 30);
  float v;
  std::memcpy(&v, &vb, 4);
  return v;
}
}  // namespace fast_sine_detail

inline float fast_sin(float x) { return fast_sine_detail::quadrant(fast_sine_detail::reduce(x), 0); }
// cos x = sin(x + π/2)
inline float fast_cos(float x) { return fast_sine_detail::quadrant(fast_sine_detail::reduce(x), 1); }

// sin x and cos x from one reduction: the same values as fast_sin(x) and fast_cos(x).
inline void fast_sincos(float x, float& sin_x, float& cos_x) {
  const fast_sine_detail::Reduced r = fast_sine_detail::reduce(x);
  sin_x = fast_sine_detail::quadrant(r, 0);
  cos_x = fast_sine_detail::quadrant(r, 1);
}

}  // namespace seisinr::model
