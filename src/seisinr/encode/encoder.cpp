// seisinr/encode/encoder.cpp — see encoder.h.
#include "seisinr/encode/encoder.h"

#include "seisinr/dist/comm.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/Parallel.h>
#include <torch/types.h>
#include <torch/utils.h>  // NoGradGuard

#include <algorithm>
#include <cmath>
#include <map>

#include "seisinr/data/split.h"
#include "seisinr/error.h"
#include "seisinr/interrupt.h"
#include "seisinr/threads.h"
#include "seisinr/optim/adam.h"
#include "seisinr/encode/code_init.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::encode {

namespace {

// Indices of an ~16×16 sub-grid of an h×w row-major grid.
std::vector<std::int64_t> coarse_points(std::int64_t h, std::int64_t w) {
  auto pick = [](std::int64_t n) {
    std::vector<std::int64_t> v;
    const std::int64_t k = std::min<std::int64_t>(n, 16);
    for (std::int64_t i = 0; i < k; ++i) v.push_back(k == 1 ? 0 : i * (n - 1) / (k - 1));
    return v;
  };
  std::vector<std::int64_t> out;
  for (auto r : pick(h))
    for (auto c : pick(w)) out.push_back(r * w + c);
  return out;
}

// Per-map MSE (normalised units) of the codes z on the full grid, 16 maps at a time.
torch::Tensor full_mse(const model::SirenDecoder& decoder, const torch::Tensor& grid, const torch::Tensor& z,
                       const torch::Tensor& target) {
  torch::NoGradGuard ng;
  std::vector<torch::Tensor> out;
  for (std::int64_t i = 0; i < z.size(0); i += 16) {
    const std::int64_t k = std::min<std::int64_t>(16, z.size(0) - i);
    out.push_back((decoder.forward(grid, z.narrow(0, i, k)) - target.narrow(0, i, k)).pow(2).mean(1));
  }
  return torch::cat(out);
}

// Per-map PSNR (dB) of the codes z on the full grid, in normalised units with each map's range.
torch::Tensor full_psnr(const model::SirenDecoder& decoder, const torch::Tensor& grid, const torch::Tensor& z,
                        const torch::Tensor& target) {
  const torch::Tensor range = std::get<0>(target.max(1)) - std::get<0>(target.min(1));
  return 10.0 * torch::log10(range * range / full_mse(decoder, grid, z, target).clamp_min(1e-20));
}

}  // namespace

torch::Tensor initial_codes(const model::SirenDecoder& decoder, const torch::Tensor& table, const torch::Tensor& targets,
                            std::int64_t height, std::int64_t width, EncodeInit init) {
  const std::int64_t n = targets.size(0), d = decoder.options().latent_dim;
  const auto opts = torch::TensorOptions().dtype(torch::kFloat).device(targets.device());
  const bool linear = decoder.options().linear_path;
  if (init == EncodeInit::project || (init == EncodeInit::automatic && linear)) {
    if (!linear) throw Error("encode: init 'project' needs a model with a linear path", ErrorKind::usage);
    return project_codes(decoder, targets, height, width);
  }
  if (init == EncodeInit::zero || table.size(0) == 0) return torch::zeros({n, d}, opts);
  if (init == EncodeInit::mean) return table.mean(0).reshape({1, d}).expand({n, d}).clone().to(targets.device());
  torch::NoGradGuard ng;
  const std::vector<std::int64_t> idx = coarse_points(height, width);
  const torch::Tensor pidx = torch::tensor(idx, torch::kLong).to(targets.device());
  const torch::Tensor coords = model::make_grid(height, width, targets.device()).index_select(0, pidx);
  const torch::Tensor t = targets.index_select(1, pidx);  // (N, P)
  std::vector<torch::Tensor> decoded;
  for (std::int64_t b = 0; b < table.size(0); b += 64) {
    const std::int64_t bn = std::min<std::int64_t>(64, table.size(0) - b);
    decoded.push_back(decoder.forward(coords, table.narrow(0, b, bn).to(targets.device())));
  }
  const torch::Tensor p = torch::cat(decoded);  // (N_t, P)
  // ‖t − p‖² = ‖t‖² + ‖p‖² − 2 t·p
  const torch::Tensor dist = t.pow(2).sum(1, true) + p.pow(2).sum(1).unsqueeze(0) - 2.0 * torch::mm(t, p.t());
  const torch::Tensor best = dist.argmin(1);
  return table.to(targets.device()).index_select(0, best).clone();
}

