// bench/matmul_rate.cpp — this machine's matrix-product rate at the shapes SIREN training uses,
// for the FLOP floor in docs/performance.md.
//
// For each hidden width H and precision (float32, bfloat16 products as --amp runs them), times
// the three products of one hidden layer's training step on R = rows points:
//   forward  (R×H)·(H×H),  backward input (R×H)·(H×H),  backward weight (H×R)·(R×H)
// each 2·R·H² FLOPs, median of 7 repetitions after a warm-up. Prints JSON.
//
// Usage: matmul_rate [--threads N] [--rows R] [--hidden 256,512]
#include <ATen/Parallel.h>
#include <torch/types.h>
#include <torch/utils.h>  // NoGradGuard

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  int threads = 1;
  std::int64_t rows = 16384;
  std::vector<std::int64_t> widths = {256, 512};
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rows")) rows = std::atoll(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--hidden")) {
      widths.clear();
      std::stringstream ss(argv[i + 1]);
      for (std::string t; std::getline(ss, t, ',');) widths.push_back(std::stoll(t));
    } else {
      std::fprintf(stderr, "usage: matmul_rate [--threads N] [--rows R] [--hidden 256,512]\n");
      return 2;
    }
  }
  at::set_num_threads(threads);
  torch::NoGradGuard ng;
  std::printf("{\"threads\": %d, \"rows\": %lld, \"results\": [", threads, static_cast<long long>(rows));
  bool first = true;
  for (std::int64_t h : widths) {
    for (bool bf16 : {false, true}) {
      const auto dt = bf16 ? torch::kBFloat16 : torch::kFloat;
      torch::Tensor x = torch::randn({rows, h}).to(dt), w = torch::randn({h, h}).to(dt), g = torch::randn({rows, h}).to(dt);
      auto step = [&] {
        torch::Tensor a = torch::mm(x, w.t());
        torch::Tensor b = torch::mm(g, w);
        torch::Tensor c = torch::mm(g.t(), x);
        return a.sum().item<float>() + b.sum().item<float>() + c.sum().item<float>();
      };
      step();
      std::vector<double> secs;
      for (int r = 0; r < 7; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        step();
        secs.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      }
      std::sort(secs.begin(), secs.end());
      const double flops = 3.0 * 2.0 * static_cast<double>(rows) * static_cast<double>(h * h);
      std::printf("%s{\"hidden\": %lld, \"dtype\": \"%s\", \"seconds\": %.6f, \"gflops\": %.2f}", first ? "" : ", ",
                  static_cast<long long>(h), bf16 ? "bfloat16" : "float32", secs[3], flops / secs[3] / 1e9);
      first = false;
    }
  }
  std::printf("]}\n");
  return 0;
}
