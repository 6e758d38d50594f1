// seisinr/compress/compress.cpp — see compress.h.
#include "seisinr/compress/compress.h"

#include <torch/types.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "seisinr/codec/bounded_decode.h"
#include "seisinr/codec/dataset_file.h"
#include "seisinr/dist/comm.h"
#include "seisinr/codec/residual.h"
#include "seisinr/compress/decoder.h"
#include "seisinr/compress/tiled.h"
#include "seisinr/error.h"
#include "seisinr/interrupt.h"
#include "seisinr/parallel.h"
#include "seisinr/io/output_guard.h"
#include "seisinr/eval/evaluate.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/portable_decoder.h"
#include "seisinr/encode/encoder.h"
#include "seisinr/train/trainer.h"
#include "seisinr/codec/normalisation.h"
#include "seisinr/codec/tiled_file.h"

namespace seisinr::compress {

namespace fs = std::filesystem;

namespace {

// parallel_for (parallel.h), polling for a stop request (interrupt.h) before each map.
template <typename F>
void parallel_for(std::int64_t n, std::int64_t threads, F f) {
  seisinr::parallel_for(n, threads, [&](std::int64_t i) {
    throw_if_stop_requested("compress");
    f(i);
  });
}

bool integer_valued(const float* v, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i)
    if (v[i] != std::nearbyint(v[i])) return false;
  return true;
}

struct MapCode {
  codec::MapPath path = codec::MapPath::neural;
  bool integer = false;
  std::uint32_t check = 0;
  std::vector<unsigned char> residual;
  double max_abs_error = 0, psnr = 0, ssim = 0, prediction_psnr = NAN;
};

// Bytes a latent code is expected to cost at `bits` (before zstd), for the path decision.
double latent_cost(int bits, std::int64_t d) { return bits == 32 ? 4.0 * d : bits * d / 8.0; }

}  // namespace

