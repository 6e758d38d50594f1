// seisinr/eval/resample.cpp — see resample.h.
#include "seisinr/eval/resample.h"

#include <algorithm>

namespace seisinr::eval {

std::vector<float> resample_bilinear(const float* src, std::int64_t h, std::int64_t w, std::int64_t oh, std::int64_t ow) {
  std::vector<float> out(static_cast<std::size_t>(oh * ow));
  auto pos = [](std::int64_t i, std::int64_t n_out, std::int64_t n_in) {
    return n_out > 1 ? static_cast<double>(i) * static_cast<double>(n_in - 1) / static_cast<double>(n_out - 1) : 0.0;
  };
  for (std::int64_t i = 0; i < oh; ++i) {
    const double zi = pos(i, oh, h);
    const std::int64_t z0 = std::min<std::int64_t>(static_cast<std::int64_t>(zi), h - 1), z1 = std::min(z0 + 1, h - 1);
    const double fz = zi - static_cast<double>(z0);
    for (std::int64_t j = 0; j < ow; ++j) {
      const double xj = pos(j, ow, w);
      const std::int64_t x0 = std::min<std::int64_t>(static_cast<std::int64_t>(xj), w - 1), x1 = std::min(x0 + 1, w - 1);
      const double fx = xj - static_cast<double>(x0);
      const double top = (1 - fx) * src[z0 * w + x0] + fx * src[z0 * w + x1];
      const double bottom = (1 - fx) * src[z1 * w + x0] + fx * src[z1 * w + x1];
      out[static_cast<std::size_t>(i * ow + j)] = static_cast<float>((1 - fz) * top + fz * bottom);
    }
  }
  return out;
}

}  // namespace seisinr::eval
