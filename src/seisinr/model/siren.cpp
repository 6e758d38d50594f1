// seisinr/model/siren.cpp — SirenDecoder (equations, init and precision in siren.h).
#include "seisinr/model/siren.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "seisinr/error.h"
#include "seisinr/model/sine_layer.h"

namespace seisinr::model {
namespace {

torch::Tensor uniform(std::vector<std::int64_t> shape, double bound, at::Generator& gen) {
  return torch::empty(shape, torch::kFloat).uniform_(-bound, bound, gen);
}

}  // namespace

SirenDecoder::SirenDecoder(const SirenOptions& o, std::uint64_t seed, torch::Device device) : options_(o) {
  o.validate();
  at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(seed);
  const bool sine = o.activation == "sine";
  const std::int64_t c = o.coord_features(), d = o.latent_dim, h = o.hidden;
  const double d_in = static_cast<double>(c + d);
  const double first = sine ? 1.0 / d_in : 1.0 / std::sqrt(d_in);
  coord_weight_ = uniform({h, c}, sine && o.first_layer_init == "coord_half" ? 0.5 : first, gen);
  latent_weight_ = uniform({h, d}, first, gen);
  first_bias_ = uniform({h}, 1.0 / std::sqrt(d_in), gen);
  const double hb = sine ? std::sqrt(6.0 / static_cast<double>(h)) / o.omega0 : 1.0 / std::sqrt(static_cast<double>(h));
  for (std::int64_t k = 0; k < o.layers; ++k) {
    hidden_weight_.push_back(uniform({h, h}, hb, gen));
    hidden_bias_.push_back(uniform({h}, 1.0 / std::sqrt(static_cast<double>(h)), gen));
  }
  out_weight_ = uniform({1, h}, hb, gen);
  out_bias_ = uniform({1}, 1.0 / std::sqrt(static_cast<double>(h)), gen);
  if (o.activation == "relu_ff")
    fourier_ = torch::empty({o.fourier_features, 2}, torch::kFloat).normal_(0.0, o.fourier_scale, gen);
  for (auto& [name, t] : named_parameters()) {
    (void)name;
    t.set_data(t.to(device));
    t.set_requires_grad(true);
  }
  if (fourier_.defined()) fourier_ = fourier_.to(device);
}

std::vector<std::pair<std::string, torch::Tensor>> SirenDecoder::named_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> out = {
      {"first.coord_weight", coord_weight_}, {"first.latent_weight", latent_weight_}, {"first.bias", first_bias_}};
  for (std::size_t k = 0; k < hidden_weight_.size(); ++k) {
    out.emplace_back("hidden." + std::to_string(k) + ".weight", hidden_weight_[k]);
    out.emplace_back("hidden." + std::to_string(k) + ".bias", hidden_bias_[k]);
  }
  out.emplace_back("out.weight", out_weight_);
  out.emplace_back("out.bias", out_bias_);
  return out;
}

std::vector<std::pair<std::string, torch::Tensor>> SirenDecoder::named_buffers() const {
  if (fourier_.defined()) return {{"fourier", fourier_}};
  return {};
}

std::vector<torch::Tensor> SirenDecoder::parameters() const {
  std::vector<torch::Tensor> out;
  for (auto& [n, t] : named_parameters()) {
    (void)n;
    out.push_back(t);
  }
  return out;
}

std::int64_t SirenDecoder::parameter_count() const {
  std::int64_t n = 0;
  for (auto& t : parameters()) n += t.numel();
  return n;
}

void SirenDecoder::set(const std::string& name, const torch::Tensor& value) {
  auto assign = [&](const torch::Tensor& target) {
    if (target.sizes() != value.sizes())
      throw Error("decoder tensor '" + name + "': shape mismatch (have " + std::to_string(target.numel()) +
                  " values, got " + std::to_string(value.numel()) + ")");
    torch::NoGradGuard g;
    target.copy_(value);
  };
  for (auto& [n, t] : named_parameters())
    if (n == name) return assign(t);
  for (auto& [n, t] : named_buffers())
    if (n == name) return assign(t);
  throw Error("decoder has no tensor named '" + name + "'");
}

