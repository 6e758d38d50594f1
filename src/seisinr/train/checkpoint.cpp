// seisinr/train/checkpoint.cpp — see checkpoint.h.
#include "seisinr/train/checkpoint.h"

#include "seisinr/io/json_get.h"

#include "seisinr/codec/sinr_format.h"
#include "seisinr/error.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/tensor_io.h"

namespace seisinr::train {

void write_checkpoint(const std::string& path, const Checkpoint& c, const model::SirenDecoder& decoder,
                      const torch::Tensor& latents, optim::Adam& adam, const optim::PlateauSchedule& schedule, const torch::Tensor& latent_m,
                      const torch::Tensor& latent_v) {
  codec::SinrFile f;
  f.meta = {{"kind", name_of(codec::FileKind::checkpoint)},         {"epoch", c.epoch},           {"options", c.options},
            {"model", decoder.options()},   {"adam_steps", adam.steps()}, {"schedule", schedule.state()},
            {"trained_hashes", c.trained_hashes}};
  if (c.step > 0) {
    f.meta["step"] = c.step;
    f.meta["partial"] = {{"loss", c.partial_loss}, {"recon", c.partial_recon}, {"reg", c.partial_reg}};
    // float64 values carried bit for bit as pairs of float32 words.
    const torch::Tensor bits = c.map_mse.to(torch::kCPU, torch::kDouble).contiguous().view(torch::kFloat).reshape({-1, 2});
    f.sections.push_back(model::to_section("map_mse", bits));
  }
  model::add_decoder_sections(f, decoder);
  f.sections.push_back(model::to_section("latents", latents));
  if (c.cross_fields.defined()) f.sections.push_back(model::to_section("cross_fields", c.cross_fields));
  const std::size_t last = adam.exp_avg().size() - 1;
  for (std::size_t k = 0; k < adam.exp_avg().size(); ++k) {
    const bool whole = k == last && latent_m.defined();
    f.sections.push_back(model::to_section("adam.m." + std::to_string(k), whole ? latent_m : adam.exp_avg()[k]));
    f.sections.push_back(model::to_section("adam.v." + std::to_string(k), whole ? latent_v : adam.exp_avg_sq()[k]));
  }
  codec::write_sinr(path, f);
}

namespace {

Context refused(const std::string& path) { return Context("checkpoint refused") / ("reading " + path); }

codec::SinrFile read_checked(const std::string& path) {
  codec::SinrFile f;
  try {
    f = codec::read_sinr(path);
  } catch (const Error& e) {
    throw e.within("checkpoint refused");
  }
  if (f.kind() != codec::FileKind::checkpoint) throw refused(path).usage("not a checkpoint (meta.kind)");
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
    if (f.meta.contains("step")) {
      c.step = io::json_require<std::int64_t>(f.meta, "step", "meta");
      const auto& p = f.meta.at("partial");
      c.partial_loss = io::json_require<double>(p, "loss", "meta.partial");
      c.partial_recon = io::json_require<double>(p, "recon", "meta.partial");
      c.partial_reg = io::json_require<double>(p, "reg", "meta.partial");
      const std::int64_t n = static_cast<std::int64_t>(c.trained_hashes.size());
      c.map_mse = model::from_section(f, "map_mse", path, {n, 2}).contiguous().view(torch::kDouble).reshape({n}).clone();
    }
  } catch (const nlohmann::json::exception& e) {
    throw refused(path).corrupt(std::string("meta: ") + e.what());
  } catch (const Error& e) {
    throw refused(path).corrupt(e.what());
  }
  c.options.validate();
  if (c.epoch < 0) throw refused(path).corrupt("negative epoch");
  if (c.step < 0) throw refused(path).corrupt("negative meta.step");
  return c;
}

void restore_checkpoint(const Checkpoint& c, const std::string& path, model::SirenDecoder& decoder, torch::Tensor& latents,
                        optim::Adam& adam, optim::PlateauSchedule& schedule, const torch::Tensor& latent_rows, torch::Tensor* cross_fields) {
  const codec::SinrFile& f = c.file;
  const torch::Device device = latents.device();
  torch::NoGradGuard no_grad;
  auto load = [&](const std::string& name, const torch::Tensor& like) {
    std::vector<std::int64_t> shape(like.sizes().begin(), like.sizes().end());
    return model::from_section(f, name, path, shape).to(device);
  };
  for (const auto& [name, t] : decoder.named_parameters()) decoder.set(name, load("decoder." + name, t));
  for (const auto& [name, t] : decoder.named_buffers()) decoder.set(name, load("decoder." + name, t));
  // The latent table and its moments: whole, or the rows this rank holds.
  const std::size_t last = adam.exp_avg().size() - 1;
  auto load_rows = [&](const std::string& name, const torch::Tensor& like) {
    if (!latent_rows.defined()) return load(name, like);
    const codec::Section* s = f.find(name);
    if (!s || s->shape.size() != 2 || s->shape[1] != like.size(1))
      throw refused(path).corrupt("section '" + name + "' missing or of the wrong shape");
    const torch::Tensor whole = model::from_section(f, name, path, s->shape);
    if (latent_rows.numel() && latent_rows.max().item<std::int64_t>() >= whole.size(0))
      throw refused(path).corrupt("section '" + name + "' has fewer rows than the run's maps");
    return whole.index_select(0, latent_rows).to(device);
  };
  latents.copy_(load_rows("latents", latents));
  if (cross_fields) cross_fields->copy_(load_rows("cross_fields", *cross_fields));
  for (std::size_t k = 0; k < adam.exp_avg().size(); ++k) {
    auto loader = [&](const std::string& name, const torch::Tensor& like) { return k == last ? load_rows(name, like) : load(name, like); };
    adam.exp_avg()[k].copy_(loader("adam.m." + std::to_string(k), adam.exp_avg()[k]));
    adam.exp_avg_sq()[k].copy_(loader("adam.v." + std::to_string(k), adam.exp_avg_sq()[k]));
  }
  adam.set_steps(f.meta.at("adam_steps").get<std::int64_t>());
  schedule.load(f.meta.at("schedule"));
}

}  // namespace seisinr::train
