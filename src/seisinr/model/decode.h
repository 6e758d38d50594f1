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
#include "seisinr/codec/normalisation.h"

namespace seisinr::model {

struct DecodeOptions {
  std::int64_t height = 70, width = 70;
  float vmin = codec::kDefaultVmin, vmax = codec::kDefaultVmax;
  // Points decoded at once; bounds memory at a few tensors of points × hidden floats.
  // 0 = automatic_batch_points(hidden, device).
  std::int64_t max_points_per_batch = 0;
  bool amp = false;
};

// The automatic batch: 2^22 / hidden points (16 MiB per activation tensor), at least 4,096, and at
// most 16,384 on the CPU (262,144 on a GPU). On the CPU the commands keep freed memory
// (keep_freed_memory), so the peak is the live batch plus glibc's fragmentation, which comes in
// units of the largest block: 16 MiB blocks made the peak of the same decode wander by 40 MiB
// with the length of a path, 2 MiB blocks by under 10 MiB (DecodeCli tests), and no CPU decode
// ran faster with blocks over 16,384 points (320 maps at 280×280, hidden 32: 13 s either way).
std::int64_t automatic_batch_points(std::int64_t hidden, const torch::Device& device);

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
// decode_maps's check alone: throws unless n maps at options' grid fit in kMaxInMemoryValues.
void check_in_memory(std::int64_t n, const DecodeOptions& options);

}  // namespace seisinr::model
