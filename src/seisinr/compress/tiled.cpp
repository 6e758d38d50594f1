// seisinr/compress/tiled.cpp — see tiled.h.
#include "seisinr/compress/tiled.h"

#include <torch/types.h>
#include <torch/utils.h>  // NoGradGuard

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>

#include "seisinr/codec/bounded_decode.h"
#include "seisinr/compress/decoder.h"
#include "seisinr/codec/residual.h"
#include "seisinr/codec/tiled_file.h"
#include "seisinr/codec/tiles.h"
#include "seisinr/dist/comm.h"
#include "seisinr/error.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/interrupt.h"
#include "seisinr/io/output_guard.h"
#include "seisinr/io/segy.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/portable_decoder.h"
#include "seisinr/parallel.h"
#include "seisinr/encode/encoder.h"
#include "seisinr/optim/progress.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::compress {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kEncodeChunk = 256;  // tiles encoded at once: bounds the encoder's memory
constexpr std::int64_t kPoints = 16384;     // points through the libtorch decoder at once

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// The tiles' decoder samples as a dataset of T_z × T_x maps (tiles [first, first + n)).
data::Dataset tile_maps(const data::Dataset& model, const codec::TileLayout& l, std::int64_t first, std::int64_t n) {
  data::Dataset t;
  t.maps.n = n, t.maps.h = l.decoder_height, t.maps.w = l.decoder_width;
  t.maps.values.resize(static_cast<std::size_t>(n * t.maps.h * t.maps.w));
  for (std::int64_t i = 0; i < n; ++i)
    codec::sample_tile(model.maps.map(0), model.maps.h, model.maps.w, l, first + i, t.maps.map(i));
  t.families = {"tile"};
  t.family.assign(static_cast<std::size_t>(n), "tile");
  t.file.assign(static_cast<std::size_t>(n), model.file.empty() ? "" : model.file[0]);
  for (std::int64_t i = 0; i < n; ++i) t.index.push_back(first + i);
  return t;
}

// Normalised blended values of the tiles on zs × xs through the libtorch decoder (float32).
void blend_torch(const model::SirenDecoder& dec, const codec::TileLayout& l, const std::vector<float>& z, std::int64_t d,
                 const std::vector<double>& zs, const std::vector<double>& xs, float* out) {
  torch::NoGradGuard ng;
  codec::blend_tiles(l, zs, xs, [&](std::int64_t tile, const std::vector<double>& zn, const std::vector<double>& xn, float* v) {
    const auto nz = static_cast<std::int64_t>(zn.size()), nx = static_cast<std::int64_t>(xn.size());
    const torch::Tensor lat = torch::from_blob(const_cast<float*>(z.data()) + tile * d, {1, d}).clone();
    // A block of rows at a time: memory ~ kPoints × hidden floats per activation, as model/decode.h.
    const std::int64_t rows = std::max<std::int64_t>(1, kPoints / nx);
    for (std::int64_t r0 = 0; r0 < nz; r0 += rows) {
      const std::int64_t r1 = std::min(nz, r0 + rows);
      torch::Tensor coords = torch::empty({(r1 - r0) * nx, 2});
      float* c = coords.data_ptr<float>();
      for (std::int64_t r = r0; r < r1; ++r)
        for (std::int64_t q = 0; q < nx; ++q) {
          c[((r - r0) * nx + q) * 2] = static_cast<float>(xn[q]);
          c[((r - r0) * nx + q) * 2 + 1] = static_cast<float>(zn[r]);
        }
      const torch::Tensor y = dec.forward(coords, lat).contiguous();
      std::copy(y.data_ptr<float>(), y.data_ptr<float>() + (r1 - r0) * nx, v + r0 * nx);
    }
  }, out);
}

// The tiled model's normalised values at positions zs × xs (each ascending): `blend` fills the
// lattice nodes that cover them (codec/tiles.h), bilinear in between.
template <typename Blend>
void lattice_values(const codec::TiledModel& t, const std::vector<double>& zs, const std::vector<double>& xs, const Blend& blend, float* out) {
  const std::vector<double> zn = codec::lattice_nodes(t.height, t.prediction_stride, zs.front(), zs.back()),
                            xn = codec::lattice_nodes(t.width, t.prediction_stride, xs.front(), xs.back());
  std::vector<float> nodes(zn.size() * xn.size());
  blend(zn, xn, nodes.data());
  codec::interpolate_nodes(zn, xn, nodes.data(), zs, xs, out);
}

