// seisinr/codec/bounded_decode.h — one map of an error-bounded dataset (max_error > 0) back to
// m/s, from its residual stream: raw (zstd float32), plain (MED on the quantised integers) or
// neural (the portable decoder's quantised prediction plus the stored difference; the stored
// check of the prediction must match, or the map is refused). Torch-free: this is everything a
// bounded decompression computes, and what the fuzzers drive with hostile files.
#pragma once

#include <cstdint>
#include <string>

#include "seisinr/codec/dataset_file.h"
#include "seisinr/model/portable_decoder.h"

namespace seisinr::codec {

// Writes ds.height × ds.width values of map i to dst. `decoder` and `latent` (its dequantised
// code, ds.quant.dim floats) are needed for neural maps only. Throws naming `what`.
void decode_bounded_map(const CompressedDataset& ds, std::int64_t i, const model::PortableDecoder* decoder,
                        const float* latent, float* dst, const std::string& what);

}  // namespace seisinr::codec
