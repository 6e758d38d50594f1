// seisinr/compress/compress.h — the codec's two jobs: maps → compressed .sinr → maps.
//
// compress: each map gets a latent code (its trained code when the decoder was trained on it,
// otherwise encoded with the decoder frozen, encode/encoder.h), the codes are quantised
// (codec/quantize.h), and with an error bound E each map also gets a residual stream
// (codec/residual.h) so that every value comes back within E. Per map the smallest of three
// paths is kept: neural (latent + residual against the decoder's prediction), plain (MED
// residuals, no latent), raw (lossless float32 + zstd; also the fallback should a value fail
// the compressor's own check). The decoder is embedded when the compressor trained it, and
// referenced by content hash when it was given (--model): many files can share one decoder.
//
// decompress: without a bound, maps are decoded from their codes at any resolution. With one,
// at the stored grid only: the prediction comes from the bit-reproducible decoder
// (model/portable_decoder.h) and is checked against the compressor's before it is used.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seisinr/codec/decoder_record.h"
#include "seisinr/codec/sinr_format.h"
#include "seisinr/data/dataset.h"
#include "seisinr/compress/options.h"
#include "seisinr/io/npy.h"
#include "seisinr/io/segy.h"

namespace seisinr::compress {

// Writes `out` atomically; returns statistics (bytes, paths, quality of the latent-only decode).
// Refuses, before any work, an `out` that is one of the maps' files or the model, or that holds
// another kind of file unless replace_other_kind (io/output_guard.h).
nlohmann::json compress(const data::Dataset& data, const CompressOptions& options, const std::string& out);

// With `grid`, also the output's geometry in metres: the stored spacing (0 = unknown), stretched
// when decoded on another grid over the same extent (align-corners: (H−1)·dz fixed), and the
// window's origin (z0 = Z0·dz, x0 = X0·dx; 0 for a whole model).
io::MapStack decompress(const std::string& path, const DecompressOptions& options, io::Geometry* grid = nullptr);

// A window of a tiled model (compress/tiled.h) on options.height × options.width (0 = the
// window's own samples); refused, naming the file, for a compressed dataset.
io::MapStack decompress_window(const std::string& path, const Window& window, const DecompressOptions& options, io::Geometry* grid = nullptr);

// Where decompress writes by default: FILE.sinr → FILE.decompressed.sgy when a tiled model was
// read from SEG-Y (the output follows the input's format), else FILE.decompressed.npy.
std::string default_output(const std::string& path);

}  // namespace seisinr::compress