namespace {

// Refuses what cannot be done before any training or encoding: outputs onto inputs, bad options, a
// bound the data cannot be coded with. Returns the residual quantisation step (0 = no bound).
double check_request(const data::Dataset& data, const CompressOptions& o, const std::string& out) {
  const std::set<std::string> files(data.file.begin(), data.file.end());
  std::vector<std::string> inputs(files.begin(), files.end());
  inputs.push_back(o.model);
  io::check_outputs(inputs, {{out, io::FileKind::sinr}}, o.replace_other_kind);
  if (data.families.size() > 255) throw Error("compress: more than 255 families", ErrorKind::usage);
  const double step = o.max_error > 0 ? codec::residual_step(o.max_error) : 0;
  if (step > 0) (void)codec::quantise_values(data.maps.values.data(), data.maps.values.size(), step);
  return step;
}

// Every map's code (trained row or encoded with the decoder frozen), quantised as stored.
struct Codes {
  std::vector<std::int64_t> trained_row;  // -1 for an encoded map
  std::vector<float> z, zq;               // float32 codes, and as the decoder will see them
  codec::LatentQuantizer quant;
  std::vector<std::uint16_t> stored;      // n × d, when quantised
};

Codes make_codes(const model::LoadedModel& lm, const data::Dataset& data, const CompressOptions& o) {
  Codes c;
  const std::int64_t n = data.size(), d = lm.decoder->options().latent_dim;
  const torch::Tensor zt = encode::codes_for_maps(lm, data, o.encode, &c.trained_row).to(torch::kCPU).contiguous();
  c.z.assign(zt.data_ptr<float>(), zt.data_ptr<float>() + zt.numel());
  c.quant = codec::LatentQuantizer::fit(c.z.data(), n, d, o.latent_bits);
  c.zq = c.z;
  if (o.latent_bits != 32) {
    c.stored = c.quant.encode(c.z.data(), n);
    c.zq = c.quant.decode(c.stored.data(), n);
  }
  return c;
}

// One map under the bound: the neural residual against the decoder's prediction from `zq`, the
// plain (MED) and raw alternatives when fallback allows, and the compressor's own check of every
// value (raw when one fails).
MapCode code_bounded_map(const float* v, const float* zq, std::int64_t h, std::int64_t w, double step, const model::PortableDecoder& pd,
                         const model::LoadedModel& lm, const CompressOptions& o) {
  const auto pts = static_cast<std::size_t>(h * w);
  const std::int64_t d = lm.decoder->options().latent_dim;
  MapCode mc;
  mc.integer = o.max_error < 0.5 && integer_valued(v, pts);
  const std::vector<std::int64_t> c = codec::quantise_values(v, pts, step);
  std::vector<float> pred(pts);
  pd.decode(zq, h, w, pred.data());
  const std::vector<std::int64_t> k = codec::quantise_prediction(pred.data(), pred.size(), lm.vmin, lm.vmax, step);
  {
    std::vector<float> pm(pts);
    const codec::Normalisation norm{lm.vmin, lm.vmax};
    for (std::size_t p = 0; p < pts; ++p) pm[p] = static_cast<float>(norm.to_speed(pred[p]));
    mc.prediction_psnr = eval::psnr(v, pm.data(), pm.size());
  }
  std::vector<std::int64_t> e(c.size());
  for (std::size_t p = 0; p < c.size(); ++p) e[p] = c[p] - k[p];
  mc.residual = codec::pack_ints(e);
  mc.check = codec::ints_check(k);
  if (o.fallback) {
    std::vector<unsigned char> plain = codec::pack_ints(codec::med_residuals(c.data(), h, w));
    if (static_cast<double>(plain.size()) < static_cast<double>(mc.residual.size()) + latent_cost(o.latent_bits, d)) {
      mc.path = codec::MapPath::plain;
      mc.residual = std::move(plain);
      mc.check = 0;
    }
  }
  std::vector<float> rec(pts);
  codec::dequantise_values(c.data(), c.size(), step, mc.integer, rec.data());
  bool ok = true;
  for (std::size_t p = 0; p < pts; ++p) {
    const double err = std::fabs(static_cast<double>(rec[p]) - v[p]);
    if (!(err <= o.max_error) || (mc.integer && err != 0)) ok = false;
    mc.max_abs_error = std::max(mc.max_abs_error, err);
  }
  // Lossless raw is needed when a value failed the check, and worth trying only with fallback.
  std::vector<unsigned char> raw;
  if (!ok || o.fallback) raw = codec::pack_floats(v, pts);
  if (!ok || (o.fallback && raw.size() < mc.residual.size() + (mc.path == codec::MapPath::neural ? latent_cost(o.latent_bits, d) : 0))) {
    mc.path = codec::MapPath::raw;
    mc.residual = std::move(raw);
    mc.check = 0;
    mc.integer = false;
    mc.max_abs_error = 0;
    rec.assign(v, v + pts);
  }
  mc.psnr = eval::psnr(v, rec.data(), rec.size());
  mc.ssim = h >= 11 && w >= 11 ? eval::ssim(v, rec.data(), h, w) : NAN;
  return mc;
}

// No bound: the maps are their codes; the decode at the stored grid is scored.
std::vector<MapCode> score_codes(const model::LoadedModel& lm, const data::Dataset& data, const std::vector<float>& zq) {
  const std::int64_t n = data.size(), h = data.maps.h, w = data.maps.w, pts = h * w, d = lm.decoder->options().latent_dim;
  model::DecodeOptions dopt;
  dopt.height = h, dopt.width = w, dopt.vmin = lm.vmin, dopt.vmax = lm.vmax;
  std::vector<float> z = zq;
  const io::MapStack rec = model::decode_maps(*lm.decoder, torch::from_blob(z.data(), {n, d}).clone(), dopt);
  std::vector<MapCode> code(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    MapCode& mc = code[static_cast<std::size_t>(i)];
    const float* v = data.maps.map(i);
    for (std::int64_t p = 0; p < pts; ++p) mc.max_abs_error = std::max(mc.max_abs_error, std::fabs(static_cast<double>(rec.map(i)[p]) - v[p]));
    mc.psnr = eval::psnr(v, rec.map(i), static_cast<std::size_t>(pts));
    mc.ssim = h >= 11 && w >= 11 ? eval::ssim(v, rec.map(i), h, w) : NAN;
    mc.prediction_psnr = mc.psnr;
  }
  return code;
}

// The file's contents: only neural maps keep their code.
codec::CompressedDataset assemble(const data::Dataset& data, const codec::DecoderRecord& decoder, const Codes& c,
                                  const std::vector<MapCode>& code, const CompressOptions& o) {
  const std::int64_t n = data.size(), d = n > 0 ? static_cast<std::int64_t>(c.z.size()) / n : 0;
  codec::CompressedDataset ds;
  ds.height = data.maps.h, ds.width = data.maps.w;
  ds.dz = data.dz, ds.dx = data.dx;
  ds.families = data.families;
  ds.decoder = decoder;
  ds.quant = c.quant;
  ds.max_error = o.max_error;
  for (std::int64_t i = 0; i < n; ++i) {
    const MapCode& mc = code[static_cast<std::size_t>(i)];
    ds.family.push_back(static_cast<std::uint8_t>(data.family_id(i)));
    ds.path.push_back(mc.path);
    ds.integer.push_back(mc.integer ? 1 : 0);
    ds.check.push_back(mc.check);
    ds.residual.push_back(mc.residual);
    if (mc.path != codec::MapPath::neural) continue;
    ++ds.latent_count;
    if (o.latent_bits == 32) ds.latent_values.insert(ds.latent_values.end(), c.z.begin() + i * d, c.z.begin() + (i + 1) * d);
    else ds.latent_codes.insert(ds.latent_codes.end(), c.stored.begin() + i * d, c.stored.begin() + (i + 1) * d);
  }
  return ds;
}

// What the written file cost and what it kept, per map and overall.
nlohmann::json dataset_stats(const std::string& out, const data::Dataset& data, const codec::CompressedDataset& ds, const std::string& model_path,
                             const Codes& c, const std::vector<MapCode>& code, const CompressOptions& o) {
  const codec::SinrFile back = codec::read_sinr(out);
  const std::int64_t n = data.size();
  nlohmann::json stats;
  stats["file"] = out;
  stats["maps"] = n;
  stats["decoder"] = {{"hash", ds.decoder.hash}, {"embedded", ds.decoder.embedded}, {"model", model_path}};
  stats["latent_bits"] = o.latent_bits;
  stats["max_error"] = o.max_error > 0 ? nlohmann::json(o.max_error) : nlohmann::json(nullptr);
  stats["bytes"] = codec::byte_account(back, codec::dataset_from_sinr(back, out));
  std::map<std::string, std::int64_t> paths;
  std::vector<double> psnr, ssim, pred;
  double max_err = 0;
  std::int64_t encoded = 0;
  nlohmann::json per_map = nlohmann::json::array();
  for (std::int64_t i = 0; i < n; ++i) {
    const MapCode& mc = code[static_cast<std::size_t>(i)];
    const bool was_encoded = c.trained_row[static_cast<std::size_t>(i)] < 0;
    paths[codec::map_path_name(mc.path)]++;
    psnr.push_back(mc.psnr);
    ssim.push_back(mc.ssim);
    if (mc.path == codec::MapPath::neural) pred.push_back(mc.prediction_psnr);
    max_err = std::max(max_err, mc.max_abs_error);
    encoded += was_encoded;
    per_map.push_back({{"family", data.family[static_cast<std::size_t>(i)]}, {"path", codec::map_path_name(mc.path)},
                       {"psnr", mc.psnr}, {"ssim", mc.ssim}, {"max_abs_error", mc.max_abs_error},
                       {"prediction_psnr", mc.prediction_psnr}, {"encoded", was_encoded}});
  }
  stats["paths"] = paths;
  stats["encoded_maps"] = encoded;
  stats["psnr"] = eval::describe(psnr);
  stats["ssim"] = eval::describe(ssim);
  stats["prediction_psnr"] = eval::describe(pred);
  stats["max_abs_error"] = max_err;
  stats["per_map"] = per_map;
  return stats;
}

}  // namespace

