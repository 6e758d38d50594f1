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

// The decoder compress trains when no model is given (options.preset, epochs, run_dir, resume,
// threads; no holdout), on `maps`; returns its model file.
std::string train_decoder(const data::Dataset& maps, const CompressOptions& options, const std::string& out);

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

// The decoder a compressed file uses: its embedded sections (checked against the record's hash),
// or the model file found by hash (find_decoder over options.model, the file's folder,
// options.search and SEISINR_MODEL_PATH). `name` receives where it came from.
codec::SinrFile decoder_for(const std::string& path, const codec::DecoderRecord& record, const DecompressOptions& options,
                            std::string* name);

// The model file (.sinr) whose decoder hash is `hash`: `model` when given (refused when its hash
// differs), else the first match in `search`. Throws naming what was searched.
std::string find_decoder(const std::string& hash, const std::string& model, const std::vector<std::string>& search);

}  // namespace seisinr::compress
