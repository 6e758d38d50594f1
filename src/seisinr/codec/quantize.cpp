// seisinr/codec/quantize.cpp — see quantize.h.
#include "seisinr/codec/quantize.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "seisinr/error.h"

namespace seisinr::codec {

LatentQuantizer LatentQuantizer::fit(const float* z, std::int64_t n, std::int64_t d, int bits) {
  if (!(bits == 32 || (bits >= 1 && bits <= 16)))
    throw Error("latent bits must be 1 to 16, or 32 for float32; got " + std::to_string(bits));
  if (d <= 0) throw Error("latent dimension must be positive");
  LatentQuantizer q;
  q.bits = bits;
  q.dim = d;
  if (bits == 32) return q;
  q.offset.assign(static_cast<std::size_t>(d), 0.0f);
  q.scale.assign(static_cast<std::size_t>(d), 0.0f);
  const double levels = static_cast<double>((1u << bits) - 1u);
  for (std::int64_t j = 0; j < d; ++j) {
    float lo = 0, hi = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      const float v = z[i * d + j];
      if (!std::isfinite(v)) throw Error("latent code " + std::to_string(i) + " has a non-finite value");
      lo = i == 0 ? v : std::min(lo, v);
      hi = i == 0 ? v : std::max(hi, v);
    }
    q.offset[j] = lo;
    q.scale[j] = static_cast<float>((static_cast<double>(hi) - lo) / levels);
  }
  return q;
}

std::vector<std::uint16_t> LatentQuantizer::encode(const float* z, std::int64_t n) const {
  if (bits == 32) throw Error("32-bit latents are stored as float32, not encoded");
  const double top = static_cast<double>((1u << bits) - 1u);
  std::vector<std::uint16_t> codes(static_cast<std::size_t>(n * dim));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < dim; ++j) {
      double c = scale[j] > 0 ? std::nearbyint((static_cast<double>(z[i * dim + j]) - offset[j]) / scale[j]) : 0.0;
      codes[i * dim + j] = static_cast<std::uint16_t>(std::clamp(c, 0.0, top));
    }
  return codes;
}

std::vector<float> LatentQuantizer::decode(const std::uint16_t* codes, std::int64_t n) const {
  std::vector<float> z(static_cast<std::size_t>(n * dim));
  for (std::int64_t i = 0; i < n; ++i)
    for (std::int64_t j = 0; j < dim; ++j) z[i * dim + j] = offset[j] + scale[j] * static_cast<float>(codes[i * dim + j]);
  return z;
}

}  // namespace seisinr::codec
