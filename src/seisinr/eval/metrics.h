// seisinr/eval/metrics.h — image-quality metrics on velocity maps in m/s (paper §4.2). Torch-free.
//
//   MSE    mean of (v̂ − v)², here in the units given (the paper's tables use normalised units:
//          multiply an m/s MSE by (2 / (vmax − vmin))²)
//   RMSE   √MSE
//   PSNR   10 log10(R² / MSE), R = max v − min v of the ground-truth map; undefined (NaN) for a
//          constant map, which callers report and leave out of means. +inf when MSE = 0.
//   SSIM   Wang et al. 2004 with an 11×11 Gaussian window (σ = 1.5, truncated at 3.5σ as
//          scikit-image does, i.e. radius 5), K1 = 0.01, K2 = 0.03, C1 = (K1 R)², C2 = (K2 R)²,
//          population variances, mean over the pixels at least 5 from every edge (scikit-image's
//          crop); same R as PSNR. Agrees with skimage.metrics.structural_similarity(
//          gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=R).
#pragma once

#include <cstddef>
#include <cstdint>

namespace seisinr::eval {

double mse(const float* a, const float* b, std::size_t n);
double data_range(const float* truth, std::size_t n);  // max − min
double psnr(const float* truth, const float* estimate, std::size_t n);
double ssim(const float* truth, const float* estimate, std::int64_t h, std::int64_t w);
double ssim(const float* truth, const float* estimate, std::int64_t h, std::int64_t w, double data_range);

// The standard normal's 95% quantile: mean ± kZ90 sd is a Gaussian's central 90% interval.
constexpr double kZ90 = 1.6448536269514722;
// The fraction of the n cells whose true value lies in mean ± kZ90 sd (a posterior's 90% interval).
double interval_coverage(const float* truth, const float* mean, const float* sd, std::size_t n);

}  // namespace seisinr::eval
