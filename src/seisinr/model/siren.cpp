// seisinr/model/siren.cpp — SirenDecoder (equations, init and precision in siren.h).
#include "seisinr/model/siren.h"

#include "seisinr/model/decoder_tensors.h"

#include <ATen/CPUGeneratorImpl.h>

#include <cmath>

#include "seisinr/error.h"
#include "seisinr/model/refiner.h"
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
  const bool sine = o.activation == Activation::sine;
  const std::int64_t c = o.coord_features(), d = o.code_features(), h = o.hidden;
  const double d_in = static_cast<double>(c + d);
  const double first = sine ? 1.0 / d_in : 1.0 / std::sqrt(d_in);
  if (o.siren) {
    coord_weight_ = uniform({h, c}, sine && o.first_layer_init == FirstLayerInit::coord_half ? 0.5 : first, gen);
    latent_weight_ = uniform({h, d}, first, gen);
    first_bias_ = uniform({h}, 1.0 / std::sqrt(d_in), gen);
    const double hb = sine ? std::sqrt(6.0 / static_cast<double>(h)) / o.omega0 : 1.0 / std::sqrt(static_cast<double>(h));
    for (std::int64_t k = 0; k < o.layers; ++k) {
      hidden_weight_.push_back(uniform({h, h}, hb, gen));
      hidden_bias_.push_back(uniform({h}, 1.0 / std::sqrt(static_cast<double>(h)), gen));
    }
    out_weight_ = uniform({1, h}, hb, gen);
    out_bias_ = uniform({1}, 1.0 / std::sqrt(static_cast<double>(h)), gen);
    if (o.activation == Activation::relu_ff)
      fourier_ = torch::empty({o.fourier_features, 2}, torch::kFloat).normal_(0.0, o.fourier_scale, gen);
  }
  if (o.linear_path && (o.basis_height < 2 || o.basis_width < 2))
    throw Error("decoder: linear path without a basis grid (basis_height, basis_width)");
  if (o.linear_path) {
    // Without a data-driven start (encode/code_init.h) the basis starts as small noise, the mean
    // at zero and the grid readout on channel 0.
    mean_ = torch::zeros({o.basis_height, o.basis_width}, torch::kFloat);
    if (o.code == CodeKind::kGrid) {
      readout_ = torch::zeros({d}, torch::kFloat);
      readout_[0] = 1.0f;
    } else {
      basis_ = uniform({o.latent_dim, o.basis_height, o.basis_width}, 1e-2, gen);
    }
  }
  if (o.refiner == RefinerKind::kConv) {
    // PyTorch's Conv2d init: U(±1/√fan_in) for weights and biases; the last layer at zero.
    const auto& layers = refiner_layers();
    for (std::size_t k = 0; k < layers.size(); ++k) {
      const ConvSpec& l = layers[k];
      const std::int64_t ci = refiner_channels(l.in, o.refiner_width), co = refiner_channels(l.out, o.refiner_width);
      const double bound = k + 1 == layers.size() ? 0.0 : 1.0 / std::sqrt(static_cast<double>(ci * l.kernel * l.kernel));
      refiner_weight_.push_back(uniform({co, ci, l.kernel, l.kernel}, bound, gen));
      refiner_bias_.push_back(uniform({co}, bound, gen));
    }
  }
  for (auto& [name, t] : named_parameters()) {
    (void)name;
    t.set_data(t.to(device));
    t.set_requires_grad(true);
  }
  if (fourier_.defined()) fourier_ = fourier_.to(device);
}

