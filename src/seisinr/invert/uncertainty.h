// seisinr/invert/uncertainty.h — how sure an inversion in the latent space is (issue 29). Torch.
//
// The posterior of a map's code z (d numbers) given gathers d_obs, with Gaussian noise of standard
// deviation σ on every sample and a Gaussian prior N(μ, Σ_p) over the code (Σ_p = L_p L_pᵀ: the
// Ledoit–Wolf density of the family's trained codes, model/sampler.h — the trained codes' spread
// sets the prior's scale τ, direction by direction):
//     −log p(z | d) = Φ(z) + const,   Φ(z) = ½‖d(V(z)) − d_obs‖² / σ² + ½‖L_p⁻¹(z − μ)‖².
// Laplace (Gauss–Newton). In whitened coordinates w = L_p⁻¹(z − μ) and with J = ∂d/∂z at the
// inversion's answer z*, the Hessian of Φ is I + H̃ with H̃ = K ᵀK, K = J L_p / σ — the data's
// sensitivity to each prior direction: K's columns are Born products (wave/gradient.h) of the
// decoder's tangents B L_p, B = ∂V/∂z (central differences of the frozen decoder). H̃ is taken
// exactly (rank 0: all d columns) or by a randomised range finder of rank r (Halko et al. 2011:
// Y = K Ω, Q = orth(Y), K ≈ Q (KᵀQ)ᵀ; r Born products and r adjoint solves); either way
// H̃ = V diag(λ) Vᵀ, and the directions left out keep the prior's spread (a truncation errs
// towards a wider posterior). Then
//     Cov(z) = L_p (I − V diag(λ / (1 + λ)) Vᵀ) L_pᵀ
//     mean   = z* − L_p (I + H̃)⁻¹ ∇_w Φ(z*)   (one Gauss–Newton step; kept only when Φ falls)
//     Var V_i ≈ b_iᵀ Cov(z) b_i   (b_i the decoder's gradient at cell i; the linearised map)
//     log p(d) ≈ −Φ(mean) − ½ Σ log(1 + λ_j) − (N/2) log(2πσ²)   (exact for a linear model)
// Samples are codes mean + L_p (I − V diag(1 − 1/√(1 + λ)) Vᵀ) ε, decoded (not linearised).
// Ensemble, the check: `members` inversions, each from the start's code moved by half a prior
// draw (½ L_p ε) and against d_obs plus a fresh noise draw of σ; the mean m of their M maps and
// their spread s (M − 1 in the denominator). A new draw from the members' distribution lies in
// m ± t s √(1 + 1/M) with 90% probability (Student's t with M − 1 degrees of freedom, t = 2.02
// for M = 6), so the standard deviation written is that predictive spread in Gaussian units,
// s √(1 + 1/M) t / 1.645: mean ± 1.645 sd is the same interval for both methods.
// σ: given, or estimated from the inversion's residual r = d(z*) − d_obs (noise and whatever the
// decoder or the optimiser left unfitted alike): the residual is not white — what the inversion
// could not fit is coherent in time and across receivers — so its N samples carry about
// N_eff = N / (L_t L_x) independent ones, L the correlation lengths of r along time and receivers
// (1 + 2 Σ ρ(k) up to ρ's first zero), and σ² = 2 J(z*) / N_eff: the residual's energy per
// independent sample, which weighs the data as N_eff white samples would (Laplace). The
// ensemble's noise draws are white, so without a given σ it draws them at the residual's
// white-noise level √(2 J(z*) / N).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "seisinr/eval/metrics.h"  // kZ90
#include "seisinr/invert/invert.h"

namespace seisinr::invert {

// Student's t distribution's 95% quantile with nu ≥ 1 degrees of freedom (6.314 for 1, 2.015 for 5).
double t95(int nu);

// A linear(ised) problem in the prior's whitened coordinates, for laplace_posterior.
struct LinearisedProblem {
  torch::Tensor z;           // z*, the linearisation point (d), double
  torch::Tensor prior_mean;  // μ (d), double
  torch::Tensor prior_chol;  // L_p (d × d), lower triangular, double
  torch::Tensor gradient;    // ∂(½‖d − d_obs‖²)/∂z at z* (d), double
  double misfit = 0;         // ½‖d(z*) − d_obs‖²
  std::int64_t data_count = 0;
  double sigma = 1;
  // K W = J L_p W / σ for W (d × k) → (data_count × k), and Kᵀ Y → (d × k); double.
  std::function<torch::Tensor(const torch::Tensor&)> k_apply, kt_apply;
};

struct LaplacePosterior {
  torch::Tensor mean;        // (d), the Gauss–Newton step from z* (before any check of Φ)
  torch::Tensor chol;        // L_p
  torch::Tensor V, lambda;   // H̃ ≈ V diag(λ) Vᵀ: (d × r), (r)
  double log_evidence = 0;   // at `mean`, with Φ(mean) from the linearisation
  torch::Tensor covariance() const;                         // (d × d)
  torch::Tensor draw(std::int64_t count, std::uint64_t seed) const;  // (count × d) codes around mean
  // Variances of B z for the rows of B (P × d): diag(B Cov Bᵀ).
  torch::Tensor variance_of(const torch::Tensor& B) const;
};

// The Laplace posterior of `p`: exact when rank is 0 or ≥ d, else of rank `rank` (seeded).
LaplacePosterior laplace_posterior(const LinearisedProblem& p, std::int64_t rank, std::uint64_t seed);

// What one map's uncertainty run gives.
struct MapPosterior {
  std::vector<float> mean, stddev;        // nz·nx each, m/s
  std::vector<float> samples;             // count · nz·nx
  std::vector<double> sample_misfits;     // ½‖d − d_obs‖² of each sample
  double sigma = 0, log_evidence = 0, seconds = 0;
  double correlated = 1;                  // samples per independent residual sample (σ from the residual)
  double interval_factor = 1;             // ensemble: the written sd over the members' plain spread
  double misfit_answer = 0, misfit_mean = 0;  // J at z* and at the posterior's mean
  bool mean_moved = false;                // the Gauss–Newton step lowered Φ
  std::int64_t rank = 0;
};

// The posterior of the code `answer` (z*, the inversion's result) for `observed` under `a`
// (boundary already held). `start` is the inversion's start map (the ensemble's members start
// around it); `o` the inversion's options (bounds, iterations, threads).
MapPosterior map_posterior(const model::LoadedModel& model, const torch::Tensor& answer, const std::vector<float>& start, std::int64_t nz,
                           std::int64_t nx, const wave::Acquisition& a, const float* observed, const InvertOptions& o,
                           const UncertaintyOptions& u, const std::string& model_path);

}  // namespace seisinr::invert
