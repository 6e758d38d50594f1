// seisinr/compress/options.h — the settings of compress and decompress (compress/compress.h),
// each with its default; torch-free, so the public API (seisinr.h) uses them as they are.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/fields.h"
#include "seisinr/names.h"
#include "seisinr/io/npy.h"
#include "seisinr/parallel.h"
#include "seisinr/encode/options.h"
#include "seisinr/train/options.h"

namespace seisinr::compress {

// Whether a model is coded as overlapping tiles (compress/tiled.h): automatic = when the data is
// one map of more than kAutoTileValues values.
enum class Tiling { automatic, on, off };
constexpr std::int64_t kAutoTileValues = 512 * 512;

}  // namespace seisinr::compress

template <>
struct seisinr::Names<seisinr::compress::Tiling> {
  static constexpr const char* what = "tiles";
  static constexpr NamedValue<compress::Tiling> table[] = {
      {compress::Tiling::automatic, "auto"}, {compress::Tiling::on, "on"}, {compress::Tiling::off, "off"}};
};

namespace seisinr::compress {

inline const char* tiling_name(Tiling t) { return name_of(t); }
// "auto" | "on" | "off"; throws (usage) naming the value.
inline Tiling parse_tiling(const std::string& name) { return parse_name<Tiling>(name); }

struct TileOptions {
  std::int64_t scale = 1;      // model samples per decoder sample (a tile spans (T − 1)·scale + 1 samples)
  std::int64_t overlap = 6;    // decoder samples shared by neighbouring tiles (blended linearly)
  std::int64_t size = 70;      // T when a decoder is trained on the model's own tiles (no --model)
  std::int64_t block = 512;    // residual blocks: block × block samples (with an error bound)
  std::int64_t prediction_stride = 0;  // the tiles are decoded on a lattice every this many samples, bilinear between; 0 = scale

  template <class Visit>
  static void fields(Visit&& v) {  // seisinr/fields.h
    using T = TileOptions;
    v(field(&T::scale, "scale", "--tile-scale", "Tiles: model samples per decoder sample (a tile spans (T-1)*scale+1 samples)",
            Takes::positive));
    v(field(&T::overlap, "overlap", "--tile-overlap", "Tiles: decoder samples shared by neighbouring tiles, blended linearly",
            Takes::positive));
    v(field(&T::size, "size", "--tile-size", "Tiles: decoder grid T when a decoder is trained on the model's own tiles (no --model)",
            Takes::range, 2, 4096));
    v(field(&T::block, "block", "--block", "Tiles with --max-error: residual blocks of this many samples per side", Takes::range, 2,
            65536));
    v(field(&T::prediction_stride, "prediction_stride", "--prediction-stride",
            "Tiles: decode the blended tiles on a lattice every this many samples, bilinear between (the neural prediction of "
            "bounded blocks, and every decode); 0 = --tile-scale",
            Takes::non_negative));
  }
};

struct CompressOptions {
  std::string model;         // decoder to share by hash; empty = train one on the maps and embed it
  int latent_bits = 8;       // 1..16, or 32 (float32)
  double max_error = 0;      // m/s; 0 = latents only (no bound)
  bool fallback = true;      // per map, take the plain or raw path when it is smaller
  encode::EncodeOptions encode;
  // When no model is given a decoder is trained on the maps: the preset's settings, with
  // `epochs` (0 = the preset's) and `threads`; holdout is 0. The run folder `run_dir` keeps
  // model.sinr and checkpoints; empty = OUT.run, which is started over if it holds another run
  // (a folder the caller names never is; resume continues either).
  std::string preset = train::kRecommendedPreset;
  std::int64_t epochs = 0;
  std::string run_dir;
  bool resume = false;
  bool replace_other_kind = false;  // let `out` replace an existing file that is not a .sinr (never an input)
  std::int64_t threads = 0;   // 0 = all cores
  Tiling tiling = Tiling::automatic;
  TileOptions tiles;

  // Throws a usage error naming the field (`compress: latent_bits 17: ...`) before any work.
  void validate() const {
    auto bad = [](const std::string& what) { return Error("compress: " + what, ErrorKind::usage); };
    if (!(latent_bits == 32 || (latent_bits >= 1 && latent_bits <= 16)))
      throw bad("--latent-bits must be 1 to 16, or 32; got " + std::to_string(latent_bits));
    if (!(std::isfinite(max_error) && max_error >= 0)) throw bad("--max-error must be a finite number of m/s, 0 or more");
    if (epochs < 0 || epochs > 100'000'000) throw bad("--epochs " + std::to_string(epochs) + ": give 0 (the preset's) or more");
    if (model.empty() && !train::is_preset(preset)) throw bad("unknown preset '" + preset + "'");
    (void)resolve_threads(threads, "compress threads");
    encode.validate("compress");
    if (tiles.scale < 1 || tiles.scale > 65536) throw bad("--tile-scale " + std::to_string(tiles.scale) + ": give 1 to 65536");
    if (tiles.overlap < 1 || tiles.overlap > 65536) throw bad("--tile-overlap " + std::to_string(tiles.overlap) + ": give 1 to 65536");
    if (tiles.size < 2 || tiles.size > 4096) throw bad("--tile-size " + std::to_string(tiles.size) + ": give 2 to 4096");
    if (tiles.block < 2 || tiles.block > 65536) throw bad("--block " + std::to_string(tiles.block) + ": give 2 to 65536");
    if (tiles.prediction_stride < 0 || tiles.prediction_stride > 65536)
      throw bad("--prediction-stride " + std::to_string(tiles.prediction_stride) + ": give 0 to 65536");
  }

