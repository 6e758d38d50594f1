// seisinr/codec/bounded_decode.h — one map of an error-bounded dataset (max_error > 0) back to
// m/s, from its residual stream: raw (zstd float32), plain (MED on the quantised integers) or
// neural (the decoder's quantised prediction plus the stored difference; the stored check of the
// prediction must match, or the map is refused). Torch-free, and model-free: the caller passes
// the prediction (the bit-reproducible model/portable_decoder.h in seisinr's own use), so the
// codec does not depend on the model layer. This is everything a bounded decompression
// computes, and what the fuzzers drive with hostile files.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "seisinr/codec/dataset_file.h"

namespace seisinr::codec {

// The decoder's prediction of the map, normalised (2 (v − vmin)/(vmax − vmin) − 1): ds.height × ds.width values into `out`.
using Prediction = std::function<void(float* out)>;

// One bounded block of h × w values from its stream: the work of decode_bounded_map, for any
// container (a tiled model's blocks use it too). `predict` writes h × w normalised values.
struct BoundedBlock {
  MapPath path = MapPath::plain;
  bool integer = false;
  std::uint32_t check = 0;
  const std::vector<unsigned char>* bytes = nullptr;
};
void decode_bounded_block(const BoundedBlock& b, std::int64_t h, std::int64_t w, double max_error, double vmin, double vmax,
                          const Prediction& predict, float* dst, const std::string& what);

// Writes ds.height × ds.width values of map i to dst. `predict` is needed for neural maps only
// (empty: a neural map is refused). Throws naming `what`.
void decode_bounded_map(const CompressedDataset& ds, std::int64_t i, const Prediction& predict, float* dst, const std::string& what);

}  // namespace seisinr::codec
