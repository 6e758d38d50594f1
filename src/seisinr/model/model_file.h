// seisinr/model/model_file.h — a trained model in a .sinr file: the decoder's tensors
// ("decoder.<name>"), the latent table ("latents", N_trained × d, float32) and a meta object:
//   kind "model", model (SirenOptions), normalisation {vmin, vmax} (m/s), grid {height, width},
//   families [...], maps [{family, file, index, hash, split, latent}] (latent: row in "latents"
//   or −1 for held-out maps), config (the resolved TrainOptions), training {epochs, seconds, ...}.
#pragma once

#include <torch/types.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/model/precision.h"
#include "seisinr/model/siren.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::model {

struct LoadedModel {
  std::shared_ptr<SirenDecoder> decoder;
  torch::Tensor latents;  // (N_trained, d), float32, on the requested device
  nlohmann::json meta;
  float vmin = codec::kDefaultVmin, vmax = codec::kDefaultVmax;
  std::int64_t height = 0, width = 0;
};

// Adds "decoder.*" sections for every parameter and buffer.
void add_decoder_sections(codec::SinrFile& f, const SirenDecoder& decoder);
// Builds a decoder from meta["model"] and fills it from the file's "decoder.*" sections.
std::shared_ptr<SirenDecoder> decoder_from_sinr(const codec::SinrFile& f, const std::string& file, torch::Device device);

// libtorch's device; cuda without a CUDA libtorch or a visible GPU is a usage error naming `who`
// (the command or option).
torch::Device torch_device(Device device, const std::string& who);

void save_model(const std::string& path, const SirenDecoder& decoder, const torch::Tensor& latents, nlohmann::json meta);
LoadedModel load_model(const std::string& path, torch::Device device = torch::kCPU);
// The same from a file already read; `path` names it in errors.
LoadedModel model_from_sinr(const codec::SinrFile& f, const std::string& path, torch::Device device = torch::kCPU);

}  // namespace seisinr::model