std::vector<double> range(std::int64_t a0, std::int64_t a1) {  // a0, a0 + 1, ..., a1 − 1
  std::vector<double> s;
  for (std::int64_t a = a0; a < a1; ++a) s.push_back(static_cast<double>(a));
  return s;
}

// A neural block's prediction (normalised): the same bits in compressor and decompressor.
void predict_block(const model::PortableDecoder& pd, const codec::TiledModel& t, const std::vector<float>& z, const codec::BlockRect& r,
                   float* out) {
  const std::int64_t d = t.latents.quant.dim;
  lattice_values(t, range(r.z0, r.z1), range(r.x0, r.x1), [&](const std::vector<double>& zn, const std::vector<double>& xn, float* nodes) {
    codec::blend_tiles(t.layout, zn, xn, [&](std::int64_t tile, const std::vector<double>& u, const std::vector<double>& v, float* o) {
      pd.decode_at(z.data() + tile * d, u, v, o);
    }, nodes);
  }, out);
}

// The same function through libtorch (fast, not bit-reproducible): decodes without a bound.
void decode_values(const model::SirenDecoder& dec, const codec::TiledModel& t, const std::vector<float>& z, const std::vector<double>& zs,
                   const std::vector<double>& xs, float* out) {
  lattice_values(t, zs, xs, [&](const std::vector<double>& zn, const std::vector<double>& xn, float* nodes) {
    blend_torch(dec, t.layout, z, t.latents.quant.dim, zn, xn, nodes);
  }, out);
}

float to_ms(float v, double vmin, double vmax) { return static_cast<float>(codec::Normalisation{vmin, vmax}.to_speed(v)); }

std::vector<double> linspace(std::int64_t a0, std::int64_t a1, std::int64_t n) {  // n positions over [a0, a1 − 1]
  std::vector<double> s(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i)
    s[i] = n == 1 ? static_cast<double>(a0) : static_cast<double>(a0) + static_cast<double>(i) * static_cast<double>(a1 - 1 - a0) / static_cast<double>(n - 1);
  return s;
}

}  // namespace

bool use_tiles(const data::Dataset& data, const CompressOptions& o) {
  switch (o.tiling) {
    case Tiling::on:
      if (data.size() != 1) throw Error("compress: --tiles on takes one model, got " + std::to_string(data.size()) + " maps", ErrorKind::usage);
      return true;
    case Tiling::off: return false;
    case Tiling::automatic: return data.size() == 1 && data.maps.h * data.maps.w > kAutoTileValues;
  }
  return false;
}

