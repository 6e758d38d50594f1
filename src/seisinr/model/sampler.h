// seisinr/model/sampler.h — new maps from a density fitted to a family's trained codes (issue 29).
//
// The density is a Gaussian N(μ, Σ_λ) over the d code numbers: μ the mean of the family's n
// trained codes z_1..z_n, S their covariance Σ_k (z_k − μ)(z_k − μ)ᵀ / n, shrunk towards its mean
// variance m = tr(S) / d,
//     Σ_λ = (1 − λ) S + λ m I,
// with Ledoit & Wolf's (2004) λ = min(b², δ²) / δ², δ² = ‖S − m I‖²_F, b² = Σ_k ‖x_k x_kᵀ − S‖²_F / n²,
// x_k = z_k − μ. With n ≤ d codes (160 maps against 256 numbers) S is singular; the shrinkage
// makes Σ_λ a proper density that keeps the leading directions. Draws: z = μ + L ε with
// L Lᵀ = Σ_λ (Cholesky) and ε ~ N(0, I) from a CPU generator seeded with `seed`, so a seed gives
// the same codes on every machine's CPU. The codes are decoded like trained ones, at any grid.
//
// The kernel density (model/code_density.h, the default of `seisinr sample`) is the mixture
//     p(z) = (1/n) Σ_k N(z; z_k, h² S)
// of one Gaussian at each trained code, with the codes' own covariance S scaled by h². A draw
// picks k uniformly and adds h Xᵀ η / √n, X the n × d matrix of the x_k and η ~ N(0, I_n), whose
// covariance is exactly h² S (S is singular for n ≤ d: the draws stay in the span of the codes'
// differences, where the Gaussian's shrinkage would add every direction). The same generator
// draws k, then η. The inversion's prior (invert/uncertainty.h) stays the Gaussian.
#pragma once

#include <cstdint>
#include <string>
#include <torch/types.h>
#include <vector>

#include "seisinr/model/code_density.h"
#include "seisinr/model/model_file.h"

namespace seisinr::model {

// The latent rows of the trained maps of `family` (all trained maps when empty), in file order.
std::vector<std::int64_t> trained_rows(const LoadedModel& m, const std::string& family);
// The families that have trained maps, in order of first appearance.
std::vector<std::string> trained_families(const LoadedModel& m);

struct CodeDensity {
  torch::Tensor mean;       // (d), double
  torch::Tensor cov;        // (d, d), Σ_λ, double
  torch::Tensor chol;       // (d, d), lower-triangular L
  torch::Tensor codes;      // (n, d), double: the trained codes z_k (the kernel density's centres)
  double shrinkage = 0;     // λ
  std::int64_t maps = 0;    // n
};

// Fits the density to the trained codes of `family`. Throws (usage, naming `path`) when the model
// has no trained codes of that family (listing the families it has) or fewer than 2.
CodeDensity fit_density(const LoadedModel& m, const std::string& family, const std::string& path);
// `count` codes (count × d, float32) drawn from the Gaussian `d`, or with `density` from the one it
// names; count must be positive, the options valid (usage errors otherwise).
torch::Tensor draw_codes(const CodeDensity& d, std::int64_t count, std::uint64_t seed);
torch::Tensor draw_codes(const CodeDensity& d, std::int64_t count, std::uint64_t seed, const DensityOptions& density);

}  // namespace seisinr::model