torch::Tensor SirenDecoder::coord_features(const torch::Tensor& coords) const {
  if (!fourier_.defined()) return coords;
  // γ(c) = [sin(2π B c), cos(2π B c)]
  auto proj = torch::matmul(coords, fourier_.t()) * (2.0 * M_PI);
  return torch::cat({torch::sin(proj), torch::cos(proj)}, -1);
}

torch::Tensor SirenDecoder::activate(const torch::Tensor& pre) const {
  if (options_.activation == "sine") return torch::sin(pre * options_.omega0);
  return torch::relu(pre);
}

torch::Tensor SirenDecoder::forward(const torch::Tensor& coords, const torch::Tensor& latents, Precision precision) const {
  const std::int64_t b = latents.size(0), h = options_.hidden;
  const bool sine_act = options_.activation == "sine";
  const bool fused = fused_ && sine_act;
  // bf16 storage is for sine decoders; the ReLU variants keep float32 activations.
  const bool bf16 = precision == Precision::kBf16 && sine_act;
  const bool bf16_products = precision != Precision::kFloat32;
  // Per-map part of the first layer, once per map: (B, 1, H).
  auto per_map = torch::addmm(first_bias_, latents, latent_weight_.t()).unsqueeze(1);
  // Per-point part: (P, H) or (B, P, H).
  auto per_point = torch::matmul(coord_features(coords), coord_weight_.t());
  torch::Tensor x;  // (B, P, H)
  if (fused)
    x = sine(per_point + per_map, options_.omega0, precision);
  else if (bf16)
    x = activate(per_point + per_map).to(torch::kBFloat16);
  else
    x = activate(per_point + per_map);
  const std::int64_t p = x.size(1);
  x = x.reshape({b * p, h});
  for (std::size_t k = 0; k < hidden_weight_.size(); ++k) {
    if (fused) {
      x = sine_layer(x, hidden_weight_[k], hidden_bias_[k], options_.omega0, precision);
      continue;
    }
    torch::Tensor pre;
    if (bf16_products) {
      pre = torch::mm(x.to(torch::kBFloat16), hidden_weight_[k].to(torch::kBFloat16).t()).to(torch::kFloat) + hidden_bias_[k];
    } else {
      pre = torch::addmm(hidden_bias_[k], x, hidden_weight_[k].t());
    }
    x = bf16 ? activate(pre).to(torch::kBFloat16) : activate(pre);
  }
  if (bf16)
    return (fused ? output_layer_bf16(x, out_weight_, out_bias_) : torch::addmm(out_bias_, x.to(torch::kFloat), out_weight_.t()))
        .reshape({b, p});
  return torch::addmm(out_bias_, x, out_weight_.t()).reshape({b, p});
}

torch::Tensor SirenDecoder::forward_concat(const torch::Tensor& coords, const torch::Tensor& latents) const {
  const std::int64_t b = latents.size(0);
  auto c = coord_features(coords);
  if (c.dim() == 2) c = c.unsqueeze(0).expand({b, c.size(0), c.size(1)});
  const std::int64_t p = c.size(1);
  auto z = latents.unsqueeze(1).expand({b, p, latents.size(1)});
  auto input = torch::cat({c, z}, -1).reshape({b * p, -1});
  auto w = torch::cat({coord_weight_, latent_weight_}, 1);
  auto x = activate(torch::addmm(first_bias_, input, w.t()));
  for (std::size_t k = 0; k < hidden_weight_.size(); ++k) x = activate(torch::addmm(hidden_bias_[k], x, hidden_weight_[k].t()));
  return torch::addmm(out_bias_, x, out_weight_.t()).reshape({b, p});
}

torch::Tensor make_grid_rows(std::int64_t h, std::int64_t w, std::int64_t row0, std::int64_t rows, torch::Device device) {
  auto opts = torch::TensorOptions().dtype(torch::kFloat).device(device);
  auto xs = torch::linspace(-1.0, 1.0, w, opts), zs = torch::linspace(-1.0, 1.0, h, opts).narrow(0, row0, rows);
  auto zz = zs.unsqueeze(1).expand({rows, w}), xx = xs.unsqueeze(0).expand({rows, w});
  return torch::stack({xx.reshape({-1}), zz.reshape({-1})}, 1);
}

torch::Tensor make_grid(std::int64_t h, std::int64_t w, torch::Device device) { return make_grid_rows(h, w, 0, h, device); }

}  // namespace seisinr::model