torch::Tensor encode_maps(const model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t height,
                          std::int64_t width, const torch::Tensor& start, const EncodeOptions& o,
                          std::vector<std::int64_t>* steps_used, const torch::Tensor& code_scale) {
  o.validate("encode");
  const std::int64_t n = targets.size(0), d = decoder.options().latent_dim;
  const torch::Device device = targets.device();
  const torch::Tensor grid = model::make_grid(height, width, device);
  torch::Tensor out = torch::empty({n, d}, torch::TensorOptions().dtype(torch::kFloat).device(device));
  if (steps_used) steps_used->assign(static_cast<std::size_t>(n), o.steps);
  // Freeze the decoder for the duration: only the codes get gradients.
  std::vector<bool> was;
  for (auto& p : decoder.parameters()) {
    was.push_back(p.requires_grad());
    p.set_requires_grad(false);
  }
  const bool check = o.target_psnr > 0 && o.check_every > 0;
  const bool scaled = code_scale.defined();
  const torch::Tensor scale = scaled ? code_scale.reshape({1, d}).to(device, torch::kFloat) : torch::Tensor();
  const ScopedBlasThreads blas(o.amp ? 1 : at::get_num_threads());  // threads.h
  for (std::int64_t b0 = 0; b0 < n; b0 += o.batch) {
    const std::int64_t bn = std::min(o.batch, n - b0);
    const torch::Tensor first = (start.dim() == 1 ? start.reshape({1, d}).expand({bn, d}) : start.narrow(0, b0, bn)).clone().to(device);
    // Adam moves `param`: the code itself, or with a scale u in z = start + scale ⊙ u.
    torch::Tensor param = scaled ? torch::zeros_like(first) : first.clone();
    param.set_requires_grad(true);
    auto code_of = [&](const torch::Tensor& p) { return scaled ? first + p * scale : p; };
    torch::Tensor target = targets.narrow(0, b0, bn);
    torch::Tensor done = torch::zeros({bn}, torch::TensorOptions().dtype(torch::kBool).device(device));
    torch::Tensor frozen = param.detach().clone();
    optim::Adam adam({{{param}, o.lr}});
    const std::int64_t pts = height * width;
    const bool sample = o.points > 0 && o.points < pts;
    at::Generator gen = at::make_generator<at::CPUGeneratorImpl>(static_cast<std::uint64_t>(b0) + 0x5eed);
    for (std::int64_t s = 0; s < o.steps; ++s) {
      throw_if_stop_requested("encode");  // SIGINT/SIGTERM: nothing of this call is kept (interrupt.h)
      if (check && s > 0 && s % o.check_every == 0) {
        const torch::Tensor reached =
            full_psnr(decoder, grid, code_of(param.detach()), target).ge(o.target_psnr) & done.logical_not();
        if (reached.any().item<bool>()) {
          frozen = torch::where(reached.unsqueeze(1), param.detach(), frozen);
          done = done | reached;
          if (steps_used)
            for (std::int64_t i = 0; i < bn; ++i)
              if (reached[i].item<bool>()) (*steps_used)[static_cast<std::size_t>(b0 + i)] = s;
        }
        if (done.all().item<bool>()) break;
      }
      torch::Tensor coords = grid, t = target;
      if (sample) {
        torch::Tensor pidx = torch::randint(pts, {bn, o.points}, gen, torch::kLong).to(device);
        coords = grid.index_select(0, pidx.reshape({-1})).reshape({bn, o.points, 2});
        t = target.gather(1, pidx);
      }
      const torch::Tensor z = code_of(param);
      torch::Tensor pred = decoder.forward(coords, z, o.amp ? model::Precision::kBf16Products : model::Precision::kFloat32);
      // Sum over maps of each map's own loss, so each code's gradient is its map's alone.
      torch::Tensor loss = ((pred - t).pow(2).mean(1) + o.lambda * z.pow(2).sum(1)).sum();
      adam.zero_grad();
      loss.backward();
      adam.step();
      if (check) {
        torch::NoGradGuard ng;
        param.copy_(torch::where(done.unsqueeze(1), frozen, param));
      }
    }
    torch::Tensor final = code_of(torch::where(done.unsqueeze(1), frozen, param.detach())).detach();
    // Never worse than the start: a map whose fitted code decodes worse on the full grid keeps it.
    const torch::Tensor worse = full_mse(decoder, grid, final, target).gt(full_mse(decoder, grid, first, target));
    out.narrow(0, b0, bn).copy_(torch::where(worse.unsqueeze(1), first, final));
  }
  std::size_t k = 0;
  for (auto& p : decoder.parameters()) p.set_requires_grad(was[k++]);
  return out;
}

