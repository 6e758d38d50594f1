// seisinr/api.cpp — the public API (seisinr.h) over the library.
#include "seisinr/seisinr.h"

#include <torch/torch.h>

#include "seisinr/data/dataset.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/train/encoder.h"

namespace seisinr {

Maps read_npy(const std::string& path) { return io::read_velocity_npy(path); }
void write_npy(const std::string& path, const Maps& maps) { io::write_velocity_npy(path, maps); }

struct Model::Impl {
  model::LoadedModel m;
  std::string path;
};

Model Model::load(const std::string& path) {
  Model model;
  auto impl = std::make_shared<Impl>();
  impl->m = model::load_model(path);
  impl->path = path;
  model.impl_ = impl;
  return model;
}

std::int64_t Model::latent_dim() const { return impl_->m.decoder->options().latent_dim; }
std::int64_t Model::trained_maps() const { return impl_->m.latents.size(0); }
std::int64_t Model::height() const { return impl_->m.height; }
std::int64_t Model::width() const { return impl_->m.width; }

namespace {
model::DecodeOptions decode_options(const model::LoadedModel& m, std::int64_t h, std::int64_t w) {
  model::DecodeOptions o;
  o.height = h > 0 ? h : m.height, o.width = w > 0 ? w : m.width, o.vmin = m.vmin, o.vmax = m.vmax;
  return o;
}
}  // namespace

Maps Model::decode(const std::vector<std::int64_t>& rows, std::int64_t h, std::int64_t w) const {
  const std::int64_t n = trained_maps();
  for (std::int64_t r : rows)
    if (r < 0 || r >= n) throw Error(impl_->path + ": no trained map " + std::to_string(r) + " (the model has " + std::to_string(n) + ")");
  const torch::Tensor z = impl_->m.latents.index_select(0, torch::tensor(rows, torch::kLong));
  return model::decode_maps(*impl_->m.decoder, z, decode_options(impl_->m, h, w));
}

Maps Model::decode_codes(const std::vector<float>& codes, std::int64_t h, std::int64_t w) const {
  const std::int64_t d = latent_dim();
  if (codes.size() % static_cast<std::size_t>(d) != 0)
    throw Error("decode: " + std::to_string(codes.size()) + " numbers are not a whole number of codes of " + std::to_string(d));
  std::vector<float> copy = codes;
  const torch::Tensor z = torch::from_blob(copy.data(), {static_cast<std::int64_t>(codes.size()) / d, d}, torch::kFloat).clone();
  return model::decode_maps(*impl_->m.decoder, z, decode_options(impl_->m, h, w));
}

std::vector<float> Model::encode(const Maps& maps) const {
  data::Dataset ds;
  ds.maps = maps;
  for (std::int64_t i = 0; i < maps.n; ++i) ds.family.push_back("maps"), ds.file.push_back("<memory>"), ds.index.push_back(i);
  ds.families = {"maps"};
  const torch::Tensor z = train::codes_for_maps(impl_->m, ds, train::EncodeOptions{}).contiguous();
  return {z.data_ptr<float>(), z.data_ptr<float>() + z.numel()};
}

}  // namespace seisinr
