// seisinr/model/model_file.cpp — see model_file.h.
#include "seisinr/model/model_file.h"

#include <torch/cuda.h>

#include "seisinr/io/json_get.h"

#include "seisinr/error.h"
#include "seisinr/model/decoder_tensors.h"
#include "seisinr/model/tensor_io.h"

namespace seisinr::model {

void add_decoder_sections(codec::SinrFile& f, const SirenDecoder& decoder) {
  for (const auto& [name, t] : decoder.named_parameters()) f.sections.push_back(to_section(tensor::kPrefix + name, t));
  for (const auto& [name, t] : decoder.named_buffers()) f.sections.push_back(to_section(tensor::kPrefix + name, t));
}

std::shared_ptr<SirenDecoder> decoder_from_sinr(const codec::SinrFile& f, const std::string& file, torch::Device device) {
  const Context in = reading(file);
  if (!f.meta.contains("model")) throw in.corrupt("meta has no 'model' (architecture)");
  SirenOptions o;
  try {
    o = f.meta["model"].get<SirenOptions>();
    o.validate();
  } catch (const std::exception& e) {
    throw in.corrupt(std::string("meta.model: ") + e.what());
  }
  auto d = std::make_shared<SirenDecoder>(o, 0, device);
  auto fill = [&](const std::string& name, const torch::Tensor& t) {
    std::vector<std::int64_t> shape(t.sizes().begin(), t.sizes().end());
    torch::Tensor v = from_section(f, tensor::kPrefix + name, file, shape);
    if (v.is_floating_point() && !torch::isfinite(v).all().item<bool>())
      throw in.corrupt("section 'decoder." + name + "' holds a non-finite value");
    d->set(name, v.to(device));
  };
  for (const auto& [name, t] : d->named_parameters()) fill(name, t);
  for (const auto& [name, t] : d->named_buffers()) fill(name, t);
  return d;
}

void save_model(const std::string& path, const SirenDecoder& decoder, const torch::Tensor& latents, nlohmann::json meta) {
  codec::SinrFile f;
  meta["kind"] = name_of(codec::FileKind::model);
  meta["model"] = decoder.options();
  f.meta = std::move(meta);
  add_decoder_sections(f, decoder);
  f.sections.push_back(to_section("latents", latents));
  codec::write_sinr(path, f);
}

torch::Device torch_device(Device device, const std::string& who) {
  if (device == Device::cpu) return torch::kCPU;
  if (!torch::cuda::is_available())
    throw Error(who + ": --device cuda, but this libtorch has no CUDA or no GPU is visible", ErrorKind::usage);
  return torch::kCUDA;
}

LoadedModel load_model(const std::string& path, torch::Device device) { return model_from_sinr(codec::read_sinr(path), path, device); }

LoadedModel model_from_sinr(const codec::SinrFile& f, const std::string& path, torch::Device device) {
  const Context in = reading(path);
  if (f.kind() != codec::FileKind::model) throw in.usage("not a model file (meta.kind is '" + f.kind_word() + "')");
  LoadedModel m;
  m.decoder = decoder_from_sinr(f, path, device);
  const codec::Section* lat = f.find("latents");
  if (!lat || lat->shape.size() != 2 || lat->shape[1] != m.decoder->options().latent_dim)
    throw in.corrupt("section 'latents' missing or not (N, latent_dim)");
  m.latents = from_section(f, "latents", path, lat->shape);
  if (!torch::isfinite(m.latents).all().item<bool>()) throw in.corrupt("section 'latents' holds a non-finite value");
  m.latents = m.latents.to(device);
  try {
    m.vmin = io::json_require<float>(f.meta.at("normalisation"), "vmin", "meta.normalisation");
    m.vmax = io::json_require<float>(f.meta.at("normalisation"), "vmax", "meta.normalisation");
    m.height = io::json_require<std::int64_t>(f.meta.at("grid"), "height", "meta.grid");
    m.width = io::json_require<std::int64_t>(f.meta.at("grid"), "width", "meta.grid");
  } catch (const nlohmann::json::exception& e) {
    throw in.corrupt(std::string("meta: ") + e.what());
  } catch (const Error& e) {
    throw in.corrupt(e.what());
  }
  if (!(m.vmin < m.vmax)) throw in.corrupt("meta.normalisation: vmin must be below vmax");
  m.meta = f.meta;
  return m;
}

}  // namespace seisinr::model
