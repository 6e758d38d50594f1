// seisinr/model/decode.cpp — see decode.h.
#include "seisinr/model/decode.h"

#include <algorithm>
#include <cstring>

namespace seisinr::model {

io::MapStack decode_maps(const SirenDecoder& decoder, const torch::Tensor& latents, const DecodeOptions& o) {
  torch::NoGradGuard no_grad;
  const torch::Device device = latents.device();
  const std::int64_t n = latents.size(0), pts = o.height * o.width;
  io::MapStack out;
  out.n = n, out.h = o.height, out.w = o.width;
  out.values.resize(static_cast<std::size_t>(n * pts));
  const torch::Tensor grid = make_grid(o.height, o.width, device);
  const float half_span = (o.vmax - o.vmin) / 2.0f;
  const std::int64_t budget = o.max_points_per_batch > 0
                                  ? o.max_points_per_batch
                                  : std::clamp<std::int64_t>((std::int64_t{1} << 22) / decoder.options().hidden, 4096, 1 << 18);
  // Whole maps per batch when they fit, otherwise one map in chunks of points.
  const std::int64_t maps_per_batch = std::max<std::int64_t>(1, budget / pts);
  const std::int64_t chunk = std::min(pts, budget);
  for (std::int64_t b0 = 0; b0 < n; b0 += maps_per_batch) {
    const std::int64_t bn = std::min(maps_per_batch, n - b0);
    auto z = latents.narrow(0, b0, bn);
    for (std::int64_t p0 = 0; p0 < pts; p0 += chunk) {
      const std::int64_t pn = std::min(chunk, pts - p0);
      auto v = decoder.forward(grid.narrow(0, p0, pn), z, o.amp);  // (bn, pn)
      v = ((v + 1.0f) * half_span + o.vmin).to(torch::kCPU, torch::kFloat).contiguous();
      const float* src = v.data_ptr<float>();
      for (std::int64_t i = 0; i < bn; ++i)
        std::memcpy(out.map(b0 + i) + p0, src + i * pn, static_cast<std::size_t>(pn) * sizeof(float));
    }
  }
  return out;
}

}  // namespace seisinr::model
