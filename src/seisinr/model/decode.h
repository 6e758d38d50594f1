// seisinr/model/decode.h — velocity maps from latent codes at any resolution.
//
// The grid spans the same square [-1, 1]² whatever H×W (DESIGN: coordinates), so decoding at
// 2× or 4× the training size queries the same continuous function more densely. Maps are
// decoded a batch at a time, so memory is bounded by batch_maps·H·W·hidden floats, and written
// out in m/s: v = (v̂ + 1)(vmax − vmin)/2 + vmin.
#pragma once

#include <torch/types.h>

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

// latents: (N, d) on the decoder's device. Returns N maps in m/s on the CPU.
io::MapStack decode_maps(const SirenDecoder& decoder, const torch::Tensor& latents, const DecodeOptions& options);

}  // namespace seisinr::model
