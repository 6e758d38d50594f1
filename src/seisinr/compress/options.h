// seisinr/compress/options.h — the settings of compress and decompress (compress/compress.h),
// each with its default; torch-free, so the public API (seisinr.h) uses them as they are.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/train/encode_options.h"
#include "seisinr/train/options.h"

namespace seisinr::compress {

// Whether a model is coded as overlapping tiles (compress/tiled.h): automatic = when the data is
// one map of more than kAutoTileValues values.
enum class Tiling { automatic, on, off };
constexpr std::int64_t kAutoTileValues = 512 * 512;
inline const char* tiling_name(Tiling t) { return t == Tiling::on ? "on" : t == Tiling::off ? "off" : "auto"; }
// "auto" | "on" | "off"; throws (usage) naming the value.
inline Tiling parse_tiling(const std::string& name) {
  for (Tiling t : {Tiling::automatic, Tiling::on, Tiling::off})
    if (name == tiling_name(t)) return t;
  throw Error("tiles: expected auto, on or off, got '" + name + "'", ErrorKind::usage);
}

struct TileOptions {
  std::int64_t scale = 1;      // model samples per decoder sample (a tile spans (T − 1)·scale + 1 samples)
  std::int64_t overlap = 6;    // decoder samples shared by neighbouring tiles (blended linearly)
  std::int64_t size = 70;      // T when a decoder is trained on the model's own tiles (no --model)
  std::int64_t block = 512;    // residual blocks: block × block samples (with an error bound)
  std::int64_t prediction_stride = 0;  // the tiles are decoded on a lattice every this many samples, bilinear between; 0 = scale
};

struct CompressOptions {
  std::string model;         // decoder to share by hash; empty = train one on the maps and embed it
  int latent_bits = 8;       // 1..16, or 32 (float32)
  double max_error = 0;      // m/s; 0 = latents only (no bound)
  bool fallback = true;      // per map, take the plain or raw path when it is smaller
  train::EncodeOptions encode;
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
};

// Rows [z0, z1) and columns [x0, x1) of a tiled model, in samples; all zero = the whole model.
struct Window {
  std::int64_t z0 = 0, z1 = 0, x0 = 0, x1 = 0;
};

struct DecompressOptions {
  std::string model;                // the decoder, when not embedded; else searched for
  std::vector<std::string> search;  // folders to search for a decoder with the file's hash
  std::int64_t height = 0, width = 0;  // 0 = the stored grid
  bool latents_only = false;           // ignore residuals (allows any resolution; no bound)
  std::int64_t threads = 0;
};

}  // namespace seisinr::compress
