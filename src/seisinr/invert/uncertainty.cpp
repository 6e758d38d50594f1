// seisinr/invert/uncertainty.cpp — see uncertainty.h for the posterior and its approximations.
#include "seisinr/invert/uncertainty.h"

#include <torch/types.h>
#include <torch/utils.h>  // NoGradGuard

#include <ATen/CPUGeneratorImpl.h>

#include <chrono>
#include <cmath>
#include <random>

#include "seisinr/error.h"
#include "seisinr/invert/run.h"
#include "seisinr/model/sampler.h"
#include "seisinr/parallel.h"
#include "seisinr/wave/acoustic.h"
#include "seisinr/wave/gradient.h"

namespace seisinr::invert {


namespace {

torch::Tensor gaussian(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  return at::normal(0.0, 1.0, {rows, cols}, gen, torch::TensorOptions().dtype(torch::kDouble));
}

// M = I − V diag(f) Vᵀ applied to the columns of X (d × k).
torch::Tensor apply_m(const torch::Tensor& V, const torch::Tensor& f, const torch::Tensor& X) {
  if (V.size(1) == 0) return X;
  return X - V.mm(f.unsqueeze(1) * V.t().mm(X));
}

}  // namespace

torch::Tensor LaplacePosterior::covariance() const {
  const torch::Tensor f = lambda / (1 + lambda);
  return chol.mm(apply_m(V, f, chol.t()));
}

torch::Tensor LaplacePosterior::draw(std::int64_t count, std::uint64_t seed) const {
  const torch::Tensor f = 1 - 1 / torch::sqrt(1 + lambda);  // (I + H̃)^(−1/2) = I − V diag(f) Vᵀ
  const torch::Tensor eps = gaussian(mean.size(0), count, seed);
  return (mean.unsqueeze(1) + chol.mm(apply_m(V, f, eps))).t().contiguous();
}

torch::Tensor LaplacePosterior::variance_of(const torch::Tensor& BL) const {
  const torch::Tensor f = lambda / (1 + lambda);
  torch::Tensor var = BL.pow(2).sum(1);
  if (V.size(1) > 0) var = var - (BL.mm(V).pow(2) * f.unsqueeze(0)).sum(1);
  return var.clamp_min(0);
}

// Bisection on Student's t CDF, which for integer nu has a closed form in θ = atan(t/√nu)
// (Abramowitz & Stegun 26.7.3-4).
double t95(int nu) {
  auto cdf = [nu](double t) {
    const double th = std::atan(t / std::sqrt(static_cast<double>(nu))), c = std::cos(th), sn = std::sin(th);
    double a = 0;
    if (nu % 2 == 1) {
      double term = c, sum = nu > 1 ? c : 0;
      for (int k = 3; k <= nu - 2; k += 2) term *= c * c * (k - 1) / k, sum += term;
      a = 2 / M_PI * (th + sn * sum);
    } else {
      double term = 1, sum = 1;
      for (int k = 2; k <= nu - 2; k += 2) term *= c * c * (k - 1) / k, sum += term;
      a = sn * sum;
    }
    return 0.5 + 0.5 * a;
  };
  double lo = 0, hi = 100;
  for (int i = 0; i < 200; ++i) (cdf(0.5 * (lo + hi)) < 0.95 ? lo : hi) = 0.5 * (lo + hi);
  return 0.5 * (lo + hi);
}

LaplacePosterior laplace_posterior(const LinearisedProblem& p, std::int64_t rank, std::uint64_t seed) {
  torch::NoGradGuard ng;
  const std::int64_t d = p.z.size(0);
  LaplacePosterior post;
  post.chol = p.prior_chol;
  if (rank <= 0 || rank >= d) {  // exact: all d columns of K
    const torch::Tensor K = p.k_apply(torch::eye(d, torch::kDouble));
    const auto [evals, evecs] = at::linalg_eigh(K.t().mm(K));
    post.lambda = evals.clamp_min(0).flip(0);
    post.V = evecs.flip(1);
  } else {  // randomised range finder, 8 columns of oversampling, then the top `rank`
    const std::int64_t k = std::min(d, rank + 8);
    const torch::Tensor Y = p.k_apply(gaussian(d, k, seed));
    const torch::Tensor Q = std::get<0>(at::linalg_qr(Y));
    const torch::Tensor C = p.kt_apply(Q).t();  // Qᵀ K (k × d)
    const auto [U, S, Vh] = at::linalg_svd(C, false);
    post.lambda = S.narrow(0, 0, rank).pow(2);
    post.V = Vh.narrow(0, 0, rank).t().contiguous();
  }
  // ∇_w Φ at w* = L_p⁻¹(z* − μ): L_pᵀ g / σ² + w*.
  const torch::Tensor wstar = at::linalg_solve_triangular(p.prior_chol, (p.z - p.prior_mean).unsqueeze(1), false).squeeze(1);
  const torch::Tensor gw = p.prior_chol.t().mv(p.gradient) / (p.sigma * p.sigma) + wstar;
  const torch::Tensor step = apply_m(post.V, post.lambda / (1 + post.lambda), gw.unsqueeze(1)).squeeze(1);  // (I + H̃)⁻¹ ∇_w Φ
  post.mean = p.z - p.prior_chol.mv(step);
  const double phi = p.misfit / (p.sigma * p.sigma) + 0.5 * wstar.dot(wstar).item<double>();
  const double n = static_cast<double>(p.data_count);
  post.log_evidence = -phi + 0.5 * gw.dot(step).item<double>() - 0.5 * torch::log1p(post.lambda).sum().item<double>() -
                      0.5 * n * std::log(2 * M_PI * p.sigma * p.sigma);
  return post;
}

namespace {

// V(z) for the codes Z (k × d): (k × P) float, m/s (code_speeds), 32 codes at a time.
torch::Tensor decode_codes(const model::LoadedModel& m, const torch::Tensor& Z, std::int64_t nz, std::int64_t nx, const InvertOptions& o) {
  torch::NoGradGuard ng;
  std::vector<torch::Tensor> parts;
  for (std::int64_t i = 0; i < Z.size(0); i += 32) parts.push_back(code_speeds(m, Z.narrow(0, i, std::min<std::int64_t>(32, Z.size(0) - i)), nz, nx, o));
  return torch::cat(parts, 0).contiguous();
}

std::vector<float> row(const torch::Tensor& t, std::int64_t i) {
  const torch::Tensor r = t[i].to(torch::kFloat).contiguous();
  return std::vector<float>(r.data_ptr<float>(), r.data_ptr<float>() + r.numel());
}

// How many samples one independent sample of the residual r (shots × nt × nrec) spans: the
// products of its correlation lengths along time and along receivers, each 1 + 2 Σ ρ(k) over the
// lags k before the normalised autocorrelation ρ first falls to 0 or below (at most 500 lags).
double correlated_samples(const std::vector<float>& r, std::size_t shots, std::int64_t nt, std::int64_t nrec) {
  auto length = [&](std::int64_t count, auto pair_sum) {
    const double c0 = pair_sum(0);
    if (!(c0 > 0)) return 1.0;
    double L = 1;
    for (std::int64_t k = 1; k < std::min<std::int64_t>(count, 500); ++k) {
      const double rho = pair_sum(k) / c0;
      if (!(rho > 0)) break;
      L += 2 * rho;
    }
    return L;
  };
  auto at = [&](std::size_t s, std::int64_t n, std::int64_t x) { return static_cast<double>(r[(s * static_cast<std::size_t>(nt) + static_cast<std::size_t>(n)) * static_cast<std::size_t>(nrec) + static_cast<std::size_t>(x)]); };
  const double Lt = length(nt, [&](std::int64_t k) {
    double c = 0;
    for (std::size_t s = 0; s < shots; ++s)
      for (std::int64_t n = 0; n + k < nt; ++n)
        for (std::int64_t x = 0; x < nrec; ++x) c += at(s, n, x) * at(s, n + k, x);
    return c;
  });
  const double Lx = length(nrec, [&](std::int64_t k) {
    double c = 0;
    for (std::size_t s = 0; s < shots; ++s)
      for (std::int64_t n = 0; n < nt; ++n)
        for (std::int64_t x = 0; x + k < nrec; ++x) c += at(s, n, x) * at(s, n, x + k);
    return c;
  });
  return Lt * Lx;
}

double wave_misfit(const std::vector<float>& v, std::int64_t nz, std::int64_t nx, const wave::Acquisition& a, const float* observed) {
  return wave::misfit_gradient(v.data(), nz, nx, a, observed, nullptr, {});
}

// Mean and predictive spread of M maps (M × P) into post (see uncertainty.h: the ensemble).
void spread_of(const torch::Tensor& maps, MapPosterior& post) {
  const torch::Tensor m = maps.to(torch::kDouble);
  const std::int64_t M = maps.size(0);
  post.mean = row(m.mean(0).unsqueeze(0), 0);
  post.interval_factor = t95(static_cast<int>(M - 1)) * std::sqrt(1 + 1.0 / static_cast<double>(M)) / eval::kZ90;
  post.stddev = row((m.std(0, /*unbiased=*/true) * post.interval_factor).unsqueeze(0), 0);
}

MapPosterior laplace_map(const model::LoadedModel& model, const torch::Tensor& answer, std::int64_t nz, std::int64_t nx,
                         const wave::Acquisition& a, const float* observed, const InvertOptions& o, const UncertaintyOptions& u,
                         const model::CodeDensity& prior) {
  MapPosterior out;
  const std::int64_t P = nz * nx;
  const std::size_t per = static_cast<std::size_t>(a.nt) * a.receivers.size() * a.sources.size();
  const torch::Tensor zs = answer.to(torch::kDouble);
  torch::Tensor grad;
  std::vector<float> v;
  const double J = latent_misfit(model, zs, nz, nx, a, observed, o, &grad, &v);
  out.misfit_answer = J;
  if (u.sigma > 0) {
    out.sigma = u.sigma;
  } else {  // the residual's energy per independent sample
    std::vector<float> r(per);
    wave::forward(v.data(), nz, nx, a, r.data(), std::max(1, o.threads));
    for (std::size_t k = 0; k < per; ++k) r[k] -= observed[k];
    out.correlated = correlated_samples(r, a.sources.size(), a.nt, static_cast<std::int64_t>(a.receivers.size()));
    out.sigma = std::sqrt(2 * J * out.correlated / static_cast<double>(per));
  }
  const double sigma = out.sigma;
  // B L_p by central differences of the decoder along each prior direction (h in prior units).
  const double h = 0.02;
  const torch::Tensor D = prior.chol.t() * h;  // rows: h L_p e_k
  const torch::Tensor plus = decode_codes(model, zs.unsqueeze(0) + D, nz, nx, o).to(torch::kDouble);
  const torch::Tensor minus = decode_codes(model, zs.unsqueeze(0) - D, nz, nx, o).to(torch::kDouble);
  const torch::Tensor BL = ((plus - minus) / (2 * h)).t().contiguous();  // (P × d), m/s per prior unit
  const int threads = std::max(1, o.threads);
  LinearisedProblem p;
  p.z = zs, p.prior_mean = prior.mean, p.prior_chol = prior.chol, p.gradient = grad.to(torch::kDouble), p.misfit = J;
  p.data_count = static_cast<std::int64_t>(per), p.sigma = sigma;
  p.k_apply = [&](const torch::Tensor& W) {
    const torch::Tensor dv = BL.mm(W).to(torch::kFloat).t().contiguous();  // (k × P)
    torch::Tensor out_t = torch::empty({W.size(1), static_cast<std::int64_t>(per)}, torch::kFloat);
    parallel_for(W.size(1), threads, [&](std::int64_t c) {
      wave::born(v.data(), nz, nx, a, dv[c].data_ptr<float>(), out_t[c].data_ptr<float>(), 1);
    });
    return out_t.to(torch::kDouble).t() / sigma;
  };
  p.kt_apply = [&](const torch::Tensor& Y) {
    const torch::Tensor y = Y.t().to(torch::kFloat).contiguous();  // (k × N)
    torch::Tensor g = torch::empty({Y.size(1), P}, torch::kFloat);
    parallel_for(Y.size(1), threads, [&](std::int64_t c) {
      wave::born_adjoint(v.data(), nz, nx, a, y[c].data_ptr<float>(), g[c].data_ptr<float>(), {});
    });
    return BL.t().mm(g.to(torch::kDouble).t()) / sigma;
  };
  LaplacePosterior post = laplace_posterior(p, u.rank, u.seed);
  out.rank = post.V.size(1);
  // Keep the Gauss–Newton step only when Φ falls.
  auto phi = [&](const torch::Tensor& z, double j) {
    const torch::Tensor w = at::linalg_solve_triangular(prior.chol, (z - prior.mean).unsqueeze(1), false);
    return j / (sigma * sigma) + 0.5 * w.pow(2).sum().item<double>();
  };
  const double j_mean = latent_misfit(model, post.mean, nz, nx, a, observed, o);
  out.mean_moved = phi(post.mean, j_mean) < phi(zs, J);
  if (!out.mean_moved) post.mean = zs;
  out.misfit_mean = out.mean_moved ? j_mean : J;
  out.log_evidence = post.log_evidence;
  // The mean map, the linearised standard deviation, and decoded samples with their misfits.
  out.mean = row(decode_codes(model, post.mean.unsqueeze(0), nz, nx, o), 0);
  const torch::Tensor var = post.variance_of(BL);
  out.stddev = row(var.sqrt().unsqueeze(0), 0);
  if (u.samples > 0) {
    const torch::Tensor maps = decode_codes(model, post.draw(u.samples, u.seed + 1), nz, nx, o);
    out.samples.assign(maps.data_ptr<float>(), maps.data_ptr<float>() + maps.numel());
    out.sample_misfits.assign(static_cast<std::size_t>(u.samples), 0.0);
    parallel_for(u.samples, threads, [&](std::int64_t k) { out.sample_misfits[static_cast<std::size_t>(k)] = wave_misfit(row(maps, k), nz, nx, a, observed); });
  }
  return out;
}

MapPosterior ensemble_map(const model::LoadedModel& model, const torch::Tensor& answer, const std::vector<float>& start, std::int64_t nz,
                          std::int64_t nx, const wave::Acquisition& a, const float* observed, const InvertOptions& o,
                          const UncertaintyOptions& u, const model::CodeDensity& prior) {
  MapPosterior out;
  const std::size_t per = static_cast<std::size_t>(a.nt) * a.receivers.size() * a.sources.size();
  const double J = latent_misfit(model, answer.to(torch::kDouble), nz, nx, a, observed, o);
  out.misfit_answer = out.misfit_mean = J;
  out.sigma = u.sigma > 0 ? u.sigma : std::sqrt(2 * J / static_cast<double>(per));
  const torch::Tensor z0 = start_code(model, start, nz, nx).to(torch::kDouble).reshape({-1});
  const torch::Tensor starts = z0.unsqueeze(0) + 0.5 * gaussian(u.members, z0.size(0), u.seed).mm(prior.chol.t());
  const torch::Tensor start_maps = decode_codes(model, starts, nz, nx, o);
  const std::int64_t P = nz * nx;
  torch::Tensor maps = torch::empty({u.members, P}, torch::kFloat);
  out.sample_misfits.assign(static_cast<std::size_t>(u.members), 0.0);
  for (std::int64_t k = 0; k < u.members; ++k) {
    std::vector<float> obs(observed, observed + per);
    std::mt19937_64 rng(u.seed + 1000 + static_cast<std::uint64_t>(k));
    std::normal_distribution<double> normal(0.0, out.sigma);
    for (float& x : obs) x = static_cast<float>(x + normal(rng));
    const std::vector<float> r = invert_map(a, obs.data(), row(start_maps, k), nz, nx, &model, o);
    std::copy(r.begin(), r.end(), maps[k].data_ptr<float>());
    out.sample_misfits[static_cast<std::size_t>(k)] = wave_misfit(r, nz, nx, a, observed);
  }
  spread_of(maps, out);
  out.samples.assign(maps.data_ptr<float>(), maps.data_ptr<float>() + maps.numel());
  return out;
}

}  // namespace

MapPosterior map_posterior(const model::LoadedModel& model, const torch::Tensor& answer, const std::vector<float>& start, std::int64_t nz,
                           std::int64_t nx, const wave::Acquisition& a, const float* observed, const InvertOptions& o,
                           const UncertaintyOptions& u, const std::string& model_path) {
  const auto t0 = std::chrono::steady_clock::now();
  if (u.method == UncertaintyMethod::none) throw Error("invert: no uncertainty method asked for");
  if (o.space != Space::latent) throw Error("invert: --uncertainty needs --space latent (a posterior over the code)", ErrorKind::usage);
  const model::CodeDensity prior = model::fit_density(model, u.family, model_path);
  MapPosterior out = u.method == UncertaintyMethod::laplace ? laplace_map(model, answer, nz, nx, a, observed, o, u, prior)
                                                            : ensemble_map(model, answer, start, nz, nx, a, observed, o, u, prior);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

}  // namespace seisinr::invert
