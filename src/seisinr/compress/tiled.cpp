// seisinr/compress/tiled.cpp — see tiled.h.
#include "seisinr/compress/tiled.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <optional>
#include <set>

#include "seisinr/codec/bounded_decode.h"
#include "seisinr/codec/residual.h"
#include "seisinr/codec/tiled_file.h"
#include "seisinr/codec/tiles.h"
#include "seisinr/dist/comm.h"
#include "seisinr/error.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/interrupt.h"
#include "seisinr/io/output_guard.h"
#include "seisinr/io/segy.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/portable_decoder.h"
#include "seisinr/parallel.h"
#include "seisinr/train/encoder.h"
#include "seisinr/train/progress.h"

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

float to_ms(float v, double vmin, double vmax) { return static_cast<float>(vmin + (static_cast<double>(v) + 1.0) * (vmax - vmin) / 2.0); }

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

nlohmann::json compress_tiled(const data::Dataset& data, const CompressOptions& o, const std::string& out) {
  const auto t0 = std::chrono::steady_clock::now();
  const std::int64_t h = data.maps.h, w = data.maps.w;
  {
    std::vector<std::string> inputs(data.file.begin(), data.file.end());
    inputs.push_back(o.model);
    io::check_outputs(inputs, {{out, io::FileKind::sinr}}, o.replace_other_kind);
  }
  if (o.max_error < 0 || !std::isfinite(o.max_error)) throw Error("compress: --max-error must be a positive number of m/s", ErrorKind::usage);
  if (!(o.latent_bits == 32 || (o.latent_bits >= 1 && o.latent_bits <= 16)))
    throw Error("compress: --latent-bits must be 1 to 16, or 32; got " + std::to_string(o.latent_bits), ErrorKind::usage);
  if (o.tiles.block < 2) throw Error("compress: --block must be at least 2", ErrorKind::usage);
  const double step = o.max_error > 0 ? codec::residual_step(o.max_error) : 0;
  if (step > 0) (void)codec::quantise_values(data.maps.values.data(), data.maps.values.size(), step);

  // 1. The layout: the decoder's grid (given) or the tile size (trained here).
  std::int64_t th = o.tiles.size, tw = o.tiles.size;
  std::optional<codec::SinrFile> given;
  if (!o.model.empty()) {
    given = codec::read_sinr(o.model);
    const auto& g = given->meta.at("grid");
    th = g.at("height").get<std::int64_t>(), tw = g.at("width").get<std::int64_t>();
  }
  const codec::TileLayout layout = codec::make_tile_layout(h, w, th, tw, o.tiles.scale, o.tiles.overlap);
  const std::int64_t n_tiles = layout.count();
  std::cerr << "tiles: " << h << "x" << w << " model as " << layout.z.starts.size() << "x" << layout.x.starts.size() << " tiles of "
            << layout.z.footprint << "x" << layout.x.footprint << " samples (decoder grid " << th << "x" << tw << ", scale "
            << layout.scale << ", overlap " << layout.z.overlap << " samples)\n";

  // 2. The decoder: given (frozen, shared by hash) or trained on the tiles (embedded).
  std::string model_path = o.model;
  const bool embed = model_path.empty();
  if (embed) model_path = train_decoder(tile_maps(data, layout, 0, n_tiles), o, out);
  const codec::SinrFile mf = given ? *given : codec::read_sinr(model_path);
  const model::LoadedModel lm = model::model_from_sinr(mf, model_path);
  const std::int64_t d = lm.decoder->options().latent_dim;

  // 3. A code per tile, a chunk at a time.
  const auto t_fit = std::chrono::steady_clock::now();
  std::vector<float> z(static_cast<std::size_t>(n_tiles * d));
  std::int64_t encoded = 0;
  {
    train::Progress progress("tiles", n_tiles, std::cerr);
    for (std::int64_t first = 0; first < n_tiles; first += kEncodeChunk) {
      throw_if_stop_requested("compress");
      const std::int64_t n = std::min(kEncodeChunk, n_tiles - first);
      std::vector<std::int64_t> rows;
      const torch::Tensor c = train::codes_for_maps(lm, tile_maps(data, layout, first, n), o.encode, &rows).to(torch::kCPU).contiguous();
      std::copy(c.data_ptr<float>(), c.data_ptr<float>() + n * d, z.begin() + first * d);
      for (auto r : rows) encoded += r < 0;
      progress.update(first + n, "");
    }
    progress.finish("codes for " + std::to_string(n_tiles) + " tiles");
  }
  const double fit_s = seconds_since(t_fit);

  codec::TiledModel tm;
  tm.height = h, tm.width = w, tm.dz = data.dz, tm.dx = data.dx;
  tm.vmin = mf.meta.at("normalisation").at("vmin").get<double>();
  tm.vmax = mf.meta.at("normalisation").at("vmax").get<double>();
  tm.source = !data.file.empty() && io::is_segy_path(data.file[0]) ? "segy" : "npy";
  tm.model = mf.meta.at("model");
  tm.decoder_hash = codec::decoder_hash(mf);
  tm.decoder_file = fs::path(model_path).filename().string();
  tm.embedded = embed;
  if (embed)
    for (const auto& s : mf.sections)
      if (s.name.rfind("decoder.", 0) == 0) tm.decoder_sections.push_back(s);
  tm.layout = layout;
  tm.latents.quant = codec::LatentQuantizer::fit(z.data(), n_tiles, d, o.latent_bits);
  tm.latents.count = n_tiles;
  if (o.latent_bits == 32) tm.latents.values = z;
  else tm.latents.codes = tm.latents.quant.encode(z.data(), n_tiles);
  const std::vector<float> zq = tm.latents.decoded();
  tm.max_error = o.max_error;
  tm.block = o.tiles.block;
  tm.prediction_stride = o.tiles.prediction_stride > 0 ? o.tiles.prediction_stride : o.tiles.scale;

  // 4. Per block: the residual stream and the check of every value (bound), or the codes' quality.
  const std::int64_t nb = tm.block_count();
  double max_err = 0, sq = 0;
  std::int64_t neural = 0, plain = 0, raw = 0;
  const auto t_res = std::chrono::steady_clock::now();
  std::vector<double> block_sq(static_cast<std::size_t>(nb), 0.0), block_max(static_cast<std::size_t>(nb), 0.0);
  if (step > 0) {
    const model::PortableDecoder pd = model::PortableDecoder::from_sinr(mf, model_path);
    tm.path.assign(static_cast<std::size_t>(nb), codec::MapPath::plain);
    tm.integer.assign(static_cast<std::size_t>(nb), 0);
    tm.check.assign(static_cast<std::size_t>(nb), 0);
    tm.residual.assign(static_cast<std::size_t>(nb), {});
    train::Progress progress("blocks", nb, std::cerr);
    std::atomic<std::int64_t> done{0};
    std::mutex mu;
    seisinr::parallel_for(nb, o.threads, [&](std::int64_t b) {
      throw_if_stop_requested("compress");
      const codec::BlockRect r = codec::block_rect(tm, b);
      const std::int64_t bh = r.z1 - r.z0, bw = r.x1 - r.x0;
      const auto pts = static_cast<std::size_t>(bh * bw);
      std::vector<float> v(pts);
      for (std::int64_t i = 0; i < bh; ++i)
        std::copy_n(data.maps.map(0) + (r.z0 + i) * w + r.x0, bw, v.begin() + i * bw);
      bool integer = o.max_error < 0.5;
      for (float x : v) integer = integer && x == std::nearbyint(x);
      const std::vector<std::int64_t> c = codec::quantise_values(v.data(), pts, step);
      std::vector<unsigned char> best = codec::pack_ints(codec::med_residuals(c.data(), bh, bw));
      codec::MapPath path = codec::MapPath::plain;
      std::uint32_t check = 0;
      {
        std::vector<float> pred(pts);
        predict_block(pd, tm, zq, r, pred.data());
        const std::vector<std::int64_t> k = codec::quantise_prediction(pred.data(), pts, tm.vmin, tm.vmax, step);
        std::vector<std::int64_t> e(pts);
        for (std::size_t p = 0; p < pts; ++p) e[p] = c[p] - k[p];
        std::vector<unsigned char> nb_bytes = codec::pack_ints(e);
        if (!o.fallback || nb_bytes.size() < best.size()) {
          best = std::move(nb_bytes);
          path = codec::MapPath::neural;
          check = codec::ints_check(k);
        }
      }
      std::vector<float> rec(pts);
      codec::dequantise_values(c.data(), pts, step, integer, rec.data());
      bool ok = true;
      double bmax = 0, bsq = 0;
      for (std::size_t p = 0; p < pts; ++p) {
        const double err = std::fabs(static_cast<double>(rec[p]) - v[p]);
        if (!(err <= o.max_error) || (integer && err != 0)) ok = false;
        bmax = std::max(bmax, err);
        bsq += err * err;
      }
      if (!ok) {
        best = codec::pack_floats(v.data(), pts);
        path = codec::MapPath::raw, check = 0, integer = false, bmax = 0, bsq = 0;
      }
      tm.path[b] = path, tm.integer[b] = integer ? 1 : 0, tm.check[b] = check, tm.residual[b] = std::move(best);
      block_max[b] = bmax, block_sq[b] = bsq;
      std::lock_guard<std::mutex> lock(mu);
      progress.update(++done, "");
    });
    progress.finish(std::to_string(nb) + " residual blocks");
    for (std::int64_t b = 0; b < nb; ++b) {
      neural += tm.path[b] == codec::MapPath::neural, plain += tm.path[b] == codec::MapPath::plain, raw += tm.path[b] == codec::MapPath::raw;
    }
  } else {
    // No bound: the model is its codes; score their decode block by block (libtorch).
    train::Progress progress("score", nb, std::cerr);
    for (std::int64_t b = 0; b < nb; ++b) {
      throw_if_stop_requested("compress");
      const codec::BlockRect r = codec::block_rect(tm, b);
      const std::int64_t bw = r.x1 - r.x0;
      std::vector<float> pred(static_cast<std::size_t>((r.z1 - r.z0) * bw));
      decode_values(*lm.decoder, tm, zq, range(r.z0, r.z1), range(r.x0, r.x1), pred.data());
      for (std::int64_t i = r.z0; i < r.z1; ++i)
        for (std::int64_t j = r.x0; j < r.x1; ++j) {
          const double err = std::fabs(static_cast<double>(to_ms(pred[(i - r.z0) * bw + (j - r.x0)], tm.vmin, tm.vmax)) - data.maps.map(0)[i * w + j]);
          block_max[b] = std::max(block_max[b], err);
          block_sq[b] += err * err;
        }
      progress.update(b + 1, "");
    }
    progress.finish("scored");
  }
  for (std::int64_t b = 0; b < nb; ++b) max_err = std::max(max_err, block_max[b]), sq += block_sq[b];
  const double residual_s = seconds_since(t_res);
  if (dist::rank() == 0) codec::write_sinr(out, codec::to_sinr(tm));
  dist::barrier();

  const codec::SinrFile back = codec::read_sinr(out);
  std::uint64_t decoder_bytes = 0, latent_bytes = 0, residual_bytes = 0;
  for (const auto& s : back.sections) {
    if (s.name.rfind("decoder.", 0) == 0) decoder_bytes += s.stored_bytes;
    else if (s.name.rfind("latent.", 0) == 0) latent_bytes += s.stored_bytes;
    else residual_bytes += s.stored_bytes;
  }
  const float* v = data.maps.map(0);
  const auto [lo, hi] = std::minmax_element(v, v + h * w);
  const double mse = sq / static_cast<double>(h * w), range = static_cast<double>(*hi - *lo);
  nlohmann::json stats;
  stats["file"] = out;
  stats["kind"] = "tiled";
  stats["maps"] = 1;
  stats["grid"] = {{"height", h}, {"width", w}, {"dz", data.dz}, {"dx", data.dx}};
  stats["tiles"] = {{"count", n_tiles}, {"rows", layout.z.starts.size()}, {"columns", layout.x.starts.size()},
                    {"footprint", {layout.z.footprint, layout.x.footprint}}, {"overlap_samples", layout.z.overlap},
                    {"scale", layout.scale}, {"encoded", encoded}};
  stats["decoder"] = {{"hash", tm.decoder_hash}, {"embedded", embed}, {"model", model_path}};
  stats["latent_bits"] = o.latent_bits;
  stats["max_error"] = o.max_error > 0 ? nlohmann::json(o.max_error) : nlohmann::json(nullptr);
  stats["bytes"] = {{"file", back.file_bytes}, {"decoder", decoder_bytes}, {"latents", latent_bytes}, {"residuals_and_tables", residual_bytes},
                    {"raw_float32", 4 * h * w}};
  stats["blocks"] = {{"count", nb}, {"size", tm.block}, {"neural", neural}, {"plain", plain}, {"raw", raw},
                     {"prediction_stride", tm.prediction_stride}};
  stats["max_abs_error"] = max_err;
  stats["rmse"] = std::sqrt(mse);
  stats["psnr"] = mse > 0 && range > 0 ? nlohmann::json(10.0 * std::log10(range * range / mse)) : nlohmann::json(nullptr);
  stats["seconds"] = {{"fit", fit_s}, {"residuals_or_scoring", residual_s}, {"total", seconds_since(t0)}};
  return stats;
}

