// seisinr/train/checkpoint.cpp — see checkpoint.h.
#include "seisinr/train/checkpoint.h"

#include "seisinr/io/json_get.h"

#include "seisinr/codec/sinr_format.h"
#include "seisinr/error.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/tensor_io.h"

namespace seisinr::train {

void write_checkpoint(const std::string& path, const Checkpoint& c, const model::SirenDecoder& decoder,
                      const torch::Tensor& latents, Adam& adam, const PlateauSchedule& schedule) {
  codec::SinrFile f;
  f.meta = {{"kind", "checkpoint"},         {"epoch", c.epoch},           {"options", c.options},
            {"model", decoder.options()},   {"adam_steps", adam.steps()}, {"schedule", schedule.state()},
            {"trained_hashes", c.trained_hashes}};
  model::add_decoder_sections(f, decoder);
  f.sections.push_back(model::to_section("latents", latents));
  for (std::size_t k = 0; k < adam.exp_avg().size(); ++k) {
    f.sections.push_back(model::to_section("adam.m." + std::to_string(k), adam.exp_avg()[k]));
    f.sections.push_back(model::to_section("adam.v." + std::to_string(k), adam.exp_avg_sq()[k]));
  }
  codec::write_sinr(path, f);
}

namespace {

codec::SinrFile read_checked(const std::string& path) {
  codec::SinrFile f;
  try {
    f = codec::read_sinr(path);
  } catch (const Error& e) {
    throw Error(std::string("checkpoint refused: ") + e.what());
  }
  if (f.meta.value("kind", std::string()) != "checkpoint")
    throw Error("checkpoint refused: reading " + path + ": not a checkpoint (meta.kind)");
  return f;
}

}  // namespace

Checkpoint read_checkpoint(const std::string& path) {
  Checkpoint c;
  c.file = read_checked(path);
  const codec::SinrFile& f = c.file;
  try {
    c.options = f.meta.at("options").get<TrainOptions>();
    c.epoch = io::json_require<std::int64_t>(f.meta, "epoch", "meta");
    c.trained_hashes = f.meta.at("trained_hashes").get<std::vector<std::string>>();
    io::json_require<std::int64_t>(f.meta, "adam_steps", "meta");
    io::json_require<double>(f.meta.at("schedule"), "scale", "meta.schedule");
  } catch (const nlohmann::json::exception& e) {
    throw Error("checkpoint refused: reading " + path + ": meta: " + e.what());
  } catch (const Error& e) {
    throw Error("checkpoint refused: reading " + path + ": " + e.what());
  }
  c.options.validate();
  if (c.epoch < 0) throw Error("checkpoint refused: reading " + path + ": negative epoch");
  return c;
}

void restore_checkpoint(const Checkpoint& c, const std::string& path, model::SirenDecoder& decoder, torch::Tensor& latents,
                        Adam& adam, PlateauSchedule& schedule) {
  const codec::SinrFile& f = c.file;
  const torch::Device device = latents.device();
  torch::NoGradGuard no_grad;
  auto load = [&](const std::string& name, const torch::Tensor& like) {
    std::vector<std::int64_t> shape(like.sizes().begin(), like.sizes().end());
    return model::from_section(f, name, path, shape).to(device);
  };
  for (const auto& [name, t] : decoder.named_parameters()) decoder.set(name, load("decoder." + name, t));
  for (const auto& [name, t] : decoder.named_buffers()) decoder.set(name, load("decoder." + name, t));
  latents.copy_(load("latents", latents));
  for (std::size_t k = 0; k < adam.exp_avg().size(); ++k) {
    adam.exp_avg()[k].copy_(load("adam.m." + std::to_string(k), adam.exp_avg()[k]));
    adam.exp_avg_sq()[k].copy_(load("adam.v." + std::to_string(k), adam.exp_avg_sq()[k]));
  }
  adam.set_steps(f.meta.at("adam_steps").get<std::int64_t>());
  schedule.load(f.meta.at("schedule"));
}

}  // namespace seisinr::train