namespace {

// Error of a decode against the model, block by block (summed in block order afterwards).
struct BlockErrors {
  std::vector<double> max, sq;
  explicit BlockErrors(std::int64_t n) : max(static_cast<std::size_t>(n), 0.0), sq(static_cast<std::size_t>(n), 0.0) {}
};

// Phase 1: the layout from the decoder's grid (given) or the tile size (a decoder trained here).
codec::TileLayout tile_layout(const data::Dataset& data, const std::optional<codec::SinrFile>& given, const CompressOptions& o) {
  std::int64_t th = o.tiles.size, tw = o.tiles.size;
  if (given) {
    const auto& g = given->meta.at("grid");
    th = g.at("height").get<std::int64_t>(), tw = g.at("width").get<std::int64_t>();
  }
  const codec::TileLayout l = codec::make_tile_layout(data.maps.h, data.maps.w, th, tw, o.tiles.scale, o.tiles.overlap);
  std::cerr << "tiles: " << data.maps.h << "x" << data.maps.w << " model as " << l.z.starts.size() << "x" << l.x.starts.size() << " tiles of "
            << l.z.footprint << "x" << l.x.footprint << " samples (decoder grid " << th << "x" << tw << ", scale " << l.scale << ", overlap "
            << l.z.overlap << " samples)\n";
  return l;
}

// Phase 2: a code per tile, a chunk at a time. The codes so far are kept in RUN/tiles.state.sinr
// after every chunk, so an interrupted fit continues with --resume (and starts over without it).
std::vector<float> fit_tile_codes(const model::LoadedModel& lm, const std::string& decoder_hash, const data::Dataset& data,
                                  const codec::TileLayout& layout, const CompressOptions& o, const std::string& out, std::int64_t* encoded) {
  const std::int64_t n_tiles = layout.count(), d = lm.decoder->options().latent_dim;
  const std::string state_path = (fs::path(o.run_dir.empty() ? out + ".run" : o.run_dir) / "tiles.state.sinr").string();
  const nlohmann::json fit_key = {
      {"decoder", decoder_hash},
      {"model_values", codec::xxh3_hex(data.maps.map(0), data.maps.map_size() * sizeof(float))},
      {"tiles", {layout.decoder_height, layout.decoder_width, layout.scale, layout.overlap, n_tiles}},
      {"encode", {o.encode.steps, o.encode.points, o.encode.lr, name_of(o.encode.init), o.encode.target_psnr}}};
  std::vector<float> z(static_cast<std::size_t>(n_tiles * d));
  std::int64_t start = 0;
  *encoded = 0;
  if (o.resume && fs::exists(state_path)) {
    const codec::SinrFile st = codec::read_sinr(state_path);
    if (st.meta.value("fit", nlohmann::json()) != fit_key)
      throw Error(state_path + ": the saved tile fit is for another model, decoder, layout or encoding; remove it or run without --resume", ErrorKind::usage);
    start = st.meta.at("done").get<std::int64_t>();
    *encoded = st.meta.at("encoded").get<std::int64_t>();
    const std::vector<float> saved = st.require("codes", state_path, codec::DType::float32, {start, d}).to_floats();
    std::copy(saved.begin(), saved.end(), z.begin());
    std::cerr << "tiles: resuming the fit at tile " << start << " of " << n_tiles << " (" << state_path << ")\n";
  }
  optim::Progress progress("tiles", n_tiles, std::cerr, 10.0, optim::Pulse::keep_alive);
  for (std::int64_t first = start; first < n_tiles; first += kEncodeChunk) {
    throw_if_stop_requested("compress");
    const std::int64_t n = std::min(kEncodeChunk, n_tiles - first);
    progress.update(first, "encoding tiles " + std::to_string(first) + ".." + std::to_string(first + n - 1));  // the pulse names the chunk
    std::vector<std::int64_t> rows;
    const torch::Tensor c = encode::codes_for_maps(lm, tile_maps(data, layout, first, n), o.encode, &rows).to(torch::kCPU).contiguous();
    std::copy(c.data_ptr<float>(), c.data_ptr<float>() + n * d, z.begin() + first * d);
    for (auto r : rows) *encoded += r < 0;
    if (first + n < n_tiles && dist::rank() == 0) {
      codec::SinrFile st;
      st.meta = {{"kind", name_of(codec::FileKind::tile_fit)}, {"fit", fit_key}, {"done", first + n}, {"encoded", *encoded}};
      st.sections.push_back(codec::make_float_section("codes", {first + n, d}, z.data()));
      fs::create_directories(fs::path(state_path).parent_path());
      codec::write_sinr(state_path, st);
    }
    progress.update(first + n, "");
  }
  progress.finish("codes for " + std::to_string(n_tiles) + " tiles");
  std::error_code ec;
  fs::remove(state_path, ec);
  return z;
}

// Phase 3a (a bound E): per block the smaller of plain and neural residuals, every value checked,
// raw where a check fails. Fills tm's block tables.
BlockErrors code_blocks(codec::TiledModel& tm, const data::Dataset& data, const model::PortableDecoder& pd, const std::vector<float>& zq,
                        const CompressOptions& o) {
  const std::int64_t nb = tm.block_count(), w = data.maps.w;
  const double step = codec::residual_step(o.max_error);
  BlockErrors err(nb);
  tm.path.assign(static_cast<std::size_t>(nb), codec::MapPath::plain);
  tm.integer.assign(static_cast<std::size_t>(nb), 0);
  tm.check.assign(static_cast<std::size_t>(nb), 0);
  tm.residual.assign(static_cast<std::size_t>(nb), {});
  optim::Progress progress("blocks", nb, std::cerr, 10.0, optim::Pulse::keep_alive);
  std::int64_t done = 0;
  std::mutex mu;
  seisinr::parallel_for(nb, o.threads, [&](std::int64_t b) {
    throw_if_stop_requested("compress");
    const codec::BlockRect r = codec::block_rect(tm, b);
    const std::int64_t bh = r.z1 - r.z0, bw = r.x1 - r.x0;
    const auto pts = static_cast<std::size_t>(bh * bw);
    std::vector<float> v(pts);
    for (std::int64_t i = 0; i < bh; ++i) std::copy_n(data.maps.map(0) + (r.z0 + i) * w + r.x0, bw, v.begin() + i * bw);
    bool integer = o.max_error < 0.5;
    for (float x : v) integer = integer && x == std::nearbyint(x);
    const std::vector<std::int64_t> c = codec::quantise_values(v.data(), pts, step);
    std::vector<unsigned char> best = codec::pack_ints(codec::med_residuals(c.data(), bh, bw));
    codec::MapPath path = codec::MapPath::plain;
    std::uint32_t check = 0;
    {
      std::vector<float> pred(pts);
      predict_block(pd, tm, zq, r, pred.data());
      const std::vector<std::int64_t> k = codec::quantise_prediction(pred.data(), pts, tm.decoder.vmin, tm.decoder.vmax, step);
      std::vector<std::int64_t> e(pts);
      for (std::size_t p = 0; p < pts; ++p) e[p] = c[p] - k[p];
      std::vector<unsigned char> neural = codec::pack_ints(e);
      if (!o.fallback || neural.size() < best.size()) {
        best = std::move(neural);
        path = codec::MapPath::neural;
        check = codec::ints_check(k);
      }
    }
    std::vector<float> rec(pts);
    codec::dequantise_values(c.data(), pts, step, integer, rec.data());
    bool ok = true;
    double bmax = 0, bsq = 0;
    for (std::size_t p = 0; p < pts; ++p) {
      const double e = std::fabs(static_cast<double>(rec[p]) - v[p]);
      if (!(e <= o.max_error) || (integer && e != 0)) ok = false;
      bmax = std::max(bmax, e);
      bsq += e * e;
    }
    if (!ok) {
      best = codec::pack_floats(v.data(), pts);
      path = codec::MapPath::raw, check = 0, integer = false, bmax = 0, bsq = 0;
    }
    tm.path[b] = path, tm.integer[b] = integer ? 1 : 0, tm.check[b] = check, tm.residual[b] = std::move(best);
    err.max[b] = bmax, err.sq[b] = bsq;
    std::lock_guard<std::mutex> lock(mu);
    progress.update(++done, "");
  });
  progress.finish(std::to_string(nb) + " residual blocks");
  return err;
}

// Phase 3b (no bound): the model is its codes; their decode scored block by block (libtorch).
BlockErrors score_codes(const codec::TiledModel& tm, const data::Dataset& data, const model::SirenDecoder& dec, const std::vector<float>& zq) {
  const std::int64_t nb = tm.block_count(), w = data.maps.w;
  BlockErrors err(nb);
  optim::Progress progress("score", nb, std::cerr, 10.0, optim::Pulse::keep_alive);
  for (std::int64_t b = 0; b < nb; ++b) {
    throw_if_stop_requested("compress");
    const codec::BlockRect r = codec::block_rect(tm, b);
    const std::int64_t bw = r.x1 - r.x0;
    std::vector<float> pred(static_cast<std::size_t>((r.z1 - r.z0) * bw));
    decode_values(dec, tm, zq, range(r.z0, r.z1), range(r.x0, r.x1), pred.data());
    for (std::int64_t i = r.z0; i < r.z1; ++i)
      for (std::int64_t j = r.x0; j < r.x1; ++j) {
        const double e = std::fabs(static_cast<double>(to_ms(pred[(i - r.z0) * bw + (j - r.x0)], tm.decoder.vmin, tm.decoder.vmax)) - data.maps.map(0)[i * w + j]);
        err.max[b] = std::max(err.max[b], e);
        err.sq[b] += e * e;
      }
    progress.update(b + 1, "");
  }
  progress.finish("scored");
  return err;
}

// Phase 4: what the file cost and what it kept.
nlohmann::json tiled_stats(const codec::TiledModel& tm, const data::Dataset& data, const BlockErrors& err, const std::string& out,
                           const std::string& model_path, std::int64_t encoded, int latent_bits) {
  const codec::SinrFile back = codec::read_sinr(out);
  std::uint64_t decoder_bytes = 0, latent_bytes = 0, residual_bytes = 0;
  for (const auto& s : back.sections) {
    if (s.name.rfind("decoder.", 0) == 0) decoder_bytes += s.stored_bytes;
    else if (s.name.rfind("latent.", 0) == 0) latent_bytes += s.stored_bytes;
    else residual_bytes += s.stored_bytes;
  }
  double max_err = 0, sq = 0;
  std::map<std::string, std::int64_t> paths;
  for (std::size_t b = 0; b < err.max.size(); ++b) max_err = std::max(max_err, err.max[b]), sq += err.sq[b];
  for (codec::MapPath p : tm.path) paths[codec::map_path_name(p)]++;
  const std::int64_t h = tm.height, w = tm.width;
  const float* v = data.maps.map(0);
  const auto [lo, hi] = std::minmax_element(v, v + h * w);
  const double mse = sq / static_cast<double>(h * w), span = static_cast<double>(*hi - *lo);
  const codec::TileLayout& l = tm.layout;
  nlohmann::json stats;
  stats["file"] = out;
  stats["kind"] = name_of(codec::FileKind::tiled);
  stats["maps"] = 1;
  stats["grid"] = {{"height", h}, {"width", w}, {"dz", tm.dz}, {"dx", tm.dx}};
  stats["tiles"] = {{"count", l.count()}, {"rows", l.z.starts.size()}, {"columns", l.x.starts.size()}, {"footprint", {l.z.footprint, l.x.footprint}},
                    {"overlap_samples", l.z.overlap}, {"scale", l.scale}, {"encoded", encoded}};
  stats["decoder"] = {{"hash", tm.decoder.hash}, {"embedded", tm.decoder.embedded}, {"model", model_path}};
  stats["latent_bits"] = latent_bits;
  stats["max_error"] = tm.max_error > 0 ? nlohmann::json(tm.max_error) : nlohmann::json(nullptr);
  stats["bytes"] = {{"file", back.file_bytes}, {"decoder", decoder_bytes}, {"latents", latent_bytes}, {"residuals_and_tables", residual_bytes},
                    {"raw_float32", 4 * h * w}};
  stats["blocks"] = {{"count", tm.block_count()}, {"size", tm.block}, {"paths", paths}, {"prediction_stride", tm.prediction_stride}};
  stats["max_abs_error"] = max_err;
  stats["rmse"] = std::sqrt(mse);
  stats["psnr"] = mse > 0 && span > 0 ? nlohmann::json(10.0 * std::log10(span * span / mse)) : nlohmann::json(nullptr);
  return stats;
}

}  // namespace