std::vector<std::pair<std::string, torch::Tensor>> SirenDecoder::named_parameters() const {
  std::vector<std::pair<std::string, torch::Tensor>> out;
  if (options_.siren) {
    out = {{tensor::kCoordWeight, coord_weight_}, {tensor::kLatentWeight, latent_weight_}, {tensor::kFirstBias, first_bias_}};
    for (std::size_t k = 0; k < hidden_weight_.size(); ++k) {
      out.emplace_back(tensor::hidden(static_cast<std::int64_t>(k), "weight"), hidden_weight_[k]);
      out.emplace_back(tensor::hidden(static_cast<std::int64_t>(k), "bias"), hidden_bias_[k]);
    }
    out.emplace_back(tensor::kOutWeight, out_weight_);
    out.emplace_back(tensor::kOutBias, out_bias_);
  }
  if (basis_.defined()) out.emplace_back(tensor::kBasis, basis_);
  if (mean_.defined()) out.emplace_back(tensor::kMean, mean_);
  if (readout_.defined()) out.emplace_back(tensor::kReadout, readout_);
  const auto& layers = refiner_layers();
  for (std::size_t k = 0; k < refiner_weight_.size(); ++k) {
    out.emplace_back(tensor::refiner(layers[k], "weight"), refiner_weight_[k]);
    out.emplace_back(tensor::refiner(layers[k], "bias"), refiner_bias_[k]);
  }
  return out;
}