nlohmann::json compress(const data::Dataset& data, const CompressOptions& o, const std::string& out) {
  o.validate();
  data::check_dataset(data, "compress");
  if (use_tiles(data, o)) return compress_tiled(data, o, out);
  const double step = check_request(data, o, out);
  // 1. The decoder: given (shared by hash) or trained here (embedded).
  const ChosenDecoder dec = choose_decoder(data, o, out);
  const codec::SinrFile& mf = dec.file;
  const std::string& model_path = dec.path;
  const model::LoadedModel& lm = dec.model;
  // 2. Codes for every map, quantised.
  const Codes c = make_codes(lm, data, o);
  // 3. Per map: the path and residual stream under a bound, else the codes' own quality.
  std::vector<MapCode> code;
  if (step > 0) {
    const model::PortableDecoder pd = model::PortableDecoder::from_sinr(mf, model_path);
    const std::int64_t d = lm.decoder->options().latent_dim;
    code.resize(static_cast<std::size_t>(data.size()));
    parallel_for(data.size(), o.threads, [&](std::int64_t i) {
      code[static_cast<std::size_t>(i)] = code_bounded_map(data.maps.map(i), c.zq.data() + i * d, data.maps.h, data.maps.w, step, pd, lm, o);
    });
  } else {
    code = score_codes(lm, data, c.zq);
  }
  // 4. The file (under MPI every rank holds the same result; rank 0 writes it).
  const codec::CompressedDataset ds = assemble(data, dec.record(), c, code, o);
  if (dist::rank() == 0) codec::write_sinr(out, codec::to_sinr(ds));
  dist::barrier();
  // 5. What it cost and what it kept.
  return dataset_stats(out, data, ds, model_path, c, code, o);
}

