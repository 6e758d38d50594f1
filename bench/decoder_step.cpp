// bench/decoder_step.cpp — time one training step's forward and backward of the decoder alone,
// per precision, at a configuration's shapes: where the step's time goes, without data loading,
// sampling or the optimiser.
//
// Usage: decoder_step [--threads 2] [--hidden 256] [--layers 3] [--latent-dim 256] [--batch 32]
//                     [--points 490] [--reps 10] [--only fp32|products|bf16]
// Prints JSON: per precision the median milliseconds of forward and of backward, and the
// GFLOP/s of the hidden layers' products (6 L H² per point).
#include <ATen/Parallel.h>
#include <torch/types.h>
#include <torch/utils.h>  // manual_seed

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "seisinr/model/siren.h"
#include "seisinr/threads.h"

using seisinr::model::Precision;

int main(int argc, char** argv) {
  int threads = 2, reps = 10;
  seisinr::model::SirenOptions o;
  o.hidden = 256, o.layers = 3, o.latent_dim = 256, o.first_layer_init = seisinr::model::FirstLayerInit::coord_half;
  std::int64_t batch = 32, points = 490;
  std::string only;  // one precision only (for profiling)
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const long long v = std::atoll(argv[i + 1]);
    if (a == "--only") {
      only = argv[i + 1];
      continue;
    }
    if (a == "--threads") threads = static_cast<int>(v);
    else if (a == "--hidden") o.hidden = v;
    else if (a == "--layers") o.layers = v;
    else if (a == "--latent-dim") o.latent_dim = v;
    else if (a == "--batch") batch = v;
    else if (a == "--points") points = v;
    else if (a == "--reps") reps = static_cast<int>(v);
    else {
      std::fprintf(stderr, "decoder_step: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  at::set_num_threads(threads);
  // As training runs: freed memory kept (no page faults per step), OpenBLAS on one thread so its
  // idle pool does not spin against libtorch's while bf16 products run (src/seisinr/threads.h).
  seisinr::keep_freed_memory();
  seisinr::model::SirenDecoder d(o, 1);
  auto coords = torch::rand({batch, points, 2}) * 2 - 1;
  auto z = (torch::randn({batch, o.latent_dim}) * 0.01).set_requires_grad(true);
  auto target = torch::rand({batch, points}) * 2 - 1;
  const double flops = 6.0 * static_cast<double>(o.layers * o.hidden * o.hidden * batch * points);
  std::printf("{\"threads\": %d, \"hidden\": %lld, \"layers\": %lld, \"points_per_step\": %lld, \"results\": [", threads,
              static_cast<long long>(o.hidden), static_cast<long long>(o.layers), static_cast<long long>(batch * points));
  const char* sep = "";
  for (Precision p : {Precision::kFloat32, Precision::kBf16Products, Precision::kBf16}) {
    const std::string key = p == Precision::kFloat32 ? "fp32" : p == Precision::kBf16Products ? "products" : "bf16";
    if (!only.empty() && only != key) continue;
    std::vector<double> fwd, bwd;
    const seisinr::ScopedBlasThreads blas(p == Precision::kFloat32 ? threads : 1);
    constexpr int kWarmup = 2;  // the heap grows over the first steps (page faults)
    for (int r = 0; r < reps + kWarmup; ++r) {
      for (auto& t : d.parameters()) t.mutable_grad() = torch::Tensor();
      const auto t0 = std::chrono::steady_clock::now();
      auto loss = (d.forward(coords, z, p) - target).pow(2).mean();
      const auto t1 = std::chrono::steady_clock::now();
      loss.backward();
      const auto t2 = std::chrono::steady_clock::now();
      if (r < kWarmup) continue;
      fwd.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
      bwd.push_back(std::chrono::duration<double, std::milli>(t2 - t1).count());
    }
    std::sort(fwd.begin(), fwd.end());
    std::sort(bwd.begin(), bwd.end());
    const double f = fwd[fwd.size() / 2], b = bwd[bwd.size() / 2];
    std::printf("%s{\"precision\": \"%s\", \"forward_ms\": %.2f, \"backward_ms\": %.2f, \"hidden_gflops\": %.1f}", sep,
                seisinr::model::precision_name(p), f, b, flops / ((f + b) * 1e6));
    sep = ", ";
  }
  std::printf("]}\n");
}
