// seisinr/model/latent_table.h — the per-map latent codes: one d-vector per trained map,
// initialised N(0, std²) (paper: std = 0.01) from a seed.
#pragma once

#include <torch/types.h>

#include <cstdint>

namespace seisinr::model {

torch::Tensor init_latents(std::int64_t maps, std::int64_t dim, double std, std::uint64_t seed);

}  // namespace seisinr::model
