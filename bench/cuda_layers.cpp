// bench/cuda_layers.cpp — the fused sine layers on a GPU: the CUDA kernels (model/sine_cuda.h)
// against libtorch's elementwise operations, and both against a float32 reference, on one batch
// of the paper configuration (512 x 4, d = 256, maps x all points of a 70 x 70 grid, bf16).
//
// Usage: cuda_layers [--maps 8] [--reps 10] [--device cuda|cpu]   (cpu: the CPU's bf16 path, as a yardstick)
// Prints JSON: for the kernels and for libtorch's operations, the relative L2 error of the output
// and of every parameter's and the codes' gradients against the float32 plain path (same weights,
// same batch), and the median milliseconds of forward + backward at --maps maps.
// Exits 1 without a CUDA device.
#include <torch/cuda.h>
#include <torch/types.h>
#include <torch/utils.h>  // manual_seed

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "seisinr/model/sine_layer.h"
#include "seisinr/model/siren.h"

using seisinr::model::Precision;

namespace {

struct Pass {
  torch::Tensor out;
  std::vector<torch::Tensor> grads;  // parameters, then the codes
};

Pass run(seisinr::model::SirenDecoder& d, const torch::Tensor& coords, const torch::Tensor& z, const torch::Tensor& target,
         Precision p) {
  for (auto& t : d.parameters()) t.mutable_grad() = torch::Tensor();
  z.mutable_grad() = torch::Tensor();
  Pass r;
  r.out = d.forward(coords, z, p);
  (r.out - target).pow(2).mean().backward();
  for (auto& t : d.parameters()) r.grads.push_back(t.grad().clone());
  r.grads.push_back(z.grad().clone());
  r.out = r.out.detach();
  return r;
}

double rel(const torch::Tensor& a, const torch::Tensor& ref) {
  return ((a.to(torch::kDouble) - ref.to(torch::kDouble)).norm() / ref.to(torch::kDouble).norm().clamp_min(1e-30)).item<double>();
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t maps = 8;
  int reps = 10;
  std::string device = "cuda";
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--maps") maps = std::atoll(argv[i + 1]);
    else if (a == "--reps") reps = std::atoi(argv[i + 1]);
    else if (a == "--device") device = argv[i + 1];
    else return std::fprintf(stderr, "cuda_layers: unknown option %s\n", argv[i]), 2;
  }
  if (device == "cuda" && !torch::cuda::is_available()) return std::fprintf(stderr, "cuda_layers: no CUDA device\n"), 1;
  const torch::Device dev(device == "cuda" ? torch::kCUDA : torch::kCPU);
  seisinr::model::SirenOptions o;  // the paper's decoder
  o.hidden = 512, o.layers = 4, o.latent_dim = 256;
  seisinr::model::SirenDecoder d(o, 1, dev);
  torch::manual_seed(3);
  const auto coords = seisinr::model::make_grid(70, 70, dev);
  auto z = (torch::randn({maps, o.latent_dim}) * 0.5).to(dev).set_requires_grad(true);
  const auto target = (torch::rand({maps, 4900}) * 2 - 1).to(dev);

  d.set_fused(false);
  const Pass ref = run(d, coords, z, target, Precision::kFloat32);
  d.set_fused(true);
  std::printf("{\"kernels_built\": %s, \"maps\": %lld, \"paths\": [", seisinr::model::cuda_kernels_built() ? "true" : "false",
              static_cast<long long>(maps));
  const char* sep = "";
  for (bool kernels : {true, false}) {
    seisinr::model::set_cuda_kernels(kernels);
    const Pass p = run(d, coords, z, target, Precision::kBf16);
    double worst = 0;
    std::string per;
    const auto names = d.named_parameters();
    for (std::size_t k = 0; k < p.grads.size(); ++k) {
      const double e = rel(p.grads[k], ref.grads[k]);
      worst = std::max(worst, e);
      per += std::string(k ? ", " : "") + "\"" + (k < names.size() ? names[k].first : std::string("codes")) + "\": " + std::to_string(e);
    }
    std::vector<double> ms;
    for (int r = 0; r < reps + 2; ++r) {
      if (dev.is_cuda()) torch::cuda::synchronize();
      const auto t0 = std::chrono::steady_clock::now();
      run(d, coords, z, target, Precision::kBf16);
      if (dev.is_cuda()) torch::cuda::synchronize();
      if (r >= 2) ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    }
    std::sort(ms.begin(), ms.end());
    std::printf("%s{\"path\": \"%s\", \"output_rel\": %.3e, \"worst_grad_rel\": %.3e, \"ms\": %.3f, \"grad_rel\": {%s}}", sep,
                kernels ? "cuda kernels" : "libtorch ops", rel(p.out, ref.out), worst, ms[ms.size() / 2], per.c_str());
    sep = ", ";
  }
  std::printf("]}\n");
}
