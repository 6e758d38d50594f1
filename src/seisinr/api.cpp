// seisinr/api.cpp — the public API (seisinr.h) over the library.
#include "seisinr/seisinr.h"

#include <torch/types.h>

#include <sstream>

#include "seisinr/compress/compress.h"
#include "seisinr/compress/summary.h"
#include "seisinr/interrupt.h"
#include "seisinr/io/segy.h"
#include "seisinr/invert/run.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/sampler.h"
#include "seisinr/encode/encoder.h"

namespace seisinr {
namespace {

// A decode size: the model's grid for 0, else checked (io::check_grid_side).
std::int64_t decode_side(std::int64_t v, std::int64_t model_side, const char* name) {
  io::check_grid_side(v, std::string("decode: ") + name);
  return v == 0 ? model_side : v;
}

}  // namespace

nlohmann::json compress_maps(const Dataset& maps, const std::string& out, const CompressOptions& options) {
  return compress::compress(maps, options, out);
}

std::string compress_summary(const nlohmann::json& stats, const std::string& out) { return compress::summary(stats, out); }

Maps decompress_maps(const std::string& path, const DecompressOptions& options) { return compress::decompress(path, options); }

nlohmann::json invert_data(const InversionOptions& options, std::ostream* progress) {
  std::ostringstream quiet;
  return invert::run_inversion(options, progress ? *progress : quiet);
}
Maps decompress_window(const std::string& path, const Window& window, const DecompressOptions& options) {
  return compress::decompress_window(path, window, options);
}

Maps decompress_to_file(const std::string& path, const std::string& out, const DecompressOptions& options,
                        const std::optional<Window>& window) {
  io::Geometry grid;
  const Maps maps = window ? compress::decompress_window(path, *window, options, &grid) : compress::decompress(path, options, &grid);
  if (io::is_segy_path(out))
    io::write_segy(out, maps, grid);
  else
    io::write_velocity_npy(out, maps);
  return maps;
}

std::string default_decompress_output(const std::string& path) { return compress::default_output(path); }

std::string quality_table(const nlohmann::json& stats) { return compress::quality_table(stats); }

struct Model::Impl {
  model::LoadedModel m;
  std::string path;
};

Model Model::load(const std::string& path, Device device) {
  Model model;
  auto impl = std::make_shared<Impl>();
  impl->m = model::load_model(path, model::torch_device(device, "load"));
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
  o.height = decode_side(h, m.height, "height"), o.width = decode_side(w, m.width, "width"), o.vmin = m.vmin, o.vmax = m.vmax;
  return o;
}

torch::Tensor codes_of_rows(const model::LoadedModel& m, const std::string& path, const std::vector<std::int64_t>& rows) {
  const std::int64_t n = m.latents.size(0);
  for (std::int64_t r : rows)
    if (r < 0 || r >= n)
      throw Error(path + ": no trained map " + std::to_string(r) + " (the model has " + std::to_string(n) + ")", ErrorKind::usage);
  return m.latents.index_select(0, torch::tensor(rows, torch::kLong));
}
}  // namespace

Maps Model::decode(const std::vector<std::int64_t>& rows, std::int64_t h, std::int64_t w) const {
  return model::decode_maps(*impl_->m.decoder, codes_of_rows(impl_->m, impl_->path, rows), decode_options(impl_->m, h, w));
}

void Model::decode_stream(const std::vector<std::int64_t>& rows, std::int64_t h, std::int64_t w, const Sink& sink,
                          std::int64_t batch_points) const {
  model::DecodeOptions d = decode_options(impl_->m, h, w);
  if (batch_points < 0 || batch_points > (std::int64_t{1} << 31))
    throw Error("decode: batch_points " + std::to_string(batch_points) + ": give 0 (automatic) to 2^31", ErrorKind::usage);
  d.max_points_per_batch = batch_points;
  model::decode_stream(*impl_->m.decoder, codes_of_rows(impl_->m, impl_->path, rows), d, sink);
}

