// seisinr/train/encoder.cpp — see encoder.h.
#include "seisinr/train/encoder.h"

#include <ATen/CPUGeneratorImpl.h>

#include <algorithm>

#include "seisinr/train/adam.h"

namespace seisinr::train {

torch::Tensor encode_maps(const model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t height,
                          std::int64_t width, const torch::Tensor& start, const EncodeOptions& o) {
  const std::int64_t n = targets.size(0), d = decoder.options().latent_dim;
  const torch::Device device = targets.device();
  const torch::Tensor grid = model::make_grid(height, width, device);
  torch::Tensor out = torch::empty({n, d}, torch::TensorOptions().dtype(torch::kFloat).device(device));
  // Freeze the decoder for the duration: only the codes get gradients.
  std::vector<bool> was;
  for (auto& p : decoder.parameters()) {
    was.push_back(p.requires_grad());
    p.set_requires_grad(false);
  }
  for (std::int64_t b0 = 0; b0 < n; b0 += o.batch) {
    const std::int64_t bn = std::min(o.batch, n - b0);
    torch::Tensor z = start.reshape({1, d}).expand({bn, d}).clone().to(device);
    z.set_requires_grad(true);
    torch::Tensor target = targets.narrow(0, b0, bn);
    Adam adam({{{z}, o.lr}});
    const std::int64_t pts = height * width;
    const bool sample = o.points > 0 && o.points < pts;
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(b0) + 0x5eed);
    for (std::int64_t s = 0; s < o.steps; ++s) {
      torch::Tensor coords = grid, t = target;
      if (sample) {
        torch::Tensor pidx = torch::randint(pts, {bn, o.points}, gen, torch::kLong).to(device);
        coords = grid.index_select(0, pidx.reshape({-1})).reshape({bn, o.points, 2});
        t = target.gather(1, pidx);
      }
      torch::Tensor pred = decoder.forward(coords, z, o.amp);
      // Sum over maps of each map's own loss, so each code's gradient is its map's alone.
      torch::Tensor loss = ((pred - t).pow(2).mean(1) + o.lambda * z.pow(2).sum(1)).sum();
      adam.zero_grad();
      loss.backward();
      adam.step();
    }
    out.narrow(0, b0, bn).copy_(z.detach());
  }
  std::size_t k = 0;
  for (auto& p : decoder.parameters()) p.set_requires_grad(was[k++]);
  return out;
}

}  // namespace seisinr::train