torch::Tensor codes_for_maps(const model::LoadedModel& model, const data::Dataset& data, const EncodeOptions& o,
                             std::vector<std::int64_t>* trained_row) {
  o.validate("encode");
  data::check_dataset(data, "encode");
  const torch::Device device = model.latents.device();
  std::map<std::string, std::int64_t> trained;
  if (model.meta.contains("maps"))
    for (const auto& m : model.meta.at("maps"))
      if (data::is_trained_entry(m)) trained[m.at("hash").get<std::string>()] = m.at("latent").get<std::int64_t>();
  const std::int64_t n = data.size(), pts = data.maps.h * data.maps.w, d = model.decoder->options().latent_dim;
  std::vector<std::int64_t> row(static_cast<std::size_t>(n), -1);
  std::vector<std::int64_t> held;
  for (std::int64_t i = 0; i < n; ++i) {
    auto it = trained.find(data::map_hash(data.maps.map(i), data.maps.map_size()));
    if (it != trained.end() && it->second >= 0 && it->second < model.latents.size(0)) row[static_cast<std::size_t>(i)] = it->second;
    else held.push_back(i);
  }
  torch::Tensor z = torch::zeros({n, d}, torch::TensorOptions().device(device));
  for (std::int64_t i = 0; i < n; ++i)
    if (row[static_cast<std::size_t>(i)] >= 0) z[i].copy_(model.latents[row[static_cast<std::size_t>(i)]]);
  if (!held.empty()) {
    const codec::Normalisation norm{model.vmin, model.vmax};
    torch::Tensor targets = torch::empty({static_cast<std::int64_t>(held.size()), pts});
    float* t = targets.data_ptr<float>();
    for (std::size_t k = 0; k < held.size(); ++k) {
      const float* m = data.maps.map(held[k]);
      for (std::int64_t p = 0; p < pts; ++p) t[static_cast<std::int64_t>(k) * pts + p] = norm.to_unit(m[p]);
    }
    targets = targets.to(device);
    // Under MPI, rank r encodes the held-out maps k ≡ r (mod K), and every rank gets every code.
    const int ranks = dist::size(), rank = dist::rank();
    std::vector<std::vector<std::int64_t>> places(static_cast<std::size_t>(ranks));  // held-map k on rank k mod K
    for (std::size_t k = 0; k < held.size(); ++k) places[k % static_cast<std::size_t>(ranks)].push_back(static_cast<std::int64_t>(k));
    const std::vector<std::int64_t>& mine = places[static_cast<std::size_t>(rank)];
    torch::Tensor enc = torch::zeros({0, d});
    if (!mine.empty()) {
      const torch::Tensor tk = ranks > 1 ? targets.index_select(0, torch::tensor(mine, torch::kLong).to(device)) : targets;
      const torch::Tensor start = initial_codes(*model.decoder, model.latents, tk, data.maps.h, data.maps.w, o.init);
      // With a linear path the codes' scales differ by decades (PCA coefficients): Adam moves each
      // code in units of its spread over the trained maps.
      const torch::Tensor scale =
          model.decoder->options().linear_path && model.latents.size(0) > 1 ? code_spread(model.latents) : torch::Tensor();
      enc = encode_maps(*model.decoder, tk, data.maps.h, data.maps.w, start, o, nullptr, scale).to(torch::kCPU).contiguous();
    }
    if (ranks > 1) {
      std::vector<float> all = dist::allgather_rows({enc.data_ptr<float>(), enc.data_ptr<float>() + enc.numel()},
                                                    static_cast<std::size_t>(d), places, held.size());
      enc = torch::from_blob(all.data(), {static_cast<std::int64_t>(held.size()), d}, torch::kFloat).clone();
    }
    z.index_copy_(0, torch::tensor(held, torch::kLong).to(device), enc.to(device));
  }
  if (trained_row) *trained_row = row;
  return z;
}

}  // namespace seisinr::encode
