// seisinr/eval/interpolate.cpp — see interpolate.h.
#include "seisinr/eval/interpolate.h"

#include <cmath>

#include "seisinr/error.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/model/decode.h"

namespace seisinr::eval {

Interpolation interpolate(const model::LoadedModel& m, std::int64_t from, std::int64_t to, std::int64_t steps,
                          std::int64_t height, std::int64_t width) {
  const std::int64_t n = m.latents.size(0);
  if (from < 0 || from >= n || to < 0 || to >= n)
    throw Error("interp: map indices must be latent rows 0.." + std::to_string(n - 1) + ", got " + std::to_string(from) +
                " and " + std::to_string(to));
  if (steps < 2) throw Error("interp: --steps must be at least 2");
  Interpolation r;
  auto alpha = torch::linspace(0.0, 1.0, steps, torch::TensorOptions().device(m.latents.device())).unsqueeze(1);
  auto z = (1 - alpha) * m.latents[from].unsqueeze(0) + alpha * m.latents[to].unsqueeze(0);
  model::DecodeOptions d;
  d.height = height > 0 ? height : m.height, d.width = width > 0 ? width : m.width, d.vmin = m.vmin, d.vmax = m.vmax;
  r.maps = model::decode_maps(*m.decoder, z, d);
  const double to_norm = std::pow(2.0 / (m.vmax - m.vmin), 2);
  for (std::int64_t k = 0; k < steps; ++k) {
    r.alpha.push_back(static_cast<double>(k) / static_cast<double>(steps - 1));
    r.mse_to_a.push_back(mse(r.maps.map(k), r.maps.map(0), r.maps.map_size()) * to_norm);
    r.mse_to_b.push_back(mse(r.maps.map(k), r.maps.map(steps - 1), r.maps.map_size()) * to_norm);
  }
  return r;
}

}  // namespace seisinr::eval
