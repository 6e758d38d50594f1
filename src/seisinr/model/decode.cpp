// seisinr/model/decode.cpp — see decode.h.
#include "seisinr/model/decode.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "seisinr/error.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::model {

std::int64_t automatic_batch_points(std::int64_t hidden, const torch::Device& device) {
  const std::int64_t most = device.is_cpu() ? std::int64_t{1} << 14 : std::int64_t{1} << 18;
  return std::clamp<std::int64_t>((std::int64_t{1} << 22) / std::max<std::int64_t>(hidden, 1), 4096, most);
}

void decode_stream(const SirenDecoder& decoder, const torch::Tensor& latents, const DecodeOptions& o, const DecodeSink& sink) {
  torch::NoGradGuard no_grad;
  const torch::Device device = latents.device();
  const std::int64_t n = latents.size(0), h = o.height, w = o.width, pts = h * w;
  if (h < 2 || w < 2) throw Error("decode: the grid must be at least 2x2");
  const float half_span = codec::Normalisation{o.vmin, o.vmax}.half_span();
  const std::int64_t budget =
      o.max_points_per_batch > 0 ? o.max_points_per_batch : automatic_batch_points(decoder.options().hidden, device);
  // Whole maps per batch when they fit, otherwise one map in blocks of whole rows.
  const std::int64_t maps_per_batch = std::max<std::int64_t>(1, budget / pts);
  const std::int64_t rows_per_block = maps_per_batch > 1 ? h : std::clamp<std::int64_t>(budget / w, 1, h);
  for (std::int64_t b0 = 0; b0 < n; b0 += maps_per_batch) {
    const std::int64_t bn = std::min(maps_per_batch, n - b0);
    auto z = latents.narrow(0, b0, bn);
    for (std::int64_t r0 = 0; r0 < h; r0 += rows_per_block) {
      const std::int64_t rn = std::min(rows_per_block, h - r0), pn = rn * w;
      const torch::Tensor coords = make_grid_rows(h, w, r0, rn, device);
      auto v = decoder.forward(coords, z, o.amp ? Precision::kBf16Products : Precision::kFloat32);  // (bn, pn)
      v = ((v + 1.0f) * half_span + o.vmin).to(torch::kCPU, torch::kFloat).contiguous();
      const float* src = v.data_ptr<float>();
      for (std::int64_t i = 0; i < bn; ++i) sink(b0 + i, r0 * w, src + i * pn, pn);
    }
  }
}

void check_in_memory(std::int64_t n, const DecodeOptions& o) {
  const std::int64_t pts = o.height * o.width;
  if (pts > 0 && n > kMaxInMemoryValues / pts) {
    char msg[300];
    std::snprintf(msg, sizeof msg,
                  "decoding %lld maps at %lldx%lld needs %.1f GiB in memory (limit %.0f GiB); decode them with `seisinr decode`, "
                  "which streams to disk, or at a smaller --resolution",
                  static_cast<long long>(n), static_cast<long long>(o.height), static_cast<long long>(o.width),
                  static_cast<double>(n) * static_cast<double>(pts) * 4.0 / (1u << 30),
                  static_cast<double>(kMaxInMemoryValues) * 4.0 / (1u << 30));
    throw Error(msg);
  }
}

io::MapStack decode_maps(const SirenDecoder& decoder, const torch::Tensor& latents, const DecodeOptions& o) {
  const std::int64_t n = latents.size(0), pts = o.height * o.width;
  check_in_memory(n, o);
  io::MapStack out;
  out.n = n, out.h = o.height, out.w = o.width;
  out.values.resize(static_cast<std::size_t>(n * pts));
  decode_stream(decoder, latents, o, [&](std::int64_t map, std::int64_t p0, const float* v, std::int64_t count) {
    std::memcpy(out.map(map) + p0, v, static_cast<std::size_t>(count) * sizeof(float));
  });
  return out;
}

}  // namespace seisinr::model
