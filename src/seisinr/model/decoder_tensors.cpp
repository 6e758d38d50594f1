// seisinr/model/decoder_tensors.cpp — see decoder_tensors.h.
#include "seisinr/model/decoder_tensors.h"

namespace seisinr::model {

std::string tensor::hidden(std::int64_t layer, const char* part) { return "hidden." + std::to_string(layer) + "." + part; }
std::string tensor::refiner(const ConvSpec& layer, const char* part) { return std::string("refiner.") + layer.name + "." + part; }

std::vector<DecoderTensor> decoder_tensors(const SirenOptions& o) {
  std::vector<DecoderTensor> out;
  const std::int64_t h = o.hidden, c = o.coord_features(), nc = o.code_features();
  if (o.siren) {
    out.push_back({tensor::kCoordWeight, {h, c}});
    out.push_back({tensor::kLatentWeight, {h, nc}});
    out.push_back({tensor::kFirstBias, {h}});
    for (std::int64_t k = 0; k < o.layers; ++k) {
      out.push_back({tensor::hidden(k, "weight"), {h, h}});
      out.push_back({tensor::hidden(k, "bias"), {h}});
    }
    out.push_back({tensor::kOutWeight, {1, h}});
    out.push_back({tensor::kOutBias, {1}});
  }
  if (o.linear_path) {
    if (o.code != CodeKind::kGrid) out.push_back({tensor::kBasis, {o.latent_dim, o.basis_height, o.basis_width}});
    out.push_back({tensor::kMean, {o.basis_height, o.basis_width}});
    if (o.code == CodeKind::kGrid) out.push_back({tensor::kReadout, {nc}});
  }
  if (o.refiner == RefinerKind::kConv)
    for (const ConvSpec& l : refiner_layers()) {
      const std::int64_t ci = refiner_channels(l.in, o.refiner_width), co = refiner_channels(l.out, o.refiner_width);
      out.push_back({tensor::refiner(l, "weight"), {co, ci, l.kernel, l.kernel}});
      out.push_back({tensor::refiner(l, "bias"), {co}});
    }
  if (o.siren && o.activation == Activation::relu_ff) out.push_back({tensor::kFourier, {o.fourier_features, 2}, true});
  return out;
}

}  // namespace seisinr::model