std::vector<std::pair<std::string, torch::Tensor>> SirenDecoder::named_buffers() const {
  if (fourier_.defined()) return {{tensor::kFourier, fourier_}};
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

torch::Tensor SirenDecoder::get(const std::string& name) const {
  for (auto& [n, t] : named_parameters())
    if (n == name) return t;
  for (auto& [n, t] : named_buffers())
    if (n == name) return t;
  throw Error("decoder has no tensor named '" + name + "'");
}

void SirenDecoder::set(const std::string& name, const torch::Tensor& value) {
  const torch::Tensor target = get(name);
  if (target.sizes() != value.sizes())
    throw Error("decoder tensor '" + name + "': shape mismatch (have " + std::to_string(target.numel()) + " values, got " +
                std::to_string(value.numel()) + ")");
  torch::NoGradGuard g;
  target.copy_(value);
}

torch::Tensor SirenDecoder::coord_features(const torch::Tensor& coords) const {
  if (!fourier_.defined()) return coords;
  // γ(c) = [sin(2π B c), cos(2π B c)]
  auto proj = torch::matmul(coords, fourier_.t()) * (2.0 * M_PI);
  return torch::cat({torch::sin(proj), torch::cos(proj)}, -1);
}

torch::Tensor SirenDecoder::activate(const torch::Tensor& pre) const {
  if (options_.activation == Activation::sine) return torch::sin(pre * options_.omega0);
  return torch::relu(pre);
}

void SirenDecoder::zero_output_layer() {
  if (!options_.siren) return;
  torch::NoGradGuard g;
  out_weight_.zero_();
  out_bias_.zero_();
}

torch::Tensor sample_fields(const torch::Tensor& fields, const torch::Tensor& coords) {
  // grid_sampler(input (N, C, H, W), grid (N, 1, P, 2) of (x, z)) → (N, C, 1, P); bilinear,
  // border padding, align_corners.
  auto s = torch::grid_sampler(fields, coords.unsqueeze(1), 0, 1, true);
  return s.squeeze(2).transpose(1, 2);
}

namespace {

// coords (P, 2) shared by b maps, as (b, P, 2); per-map coords (b, P, 2) as they are.
torch::Tensor per_map_coords(const torch::Tensor& coords, std::int64_t b) {
  return coords.dim() == 2 ? coords.unsqueeze(0).expand({b, coords.size(0), 2}) : coords;
}

}  // namespace

torch::Tensor SirenDecoder::sample_code(const torch::Tensor& coords, const torch::Tensor& latents) const {
  const std::int64_t b = latents.size(0), g = options_.code_grid, c = options_.code_features();
  return sample_fields(latents.reshape({b, c, g, g}), per_map_coords(coords, b));
}

torch::Tensor SirenDecoder::linear_output(const torch::Tensor& coords, const torch::Tensor& latents, const torch::Tensor& code) const {
  const std::int64_t b = latents.size(0);
  const bool shared = coords.dim() == 2;
  const std::int64_t p = shared ? coords.size(0) : coords.size(1);
  if (options_.code == CodeKind::kGrid) {
    auto m = sample_fields(mean_.unsqueeze(0).unsqueeze(0), coords.reshape({1, -1, 2})).reshape({shared ? 1 : b, p});
    return torch::matmul(code, readout_) + m;
  }
  // Each map's linear field on the basis grid, m + Σ_k z_k φ_k (one product), then sampled:
  // d times fewer samples than sampling the d basis fields.
  return sample_maps(refine(linear_fields(latents).unsqueeze(1)), coords);
}

torch::Tensor SirenDecoder::linear_fields(const torch::Tensor& latents) const {
  if (!basis_.defined()) throw Error("linear_fields: the decoder has no global linear path");
  const std::int64_t b = latents.size(0), d = options_.latent_dim, hb = options_.basis_height, wb = options_.basis_width;
  return torch::addmm(mean_.reshape({1, hb * wb}), latents, basis_.reshape({d, hb * wb})).reshape({b, hb, wb});
}

torch::Tensor SirenDecoder::sample_maps(const torch::Tensor& fields, const torch::Tensor& coords) const {
  return sample_fields(fields, per_map_coords(coords, fields.size(0))).select(2, 0);
}

torch::Tensor SirenDecoder::refine(const torch::Tensor& f) const {
  if (refiner_weight_.empty()) return f;
  struct Ops {
    const SirenDecoder& d;
    torch::Tensor conv(const torch::Tensor& x, std::size_t k, bool relu) const {
      const ConvSpec& l = refiner_layers()[k];
      auto y = torch::conv2d(x, d.refiner_weight_[k], d.refiner_bias_[k], l.stride, l.pad, l.dilation);
      return relu ? torch::relu(y) : y;
    }
    torch::Tensor resize_like(const torch::Tensor& x, const torch::Tensor& like) const {
      return torch::upsample_bilinear2d(x, {like.size(2), like.size(3)}, false);
    }
    torch::Tensor cat(const torch::Tensor& a, const torch::Tensor& b) const { return torch::cat({a, b}, 1); }
  };
  return f + refiner_residual(f, Ops{*this});
}

torch::Tensor SirenDecoder::forward_fields(const torch::Tensor& coords, const torch::Tensor& fields) const {
  if (refiner_weight_.empty() || options_.siren) throw Error("forward_fields: needs a refiner and no SIREN network");
  return sample_maps(refine(fields.unsqueeze(1)), coords);
}

std::pair<torch::Tensor, torch::Tensor> SirenDecoder::linear_basis(const torch::Tensor& coords) const {
  if (!options_.linear_path) throw Error("linear_basis: the decoder has no linear path");
  const std::int64_t d = options_.latent_dim;
  auto flat = coords.reshape({1, -1, 2});
  if (options_.code == CodeKind::kGrid) {
    const std::int64_t g = options_.code_grid, c = options_.code_features();
    auto nodes = torch::eye(g * g, coords.options()).reshape({1, g * g, g, g});
    auto hat = sample_fields(nodes, flat)[0];  // (P, G²)
    auto phi = (readout_.reshape({c, 1, 1}) * hat.t().unsqueeze(0)).reshape({c * g * g, -1});
    return {phi, sample_fields(mean_.unsqueeze(0).unsqueeze(0), flat)[0].select(1, 0)};
  }
  auto fields = torch::cat({basis_, mean_.unsqueeze(0)}, 0).unsqueeze(0);
  auto s = sample_fields(fields, flat)[0];
  return {s.narrow(1, 0, d).t(), s.select(1, d)};
}

torch::Tensor SirenDecoder::forward(const torch::Tensor& coords, const torch::Tensor& latents, Precision precision) const {
  if (!options_.siren) return linear_output(coords, latents, torch::Tensor());
  const std::int64_t b = latents.size(0), h = options_.hidden;
  const bool sine_act = options_.activation == Activation::sine;
  const bool fused = fused_ && sine_act;
  // bf16 storage is for sine decoders; the ReLU variants keep float32 activations.
  const bool bf16 = precision == Precision::kBf16 && sine_act;
  const bool bf16_products = precision != Precision::kFloat32;
  // Per-point part of the first layer: (P, H) or (B, P, H).
  auto per_point = torch::matmul(coord_features(coords), coord_weight_.t());
  torch::Tensor code, pre, per_map;  // code: the grid code's sample (B, P, C); per_map (B, H)
  if (options_.code == CodeKind::kGrid) {
    code = sample_code(coords, latents);
    pre = per_point + torch::matmul(code, latent_weight_.t()) + first_bias_;
  } else {  // per-map part, once per map: (B, 1, H)
    per_map = torch::addmm(first_bias_, latents, latent_weight_.t());
    if (!fused) pre = per_point + per_map.unsqueeze(1);
  }
  torch::Tensor x;  // (B, P, H)
  if (fused)
    x = per_map.defined() ? sine_broadcast(per_point, per_map, options_.omega0, precision) : sine(pre, options_.omega0, precision);
  else if (bf16)
    x = activate(pre).to(torch::kBFloat16);
  else
    x = activate(pre);
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
  torch::Tensor out;
  if (bf16)
    out = (fused ? output_layer_bf16(x, out_weight_, out_bias_) : torch::addmm(out_bias_, x.to(torch::kFloat), out_weight_.t()))
              .reshape({b, p});
  else
    out = torch::addmm(out_bias_, x, out_weight_.t()).reshape({b, p});
  return options_.linear_path ? out + linear_output(coords, latents, code) : out;
}

torch::Tensor SirenDecoder::forward_concat(const torch::Tensor& coords, const torch::Tensor& latents) const {
  if (!options_.siren) return linear_output(coords, latents, torch::Tensor());
  const std::int64_t b = latents.size(0);
  auto c = coord_features(coords);
  if (c.dim() == 2) c = c.unsqueeze(0).expand({b, c.size(0), c.size(1)});
  const std::int64_t p = c.size(1);
  auto code = options_.code == CodeKind::kGrid ? sample_code(coords, latents) : torch::Tensor();
  auto z = code.defined() ? code : latents.unsqueeze(1).expand({b, p, latents.size(1)});
  auto input = torch::cat({c, z}, -1).reshape({b * p, -1});
  auto w = torch::cat({coord_weight_, latent_weight_}, 1);
  auto x = activate(torch::addmm(first_bias_, input, w.t()));
  for (std::size_t k = 0; k < hidden_weight_.size(); ++k) x = activate(torch::addmm(hidden_bias_[k], x, hidden_weight_[k].t()));
  auto out = torch::addmm(out_bias_, x, out_weight_.t()).reshape({b, p});
  return options_.linear_path ? out + linear_output(coords, latents, code) : out;
}

torch::Tensor make_grid_rows(std::int64_t h, std::int64_t w, std::int64_t row0, std::int64_t rows, torch::Device device) {
  auto opts = torch::TensorOptions().dtype(torch::kFloat).device(device);
  auto xs = torch::linspace(-1.0, 1.0, w, opts), zs = torch::linspace(-1.0, 1.0, h, opts).narrow(0, row0, rows);
  auto zz = zs.unsqueeze(1).expand({rows, w}), xx = xs.unsqueeze(0).expand({rows, w});
  return torch::stack({xx.reshape({-1}), zz.reshape({-1})}, 1);
}

torch::Tensor make_grid(std::int64_t h, std::int64_t w, torch::Device device) { return make_grid_rows(h, w, 0, h, device); }

}  // namespace seisinr::model
