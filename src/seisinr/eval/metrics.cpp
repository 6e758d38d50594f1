// seisinr/eval/metrics.cpp — see metrics.h for the definitions.
#include "seisinr/eval/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "seisinr/error.h"

namespace seisinr::eval {

double mse(const float* a, const float* b, std::size_t n) {
  double s = 0;
  for (std::size_t k = 0; k < n; ++k) {
    const double d = static_cast<double>(a[k]) - static_cast<double>(b[k]);
    s += d * d;
  }
  return n ? s / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

double data_range(const float* truth, std::size_t n) {
  auto [lo, hi] = std::minmax_element(truth, truth + n);
  return static_cast<double>(*hi) - static_cast<double>(*lo);
}

double psnr(const float* truth, const float* estimate, std::size_t n) {
  const double r = data_range(truth, n);
  if (!(r > 0)) return std::numeric_limits<double>::quiet_NaN();
  const double m = mse(truth, estimate, n);
  if (m == 0) return std::numeric_limits<double>::infinity();
  return 10.0 * std::log10(r * r / m);
}

double ssim(const float* truth, const float* estimate, std::int64_t h, std::int64_t w) {
  return ssim(truth, estimate, h, w, data_range(truth, static_cast<std::size_t>(h * w)));
}

double ssim(const float* x, const float* y, std::int64_t h, std::int64_t w, double range) {
  constexpr int kRadius = 5;  // int(3.5 σ + 0.5) with σ = 1.5
  constexpr double kSigma = 1.5;
  if (h < 2 * kRadius + 1 || w < 2 * kRadius + 1)
    throw Error("ssim: maps must be at least 11x11, got " + std::to_string(h) + "x" + std::to_string(w));
  if (!(range > 0)) return std::numeric_limits<double>::quiet_NaN();
  double g[2 * kRadius + 1], gs = 0;
  for (int k = -kRadius; k <= kRadius; ++k) gs += g[k + kRadius] = std::exp(-0.5 * k * k / (kSigma * kSigma));
  for (double& v : g) v /= gs;
  const double c1 = (0.01 * range) * (0.01 * range), c2 = (0.03 * range) * (0.03 * range);
  // Separable Gaussian filter of the five products, evaluated only where the window fits inside
  // the map: those are the pixels scikit-image averages (it crops `radius` from every edge).
  const std::int64_t ih = h - 2 * kRadius, iw = w - 2 * kRadius;
  std::vector<double> rows(static_cast<std::size_t>(5 * h * iw), 0.0);  // filtered along x
  for (std::int64_t z = 0; z < h; ++z)
    for (std::int64_t c = 0; c < iw; ++c) {
      double s[5] = {0, 0, 0, 0, 0};
      for (int k = 0; k <= 2 * kRadius; ++k) {
        const std::int64_t idx = z * w + c + k;
        const double a = x[idx], b = y[idx], gk = g[k];
        s[0] += gk * a;
        s[1] += gk * b;
        s[2] += gk * a * a;
        s[3] += gk * b * b;
        s[4] += gk * a * b;
      }
      for (int q = 0; q < 5; ++q) rows[static_cast<std::size_t>((q * h + z) * iw + c)] = s[q];
    }
  double total = 0;
  for (std::int64_t r = 0; r < ih; ++r)
    for (std::int64_t c = 0; c < iw; ++c) {
      double s[5] = {0, 0, 0, 0, 0};
      for (int k = 0; k <= 2 * kRadius; ++k)
        for (int q = 0; q < 5; ++q) s[q] += g[k] * rows[static_cast<std::size_t>((q * h + r + k) * iw + c)];
      const double ux = s[0], uy = s[1];
      const double vx = s[2] - ux * ux, vy = s[3] - uy * uy, vxy = s[4] - ux * uy;
      total += ((2 * ux * uy + c1) * (2 * vxy + c2)) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
    }
  return total / static_cast<double>(ih * iw);
}

double interval_coverage(const float* truth, const float* mean, const float* sd, std::size_t n) {
  std::size_t inside = 0;
  for (std::size_t i = 0; i < n; ++i) inside += std::fabs(static_cast<double>(mean[i]) - truth[i]) <= kZ90 * sd[i];
  return n ? static_cast<double>(inside) / static_cast<double>(n) : 0.0;
}

}  // namespace seisinr::eval
