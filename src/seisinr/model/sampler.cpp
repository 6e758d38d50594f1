// seisinr/model/sampler.cpp — see sampler.h for the density and its estimator.
#include "seisinr/model/sampler.h"

#include <algorithm>
#include <cmath>

#include <ATen/CPUGeneratorImpl.h>
#include <torch/utils.h>  // NoGradGuard

#include "seisinr/error.h"
#include "seisinr/data/split.h"

namespace seisinr::model {

namespace {
void check_count(std::int64_t count) {
  if (count <= 0) throw Error("sample: the count must be positive, got " + std::to_string(count), ErrorKind::usage);
}
}  // namespace

std::vector<std::int64_t> trained_rows(const LoadedModel& m, const std::string& family) {
  std::vector<std::int64_t> rows;
  if (m.meta.contains("maps") && m.meta.at("maps").is_array())
    for (const auto& e : m.meta.at("maps"))
      if (data::is_trained_entry(e) && e.value("latent", -1) >= 0 &&
          (family.empty() || e.value("family", "") == family))
        rows.push_back(e.at("latent").get<std::int64_t>());
  return rows;
}

std::vector<std::string> trained_families(const LoadedModel& m) {
  std::vector<std::string> out;
  if (m.meta.contains("maps") && m.meta.at("maps").is_array())
    for (const auto& e : m.meta.at("maps"))
      if (data::is_trained_entry(e)) {
        const std::string f = e.value("family", "");
        if (std::find(out.begin(), out.end(), f) == out.end()) out.push_back(f);
      }
  return out;
}

CodeDensity fit_density(const LoadedModel& m, const std::string& family, const std::string& path) {
  const std::vector<std::int64_t> rows = trained_rows(m, family);
  if (rows.empty()) {
    std::string have;
    for (const std::string& f : trained_families(m)) have += (have.empty() ? "" : ", ") + f;
    throw Error(path + ": the model holds no trained maps of family '" + family + "'" +
                    (have.empty() ? " (it holds no trained codes at all)" : " (it holds: " + have + ")"),
                ErrorKind::usage);
  }
  if (rows.size() < 2)
    throw Error(path + ": family '" + family + "' has 1 trained map; a density needs at least 2", ErrorKind::usage);
  const std::int64_t max_row = m.latents.size(0);
  for (std::int64_t r : rows)
    if (r >= max_row) throw Error(path + ": meta names latent row " + std::to_string(r) + " of " + std::to_string(max_row), ErrorKind::corrupt);
  torch::NoGradGuard ng;
  const torch::Tensor z = m.latents.to(torch::kCPU).index_select(0, torch::tensor(rows, torch::kLong)).to(torch::kDouble);
  const std::int64_t n = z.size(0), d = z.size(1);
  CodeDensity out;
  out.maps = n;
  out.mean = z.mean(0);
  out.codes = z;
  const torch::Tensor x = z - out.mean;
  const torch::Tensor S = x.t().mm(x) / static_cast<double>(n);
  const double mu = S.trace().item<double>() / static_cast<double>(d);
  const torch::Tensor I = torch::eye(d, torch::kDouble);
  const double delta2 = (S - mu * I).pow(2).sum().item<double>();
  // Σ_k ‖x_k x_kᵀ − S‖²_F = Σ_k (‖x_k‖⁴ − 2 x_kᵀ S x_k) + n ‖S‖²_F
  const torch::Tensor nx2 = x.pow(2).sum(1);
  const double bbar2 = (nx2.pow(2).sum() - 2 * (x.mm(S) * x).sum()).item<double>() / (static_cast<double>(n) * static_cast<double>(n)) +
                       S.pow(2).sum().item<double>() / static_cast<double>(n);
  out.shrinkage = delta2 > 0 ? std::clamp(std::min(bbar2, delta2) / delta2, 0.0, 1.0) : 1.0;
  out.cov = (1 - out.shrinkage) * S + out.shrinkage * mu * I;
  if (!(mu > 0)) throw Error(path + ": the trained codes of family '" + family + "' are all equal; no density to fit", ErrorKind::usage);
  out.chol = at::linalg_cholesky(out.cov);
  return out;
}

torch::Tensor draw_codes(const CodeDensity& d, std::int64_t count, std::uint64_t seed) {
  check_count(count);
  torch::NoGradGuard ng;
  auto gen = at::detail::createCPUGenerator(seed);
  const torch::Tensor eps = at::normal(0.0, 1.0, {count, d.mean.size(0)}, gen, torch::TensorOptions().dtype(torch::kDouble));
  return (d.mean.unsqueeze(0) + eps.mm(d.chol.t())).to(torch::kFloat).contiguous();
}

torch::Tensor draw_codes(const CodeDensity& d, std::int64_t count, std::uint64_t seed, const DensityOptions& density) {
  density.validate();
  if (density.kind == DensityKind::gaussian) return draw_codes(d, count, seed);
  check_count(count);
  torch::NoGradGuard ng;
  const std::int64_t n = d.codes.size(0);
  auto gen = at::detail::createCPUGenerator(seed);
  const torch::TensorOptions f64 = torch::TensorOptions().dtype(torch::kDouble);
  const torch::Tensor k = at::randint(n, {count}, gen, torch::TensorOptions().dtype(torch::kLong));
  const torch::Tensor eta = at::normal(0.0, 1.0, {count, n}, gen, f64);
  const torch::Tensor x = d.codes - d.mean;  // X: the rows x_k
  const double scale = density.bandwidth / std::sqrt(static_cast<double>(n));
  return (d.codes.index_select(0, k) + scale * eta.mm(x)).to(torch::kFloat).contiguous();
}

}  // namespace seisinr::model