io::MapStack decompress(const std::string& path, const DecompressOptions& o, io::Geometry* grid) {
  o.validate();
  const codec::SinrFile f = codec::read_sinr(path);
  if (f.kind() == codec::FileKind::tiled) return decode_tiled(f, path, Window{}, o.height, o.width, o, grid);
  const codec::CompressedDataset ds = codec::dataset_from_sinr(f, path);
  const std::int64_t n = ds.size();
  const bool bounded = ds.max_error > 0 && !o.latents_only;
  std::int64_t h = o.height > 0 ? o.height : ds.height, w = o.width > 0 ? o.width : ds.width;
  if (grid) {
    grid->dz = ds.dz * static_cast<double>(ds.height - 1) / static_cast<double>(h - 1);
    grid->dx = ds.dx * static_cast<double>(ds.width - 1) / static_cast<double>(w - 1);
  }
  if (bounded && (h != ds.height || w != ds.width))
    throw Error(path + ": its error bound holds on the stored " + std::to_string(ds.height) + "x" + std::to_string(ds.width) +
                " grid only; decompress at that grid, or pass --latents-only to decode the codes at another", ErrorKind::usage);
  if (!bounded)
    for (std::int64_t i = 0; i < n; ++i)
      if (ds.path[i] != codec::MapPath::neural)
        throw Error(path + ": map " + std::to_string(i) + " was stored without a latent code (" + codec::map_path_name(ds.path[i]) +
                    " path), so it cannot be decoded from codes alone; decompress without --latents-only at the stored grid", ErrorKind::usage);

  // The decoder: embedded, or found by hash.
  std::string dec_name;
  const codec::SinrFile dec = ds.latent_count > 0 || ds.decoder.embedded ? decoder_for(path, ds.decoder, o, &dec_name) : codec::SinrFile();
  const std::vector<float> z = ds.latents();
  const std::vector<std::int64_t> rows = ds.latent_rows();
  io::MapStack out;
  out.n = n, out.h = h, out.w = w;
  out.values.assign(static_cast<std::size_t>(n * h * w), 0.0f);
  const std::int64_t d = ds.quant.dim;

  if (!bounded) {
    if (n == 0) return out;
    const auto decoder = model::decoder_from_sinr(dec, dec_name, torch::kCPU);
    if (decoder->options().latent_dim != d) throw Error(path + ": meta.latent.dim differs from the decoder's latent size", ErrorKind::usage);
    model::DecodeOptions dopt;
    dopt.height = h, dopt.width = w, dopt.vmin = static_cast<float>(ds.decoder.vmin), dopt.vmax = static_cast<float>(ds.decoder.vmax);
    std::vector<float> zc = z;
    return model::decode_maps(*decoder, torch::from_blob(zc.data(), {ds.latent_count, d}).clone(), dopt);
  }

  std::optional<model::PortableDecoder> pd;
  if (ds.latent_count > 0) {
    pd = model::PortableDecoder::from_sinr(dec, dec_name);
    if (pd->options().latent_dim != d) throw Error(path + ": meta.latent.dim differs from the decoder's latent size", ErrorKind::usage);
  }
  parallel_for(n, o.threads, [&](std::int64_t i) {
    const float* zi = rows[static_cast<std::size_t>(i)] >= 0 ? z.data() + rows[static_cast<std::size_t>(i)] * d : nullptr;
    codec::Prediction predict;
    if (pd && zi) predict = [&](float* p) { pd->decode(zi, ds.height, ds.width, p); };
    codec::decode_bounded_map(ds, i, predict, out.map(i), path + ": map " + std::to_string(i));
  });
  return out;
}

io::MapStack decompress_window(const std::string& path, const Window& window, const DecompressOptions& o, io::Geometry* grid) {
  o.validate();
  const codec::SinrFile f = codec::read_sinr(path);
  if (f.kind() != codec::FileKind::tiled)
    throw Error(path + ": --window takes a tiled model (compress --tiles), not a '" + f.kind_word() + "' file", ErrorKind::usage);
  return decode_tiled(f, path, window, o.height, o.width, o, grid);
}

std::string default_output(const std::string& path) {
  const bool segy = codec::model_source(codec::read_sinr_header(path)) == codec::ModelSource::segy;  // meta.source is all it needs
  return fs::path(path).replace_extension(segy ? ".decompressed.sgy" : ".decompressed.npy").string();
}

}  // namespace seisinr::compress