  template <class Visit>
  static void fields(Visit&& v) {  // seisinr/fields.h
    using C = CompressOptions;
    v(field(&C::model, "model", "--model",
            "Decoder to share (stored by hash, not embedded); without it a decoder is trained on the maps and embedded",
            Takes::existing_file));
    v(field(&C::latent_bits, "latent_bits", "--latent-bits", "Bits per latent value: 1 to 16 (uniform, per-dimension range), or 32 (float32)"));
    v(field(&C::max_error, "max_error", "--max-error", "Every value within this many m/s of the original (residuals stored); 0 = no bound",
            Takes::finite_non_negative));
    v(field(&C::fallback, "fallback", "--fallback",
            "Per map, take the plain (MED) or raw path when it is smaller than the neural one (--no-fallback: every map neural)"));
    v(field(&C::encode, "encode", nullptr, "EncodeOptions for maps the decoder was not trained on"));
    v(choice_field(&C::preset, "preset", "--preset", "Training settings when no --model is given",
                   [] { return train::preset_names(); }));
    v(field(&C::epochs, "epochs", "--epochs", "Training epochs when no --model is given; 0 = the preset's"));
    v(field(&C::run_dir, "run_dir", "--run", "Training run folder when no --model is given (default: OUT.run); keeps model.sinr and checkpoints"));
    v(field(&C::resume, "resume", "--resume",
            "Resume the training run in --run, or a tiled fit that was interrupted (its codes so far are in --run/tiles.state.sinr)"));
    v(field(&C::replace_other_kind, "replace_other_kind", nullptr, "Let OUT replace a file that is not a .sinr (never an input); the CLI's --force"));
    v(field(&C::threads, "threads", nullptr, "Worker threads; 0 = all cores"));
    v(field(&C::tiling, "tiling", "--tiles", "One large model as overlapping tiles with a code each (auto: one map of more than 512x512 values)"));
    v(field(&C::tiles, "tiles", nullptr, "TileOptions: the tiles' scale, overlap, size, block and prediction stride"));
  }
};

// Rows [z0, z1) and columns [x0, x1) of a tiled model, in samples; all zero = the whole model.
struct Window {
  std::int64_t z0 = 0, z1 = 0, x0 = 0, x1 = 0;
};

// "Z0:Z1,X0:X1" → Window; throws (usage) naming the text.
inline Window parse_window(const std::string& text) {
  std::int64_t v[4] = {0, 0, 0, 0};
  const char* p = text.data();
  const char* const end = text.data() + text.size();
  bool ok = true;
  for (int k = 0; k < 4 && ok; ++k) {
    const auto r = std::from_chars(p, end, v[k]);  // digits only: no sign, no overflow (errc)
    ok = r.ec == std::errc() && r.ptr != p && (k == 3 ? r.ptr == end : r.ptr < end && *r.ptr == (k == 1 ? ',' : ':'));
    p = r.ptr + 1;
  }
  if (!ok || v[0] < 0 || v[2] < 0 || v[1] <= v[0] || v[3] <= v[2])
    throw Error("--window: expected Z0:Z1,X0:X1 with 0 <= Z0 < Z1 and 0 <= X0 < X1 (model samples, end excluded), got '" + text + "'",
                ErrorKind::usage);
  return {v[0], v[1], v[2], v[3]};
}

struct DecompressOptions {
  std::string model;                // the decoder, when not embedded; else searched for
  std::vector<std::string> search;  // folders to search for a decoder with the file's hash
  std::int64_t height = 0, width = 0;  // 0 = the stored grid
  bool latents_only = false;           // ignore residuals (allows any resolution; no bound)
  std::int64_t threads = 0;

  template <class Visit>
  static void fields(Visit&& v) {  // seisinr/fields.h
    using D = DecompressOptions;
    v(field(&D::model, "model", "--model", "The decoder, when the file references one by hash (else searched in the file's folder and SEISINR_MODEL_PATH)",
            Takes::existing_file));
    v(field(&D::search, "search", "--search", "Another folder to search for the decoder (repeatable)"));
    v(field(&D::height, "height", nullptr, "Rows of the output; 0 = the stored grid"));
    v(field(&D::width, "width", nullptr, "Columns of the output; 0 = the stored grid"));
    v(field(&D::latents_only, "latents_only", "--latents-only", "Decode the latent codes alone (no residuals, no error bound)"));
    v(field(&D::threads, "threads", nullptr, "Worker threads; 0 = all cores"));
  }

  void validate() const {
    io::check_grid_side(height, "decompress: height");
    io::check_grid_side(width, "decompress: width");
    (void)resolve_threads(threads, "decompress threads");
  }
};

}  // namespace seisinr::compress