void Model::decode_to_npy(const std::string& path, const std::vector<std::int64_t>& rows, std::int64_t h, std::int64_t w,
                          std::int64_t batch_points) const {
  const model::DecodeOptions d = decode_options(impl_->m, h, w);
  io::NpyWriter out(path, {static_cast<std::int64_t>(rows.size()), 1, d.height, d.width});
  decode_stream(rows, d.height, d.width, [&](std::int64_t, std::int64_t, const float* v, std::int64_t count) {
    throw_if_stop_requested("decode");  // SIGINT/SIGTERM: the partial output is discarded
    out.append(v, static_cast<std::size_t>(count));
  }, batch_points);
  out.commit();
}

Maps Model::decode_codes(const std::vector<float>& codes, std::int64_t h, std::int64_t w) const {
  const std::int64_t d = latent_dim();
  if (codes.size() % static_cast<std::size_t>(d) != 0)
    throw Error("decode: " + std::to_string(codes.size()) + " numbers are not a whole number of codes of " + std::to_string(d),
                ErrorKind::usage);
  if (const auto bad = io::find_non_finite(codes.data(), codes.size(), 1, d))  // each code a 1 × d "map"
    throw Error("decode_codes: " + std::string(bad->nan ? "NaN" : "an infinite value") + " in code " + std::to_string(bad->map) +
                    " at position " + std::to_string(bad->col),
                ErrorKind::usage);
  constexpr float kMaxCode = 1e6f;  // trained codes stay within ±100s (PCA coefficients) or ±1s
  for (std::size_t k = 0; k < codes.size(); ++k)
    if (std::fabs(codes[k]) > kMaxCode)
      throw Error("decode_codes: code " + std::to_string(k / static_cast<std::size_t>(d)) + " at position " +
                      std::to_string(k % static_cast<std::size_t>(d)) + " is " + std::to_string(codes[k]) +
                      "; codes beyond +-1e6 are not codes of any model",
                  ErrorKind::usage);
  // from_blob only views the caller's values; clone() makes the one copy the decoder uses.
  const torch::Tensor z =
      torch::from_blob(const_cast<float*>(codes.data()), {static_cast<std::int64_t>(codes.size()) / d, d}, torch::kFloat).clone();
  Maps out = model::decode_maps(*impl_->m.decoder, z, decode_options(impl_->m, h, w));
  if (const auto bad = io::find_non_finite(out.values.data(), out.values.size(), out.h, out.w)) {  // codes far outside the trained ones
    float largest = 0;
    for (float c : codes) largest = std::max(largest, std::fabs(c));
    throw Error("decode_codes: code " + std::to_string(bad->map) + " decodes to a non-finite speed (its numbers reach " + std::to_string(largest) +
                    "; the model's trained codes are far smaller)",
                ErrorKind::usage);
  }
  return out;
}

Maps Model::sample(const std::string& family, std::int64_t count, std::uint64_t seed, std::int64_t h, std::int64_t w,
                   const model::DensityOptions& density) const {
  if (count <= 0) throw Error("sample: the count must be positive, got " + std::to_string(count), ErrorKind::usage);
  const model::DecodeOptions o = decode_options(impl_->m, h, w);
  model::check_in_memory(count, o);  // before count codes are drawn
  const model::CodeDensity d = model::fit_density(impl_->m, family, impl_->path);
  const torch::Tensor z = model::draw_codes(d, count, seed, density);
  return model::decode_maps(*impl_->m.decoder, z.to(impl_->m.latents.device()), o);
}

std::vector<float> Model::encode(const Maps& maps, const EncodeOptions& options) const {
  const torch::Tensor z = encode::codes_for_maps(impl_->m, dataset(maps), options).contiguous();
  return {z.data_ptr<float>(), z.data_ptr<float>() + z.numel()};
}

Evaluation Model::evaluate(const Dataset& maps, const EvalOptions& options) const { return eval::evaluate(impl_->m, maps, options); }

}  // namespace seisinr
