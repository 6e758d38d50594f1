// seisinr/train/encoder.h — latent codes for maps the decoder was not trained on
// (DeepSDF-style test-time optimisation). Torch.
//
// With the decoder frozen, each new map's code is fitted alone:
//   z* = argmin_z  mean over the map's points of (f(x, z; θ) − v)²  +  λ ‖z‖²
// by Adam, many maps per batch (their losses are independent, so batching changes nothing but
// speed). The start is the mean of the trained codes (or zero). Each step uses a fresh random
// subset of each map's points (seeded, so encoding is deterministic); 0 = all points.
#pragma once

#include <torch/types.h>

#include <cstdint>

#include "seisinr/model/siren.h"

namespace seisinr::train {

struct EncodeOptions {
  std::int64_t steps = 200;   // Adam steps per map
  double lr = 1e-2;           // Adam learning rate on the codes
  double lambda = 1e-4;       // weight of ‖z‖²
  std::int64_t batch = 64;    // maps per batch
  std::int64_t points = 256;  // random points per map per step (fresh each step); 0 = all
  bool amp = true;             // bf16 products: ~3x faster here, and the code is refined by Adam anyway
};

// targets: (N, H·W) normalised values on the decoder's device, on the grid of `height`×`width`.
// start: (d) initial code for every map (e.g. the mean trained code). Returns (N, d).
torch::Tensor encode_maps(const model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t height,
                          std::int64_t width, const torch::Tensor& start, const EncodeOptions& options);

}  // namespace seisinr::train
