// seisinr/compress/tiled.h — a whole large model (Marmousi2: 2,801 × 13,601) as overlapping
// tiles, each with one latent code of a shared decoder, blended without seams (codec/tiles.h),
// plus, with an error bound, residual blocks (codec/tiled_file.h).
//
// compress: the tiles' decoder samples are read from the model; their codes come from a given
// decoder (frozen; encoded a chunk of tiles at a time with a progress line) or from a decoder
// trained on the tiles themselves (no --model). With a bound E every block keeps the smaller of
// plain (MED on the quantised values) and neural (the blended tiles' prediction, decoded by the
// bit-reproducible decoder on a grid every prediction_stride samples, bilinear in between), and
// every value is checked; a block that fails is stored raw.
//
// decompress / decode_window: without a bound (or with latents_only), any window on any grid:
// positions in model samples, blended tiles decoded by libtorch, only the tiles that reach the
// window, a band of rows at a time. With a bound, at the stored spacing: only the blocks that
// reach the window are decoded. Memory is bounded by a block or a band, not by the model.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/compress/options.h"
#include "seisinr/data/dataset.h"
#include "seisinr/io/npy.h"
#include "seisinr/io/segy.h"

namespace seisinr::compress {

// Whether compress() codes `data` as tiles under options.tiling.
bool use_tiles(const data::Dataset& data, const CompressOptions& options);

// Called by compress(), which has validated `options` and `data`.
nlohmann::json compress_tiled(const data::Dataset& data, const CompressOptions& options, const std::string& out);

// The window on an h × w grid spanning it (h = z1 − z0 and w = x1 − x0 keep the stored spacing;
// 0 = that). `grid` receives the output's dz, dx and the window's origin z0, x0. A bounded file needs the stored spacing
// unless options.latents_only.
io::MapStack decode_tiled(const codec::SinrFile& file, const std::string& path, const Window& window, std::int64_t h, std::int64_t w,
                          const DecompressOptions& options, io::Geometry* grid = nullptr);

}  // namespace seisinr::compress