Window parse_window(const std::string& text) {
  Window wd;
  long long a = 0, b = 0, c = 0, e = 0;
  char tail = 0;
  if (std::sscanf(text.c_str(), "%lld:%lld,%lld:%lld%c", &a, &b, &c, &e, &tail) != 4 || a < 0 || c < 0 || b <= a || e <= c)
    throw Error("--window: expected Z0:Z1,X0:X1 with 0 <= Z0 < Z1 and 0 <= X0 < X1 (model samples, end excluded), got '" + text + "'",
                ErrorKind::usage);
  wd.z0 = a, wd.z1 = b, wd.x0 = c, wd.x1 = e;
  return wd;
}

io::MapStack decode_tiled(const codec::SinrFile& f, const std::string& path, const Window& win, std::int64_t h, std::int64_t w,
                          const DecompressOptions& o, Spacing* spacing) {
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
  if (spacing) {
    spacing->dz = h > 1 ? t.dz * static_cast<double>(wh - 1) / static_cast<double>(h - 1) : t.dz;
    spacing->dx = w > 1 ? t.dx * static_cast<double>(ww - 1) / static_cast<double>(w - 1) : t.dx;
  }
  const bool bounded = t.max_error > 0 && !o.latents_only;
  if (bounded && (h != wh || w != ww))
    throw Error(path + ": its error bound holds at the stored spacing only (" + std::to_string(wh) + "x" + std::to_string(ww) +
                    " for this window); pass --latents-only to decode the codes on another grid", ErrorKind::usage);
  std::string dec_name;
  const codec::SinrFile dec = decoder_for(path, {t.embedded, &t.decoder_sections, t.model, t.vmin, t.vmax, t.decoder_hash}, o, &dec_name);
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
      codec::decode_bounded_block({t.path[b], t.integer[b] != 0, t.check[b], &t.residual[b]}, r.z1 - r.z0, bw, t.max_error, t.vmin, t.vmax,
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
    for (std::int64_t i = 0; i < (r1 - r0) * w; ++i) dst[i] = to_ms(dst[i], t.vmin, t.vmax);
  }
  return out;
}

}  // namespace seisinr::compress
