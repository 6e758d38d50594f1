// seisinr/model/decode.h — velocity maps from latent codes at any resolution.
//
// The grid spans the same square [-1, 1]² whatever H×W (DESIGN: coordinates), so decoding at
// 2× or 4× the training size queries the same continuous function more densely. Maps are
// decoded a batch at a time, so memory is bounded by batch_maps·H·W·hidden floats, and written
// out in m/s: v = (v̂ + 1)(vmax − vmin)/2 + vmin.
#pragma once

#include <torch/types.h>

#include <functional>

#include "seisinr/io/npy.h"
#include "seisinr/model/siren.h"

namespace seisinr::model {

struct DecodeOptions {
  std::int64_t height = 70, width = 70;
  float vmin = 1500.0f, vmax = 4500.0f;
  // Points decoded at once; bounds memory at a few tensors of points × hidden floats.
  // 0 = automatic: 2^22 / hidden, between 4,096 and 262,144 (16 MiB per activation tensor).
  std::int64_t max_points_per_batch = 0;
  bool amp = false;
};

// Receives decoded values in file order (map by map, row-major within a map): `count` values of
// map `map` starting at point `first_point`.
using DecodeSink = std::function<void(std::int64_t map, std::int64_t first_point, const float* values, std::int64_t count)>;

// Streams N maps in m/s to `sink`. Memory is bounded by the batch (max(budget, W) points), never
// by N·H·W: coordinates are made a block of rows at a time, so even 65536×65536 decodes to disk.
void decode_stream(const SirenDecoder& decoder, const torch::Tensor& latents, const DecodeOptions& options,
                   const DecodeSink& sink);

// latents: (N, d) on the decoder's device. Returns N maps in m/s on the CPU. Refuses (naming the
// size) when the maps would need more than kMaxInMemoryValues floats; decode_stream has no limit.
constexpr std::int64_t kMaxInMemoryValues = std::int64_t{1} << 31;  // 8 GiB of float32
io::MapStack decode_maps(const SirenDecoder& decoder, const torch::Tensor& latents, const DecodeOptions& options);

}  // namespace seisinr::model
