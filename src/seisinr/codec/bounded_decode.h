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

// The decoder's prediction of the map in m/s: ds.height × ds.width values into `out`.
using Prediction = std::function<void(float* out)>;

// Writes ds.height × ds.width values of map i to dst. `predict` is needed for neural maps only
// (empty: a neural map is refused). Throws naming `what`.
void decode_bounded_map(const CompressedDataset& ds, std::int64_t i, const Prediction& predict, float* dst, const std::string& what);

}  // namespace seisinr::codec