nlohmann::json compress_tiled(const data::Dataset& data, const CompressOptions& o, const std::string& out) {
  const auto t0 = std::chrono::steady_clock::now();
  {
    std::vector<std::string> inputs(data.file.begin(), data.file.end());
    inputs.push_back(o.model);
    io::check_outputs(inputs, {{out, io::FileKind::sinr}}, o.replace_other_kind);
  }
  if (o.max_error > 0) (void)codec::quantise_values(data.maps.values.data(), data.maps.values.size(), codec::residual_step(o.max_error));

  std::optional<codec::SinrFile> given;
  if (!o.model.empty()) given = codec::read_sinr(o.model);
  const codec::TileLayout layout = tile_layout(data, given, o);
  // The decoder: given (frozen, shared by hash) or trained on the tiles (embedded).
  const ChosenDecoder dec =
      choose_decoder(o.model.empty() ? tile_maps(data, layout, 0, layout.count()) : data::Dataset{}, o, out, std::move(given));
  const codec::SinrFile& mf = dec.file;
  const std::string& model_path = dec.path;
  const model::LoadedModel& lm = dec.model;

  codec::TiledModel tm;
  tm.height = data.maps.h, tm.width = data.maps.w, tm.dz = data.dz, tm.dx = data.dx;
  tm.source = !data.file.empty() && io::is_segy_path(data.file[0]) ? codec::ModelSource::segy : codec::ModelSource::npy;
  tm.decoder = dec.record();
  tm.layout = layout;
  tm.max_error = o.max_error;
  tm.block = o.tiles.block;
  tm.prediction_stride = o.tiles.prediction_stride > 0 ? o.tiles.prediction_stride : o.tiles.scale;

  const auto t_fit = std::chrono::steady_clock::now();
  std::int64_t encoded = 0;
  const std::vector<float> z = fit_tile_codes(lm, tm.decoder.hash, data, layout, o, out, &encoded);
  const double fit_s = seconds_since(t_fit);
  const std::int64_t n_tiles = layout.count(), d = lm.decoder->options().latent_dim;
  tm.latents.quant = codec::LatentQuantizer::fit(z.data(), n_tiles, d, o.latent_bits);
  tm.latents.count = n_tiles;
  if (o.latent_bits == 32) tm.latents.values = z;
  else tm.latents.codes = tm.latents.quant.encode(z.data(), n_tiles);
  const std::vector<float> zq = tm.latents.decoded();

  const auto t_res = std::chrono::steady_clock::now();
  const BlockErrors err = o.max_error > 0 ? code_blocks(tm, data, model::PortableDecoder::from_sinr(mf, model_path), zq, o)
                                          : score_codes(tm, data, *lm.decoder, zq);
  const double residual_s = seconds_since(t_res);
  if (dist::rank() == 0) codec::write_sinr(out, codec::to_sinr(tm));
  dist::barrier();
  nlohmann::json stats = tiled_stats(tm, data, err, out, model_path, encoded, o.latent_bits);
  stats["seconds"] = {{"fit", fit_s}, {"residuals_or_scoring", residual_s}, {"total", seconds_since(t0)}};
  return stats;
}

