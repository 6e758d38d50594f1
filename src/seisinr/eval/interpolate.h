// seisinr/eval/interpolate.h — maps along a straight line in latent space (paper §4.5, Table 8).
//
//   z_α = (1 − α) z_A + α z_B,  α = k / (steps − 1), k = 0..steps−1
// Each decoded map is compared with the two decoded end maps: MSE in normalised units.
#pragma once

#include <cstdint>
#include <vector>

#include "seisinr/io/npy.h"
#include "seisinr/model/model_file.h"

namespace seisinr::eval {

struct Interpolation {
  io::MapStack maps;  // steps maps in m/s
  std::vector<double> alpha, mse_to_a, mse_to_b;
};

// from/to: latent rows of the model (trained maps).
Interpolation interpolate(const model::LoadedModel& model, std::int64_t from, std::int64_t to, std::int64_t steps,
                          std::int64_t height = 0, std::int64_t width = 0);

}  // namespace seisinr::eval
