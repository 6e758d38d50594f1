// seisinr/encode/code_init.cpp — see code_init.h for the least-squares starts.
#include "seisinr/encode/code_init.h"

#include <ATen/ATen.h>  // at::linalg_solve, at::linalg_svd: in libtorch 1.13 and 2.x alike (<torch/linalg.h> is 1.x only)

#include <cmath>

#include "seisinr/data/rng.h"
#include "seisinr/error.h"

namespace seisinr::encode {
namespace {

// Ridge least squares for many right-hand sides: argmin_Z ‖A Z − B‖² + ε‖Z‖², A (P, k), B (P, n).
torch::Tensor ridge_solve(const torch::Tensor& a, const torch::Tensor& b, double eps) {
  auto a64 = a.to(torch::kDouble), b64 = b.to(torch::kDouble);
  auto gram = torch::mm(a64.t(), a64);
  const double scale = gram.diagonal().mean().item<double>();
  gram += torch::eye(gram.size(0), gram.options()) * (eps * (scale > 0 ? scale : 1.0));
  return at::linalg_solve(gram, torch::mm(a64.t(), b64), /*left=*/true).to(torch::kFloat);
}

}  // namespace

torch::Tensor code_spread(const torch::Tensor& codes) {
  const torch::Tensor sigma = codes.detach().to(torch::kCPU, torch::kDouble).std(0);
  return sigma.clamp_min(std::max(sigma.max().item<double>() * 1e-3, 1e-12));
}

torch::Tensor init_codes_linear(model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t h, std::int64_t w) {
  const model::SirenOptions& o = decoder.options();
  if (!o.linear_path) throw Error("code_init linear: the decoder has no linear path", ErrorKind::usage);
  if (o.basis_height != h || o.basis_width != w)
    throw Error("code_init linear: the basis grid differs from the training maps' grid", ErrorKind::usage);
  const std::int64_t n = targets.size(0), p = h * w, d = o.latent_dim;
  torch::NoGradGuard no_grad;
  auto v = targets.to(torch::kCPU, torch::kDouble);
  torch::Tensor codes = torch::zeros({n, d}, torch::kFloat);
  if (o.code == model::CodeKind::kGrid) {
    const std::int64_t g = o.code_grid;
    auto [phi, mean] = decoder.linear_basis(model::make_grid(h, w));  // phi (C·G², P); rows of channel 0 first
    (void)mean;
    auto hats = phi.narrow(0, 0, g * g).t();  // (P, G²): channel 0 with readout 1
    auto lattice = ridge_solve(hats, v.t(), 1e-6);  // (G², n)
    codes.narrow(1, 0, g * g).copy_(lattice.t());
    decoder.set("linear.mean", torch::zeros({h, w}));
    auto readout = torch::zeros({o.code_features()});
    readout[0] = 1.0f;
    decoder.set("linear.readout", readout);
  } else {
    auto mean = v.mean(0);
    auto centred = v - mean;
    auto svd = at::linalg_svd(centred, /*full_matrices=*/false);
    auto s = std::get<1>(svd), vh = std::get<2>(svd);  // (r), (r, P)
    const double tol = s.numel() ? s[0].item<double>() * 1e-7 : 0.0;
    const std::int64_t k = std::min<std::int64_t>(d, (s > tol).sum().item<std::int64_t>());
    const double root = std::sqrt(static_cast<double>(p));
    torch::Tensor basis = decoder.get("linear.basis").detach().to(torch::kCPU, torch::kDouble).clone();
    if (k > 0) {
      auto w_k = vh.narrow(0, 0, k);  // (k, P)
      basis.narrow(0, 0, k).copy_((w_k * root).reshape({k, h, w}));
      codes.narrow(1, 0, k).copy_(torch::mm(centred, w_k.t()) / root);
    }
    decoder.set("linear.basis", basis);
    decoder.set("linear.mean", mean.reshape({h, w}).to(torch::kFloat));
    // The network sees the codes through W_z: scale its columns by 1/σ_k (σ_k: the spread of
    // code k over the maps), so each code enters as a unit-variance input, as the SIREN init
    // assumes, instead of the tiny PCA coefficients it is (their spreads differ by decades).
    if (o.siren) {
      const torch::Tensor wz = decoder.get("first.latent_weight").detach().to(torch::kCPU, torch::kDouble);
      decoder.set("first.latent_weight", (wz / code_spread(codes).unsqueeze(0)).to(torch::kFloat));
    }
  }
  decoder.zero_output_layer();
  return codes.to(targets.device());
}

torch::Tensor cross_fitted_fields(const torch::Tensor& targets, std::int64_t d, std::int64_t folds, std::uint64_t seed) {
  torch::NoGradGuard no_grad;
  const std::int64_t n = targets.size(0);
  if (folds < 2 || n < folds) throw Error("cross-fitting: " + std::to_string(n) + " maps cannot make " + std::to_string(folds) + " folds", ErrorKind::usage);
  auto v = targets.to(torch::kCPU, torch::kDouble);
  // Fold of each row: a Fisher–Yates shuffle on a SplitMix64 stream, then rows in turn.
  std::vector<std::int64_t> order(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  data::SplitMix64 rng(seed);
  data::shuffle(order, rng);
  torch::Tensor out = torch::empty_like(v);
  for (std::int64_t f = 0; f < folds; ++f) {
    std::vector<std::int64_t> in, rest;
    for (std::int64_t k = 0; k < n; ++k) (k % folds == f ? in : rest).push_back(order[static_cast<std::size_t>(k)]);
    auto vi = v.index_select(0, torch::tensor(in)), vr = v.index_select(0, torch::tensor(rest));
    auto mean = vr.mean(0);
    auto svd = at::linalg_svd(vr - mean, /*full_matrices=*/false);
    auto sv = std::get<1>(svd), vh = std::get<2>(svd);
    const double tol = sv.numel() ? sv[0].item<double>() * 1e-7 : 0.0;
    const std::int64_t k = std::min<std::int64_t>(d, (sv > tol).sum().item<std::int64_t>());
    auto w = vh.narrow(0, 0, k);
    out.index_copy_(0, torch::tensor(in), torch::mm(torch::mm(vi - mean, w.t()), w) + mean);
  }
  return out.to(torch::kFloat).to(targets.device());
}

torch::Tensor project_codes(const model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t h, std::int64_t w) {
  torch::NoGradGuard no_grad;
  auto [phi, mean] = decoder.linear_basis(model::make_grid(h, w, targets.device()));  // (d, P), (P)
  auto rhs = (targets - mean.unsqueeze(0)).t();                                       // (P, n)
  return ridge_solve(phi.t().cpu(), rhs.cpu(), 1e-6).t().contiguous().to(targets.device());
}

}  // namespace seisinr::encode