io::MapStack decode_tiled(const codec::SinrFile& f, const std::string& path, const Window& win, std::int64_t h, std::int64_t w,
                          const DecompressOptions& o, io::Geometry* grid) {
  const codec::TiledModel t = codec::tiled_from_sinr(f, path);
  const Window wd = win.z1 > 0 ? win : Window{0, t.height, 0, t.width};
  if (wd.z1 > t.height || wd.x1 > t.width)
    throw Error(path + ": --window " + std::to_string(wd.z0) + ":" + std::to_string(wd.z1) + "," + std::to_string(wd.x0) + ":" +
                    std::to_string(wd.x1) + " reaches outside the model's " + std::to_string(t.height) + "x" + std::to_string(t.width) + " samples",
                ErrorKind::usage);
  const std::int64_t wh = wd.z1 - wd.z0, ww = wd.x1 - wd.x0;
  if (h <= 0) h = wh;
  if (w <= 0) w = ww;
  if ((h > 1) != (wh > 1) || (w > 1) != (ww > 1))
    throw Error(path + ": a window one sample thick decodes to one sample along that axis", ErrorKind::usage);
  if (h * w > model::kMaxInMemoryValues) {  // refused before the allocation, with the bytes named
    char msg[240];
    std::snprintf(msg, sizeof msg, ": a %lldx%lld window needs %.1f GiB in memory (limit %.0f GiB); decode a smaller window or resolution",
                  static_cast<long long>(h), static_cast<long long>(w), static_cast<double>(h) * static_cast<double>(w) * 4.0 / (1u << 30),
                  static_cast<double>(model::kMaxInMemoryValues) * 4.0 / (1u << 30));
    throw Error(path + msg, ErrorKind::usage);
  }
  if (grid) {
    grid->dz = h > 1 ? t.dz * static_cast<double>(wh - 1) / static_cast<double>(h - 1) : t.dz;
    grid->dx = w > 1 ? t.dx * static_cast<double>(ww - 1) / static_cast<double>(w - 1) : t.dx;
    grid->z0 = static_cast<double>(wd.z0) * t.dz, grid->x0 = static_cast<double>(wd.x0) * t.dx;
  }
  const bool bounded = t.max_error > 0 && !o.latents_only;
  if (bounded && (h != wh || w != ww))
    throw Error(path + ": its error bound holds at the stored spacing only (" + std::to_string(wh) + "x" + std::to_string(ww) +
                    " for this window); pass --latents-only to decode the codes on another grid", ErrorKind::usage);
  std::string dec_name;
  const codec::SinrFile dec = decoder_for(path, t.decoder, o, &dec_name);
  const std::vector<float> z = t.latents.decoded();
  const std::int64_t d = t.latents.quant.dim;
  io::MapStack out;
  out.n = 1, out.h = h, out.w = w;
  out.values.assign(static_cast<std::size_t>(h * w), 0.0f);

  if (bounded) {
    const model::PortableDecoder pd = model::PortableDecoder::from_sinr(dec, dec_name);
    if (pd.options().latent_dim != d) throw Error(path + ": meta.latent.dim differs from the decoder's latent size", ErrorKind::usage);
    std::vector<std::int64_t> blocks;
    for (std::int64_t b = 0; b < t.block_count(); ++b) {
      const codec::BlockRect r = codec::block_rect(t, b);
      if (r.z0 < wd.z1 && r.z1 > wd.z0 && r.x0 < wd.x1 && r.x1 > wd.x0) blocks.push_back(b);
    }
    seisinr::parallel_for(static_cast<std::int64_t>(blocks.size()), o.threads, [&](std::int64_t k) {
      throw_if_stop_requested("decompress");
      const std::int64_t b = blocks[k];
      const codec::BlockRect r = codec::block_rect(t, b);
      const std::int64_t bw = r.x1 - r.x0;
      std::vector<float> v(static_cast<std::size_t>((r.z1 - r.z0) * bw));
      codec::decode_bounded_block({t.path[b], t.integer[b] != 0, t.check[b], &t.residual[b]}, r.z1 - r.z0, bw, t.max_error, t.decoder.vmin, t.decoder.vmax,
                                  [&](float* p) { predict_block(pd, t, z, r, p); }, v.data(), path + ": block " + std::to_string(b));
      for (std::int64_t i = std::max(r.z0, wd.z0); i < std::min(r.z1, wd.z1); ++i)
        for (std::int64_t j = std::max(r.x0, wd.x0); j < std::min(r.x1, wd.x1); ++j)
          out.values[(i - wd.z0) * w + (j - wd.x0)] = v[(i - r.z0) * bw + (j - r.x0)];
    });
    return out;
  }
  const auto decoder = model::decoder_from_sinr(dec, dec_name, torch::kCPU);
  if (decoder->options().latent_dim != d) throw Error(path + ": meta.latent.dim differs from the decoder's latent size", ErrorKind::usage);
  const std::vector<double> zs = linspace(wd.z0, wd.z1, h), xs = linspace(wd.x0, wd.x1, w);
  constexpr std::int64_t kBandRows = 256;  // rows decoded at once: memory ~ kBandRows · w doubles, not h · w
  for (std::int64_t r0 = 0; r0 < h; r0 += kBandRows) {
    throw_if_stop_requested("decompress");
    const std::int64_t r1 = std::min(h, r0 + kBandRows);
    const std::vector<double> band(zs.begin() + r0, zs.begin() + r1);
    float* dst = out.values.data() + r0 * w;
    decode_values(*decoder, t, z, band, xs, dst);
    for (std::int64_t i = 0; i < (r1 - r0) * w; ++i) dst[i] = to_ms(dst[i], t.decoder.vmin, t.decoder.vmax);
  }
  return out;
}

}  // namespace seisinr::compress
