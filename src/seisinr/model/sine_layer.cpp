// seisinr/model/sine_layer.cpp — see sine_layer.h.
#include "seisinr/model/sine_layer.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/types.h>

#include <atomic>
#include <cstdlib>
#include <string>
#include <tuple>
#include <utility>

#include "seisinr/model/sine_cuda.h"
#include "seisinr/model/sine_kernels.h"

#ifdef SEISINR_CUDA_KERNELS
#include <c10/cuda/CUDAStream.h>
#endif

namespace seisinr::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;
using Pair = std::pair<torch::Tensor, torch::Tensor>;

constexpr std::int64_t kGrain = 32768;  // values per task of at::parallel_for

std::uint16_t* bf16_ptr(const torch::Tensor& t) { return reinterpret_cast<std::uint16_t*>(t.data_ptr<at::BFloat16>()); }

// With kCudaKernels a CUDA tensor's passes run as this build's kernels (model/sine_cuda.h), on
// libtorch's current stream; otherwise a tensor off the CPU goes through libtorch's elementwise
// operations. Without them the kernel calls sit in discarded `if constexpr` branches: never
// compiled into calls, never linked.
// SEISINR_CUDA_KERNELS=0 in the environment turns them off at run time (bench/gpu_check.sh times
// both).
#ifdef SEISINR_CUDA_KERNELS
constexpr bool kCudaKernels = true;
void* stream() { return c10::cuda::getCurrentCUDAStream().stream(); }
#else
constexpr bool kCudaKernels = false;
void* stream() { return nullptr; }
#endif
std::atomic<bool>& kernels_wanted() {
  static std::atomic<bool> on{[] {
    const char* e = std::getenv("SEISINR_CUDA_KERNELS");
    return e == nullptr || std::string(e) != "0";
  }()};
  return on;
}
bool on_kernels(const torch::Tensor& t) { return t.is_cuda() && kernels_wanted().load(); }

// Row ranges of a (rows, cols) array over libtorch's threads.
template <class F>
void for_rows(std::int64_t rows, std::int64_t cols, F&& f) {
  at::parallel_for(0, rows, std::max<std::int64_t>(1, kGrain / std::max<std::int64_t>(cols, 1)),
                   [&](std::int64_t r0, std::int64_t r1) { f(r0, r1 - r0); });
}
template <class F>
void for_values(std::int64_t n, F&& f) {
  at::parallel_for(0, n, kGrain, [&](std::int64_t i0, std::int64_t i1) { f(i0, i1 - i0); });
}

// Column sums over rows, deterministic for any thread count: f(r0, nr, acc) adds rows
// [r0, r0 + nr) into acc (cols floats, zeroed) for fixed blocks of rows, and the blocks' sums are
// added in order. Returns (1, cols) float32.
template <class F>
torch::Tensor block_column_sums(std::int64_t rows, std::int64_t cols, const torch::TensorOptions& opts, F&& f) {
  constexpr std::int64_t kBlock = 2048;
  const std::int64_t blocks = (rows + kBlock - 1) / kBlock;
  torch::Tensor partial = torch::zeros({std::max<std::int64_t>(blocks, 1), cols}, opts.dtype(torch::kFloat));
  float* pp = partial.data_ptr<float>();
  at::parallel_for(0, blocks, 1, [&](std::int64_t b0, std::int64_t b1) {
    for (std::int64_t k = b0; k < b1; ++k) f(k * kBlock, std::min(kBlock, rows - k * kBlock), pp + k * cols);
  });
  return partial.sum(0, true);
}

// ---- float32 storage -----------------------------------------------------------------------

// y = sin a for a = ω0 (u + bias) (bias undefined: already added), and u ← ω0 cos a, the
// derivative backward needs (so backward needs no ω0). u is contiguous with any leading shape
// flattened into rows.
torch::Tensor sine_forward(torch::Tensor& u, const torch::Tensor& bias, double omega0) {
  if (!u.is_cpu()) {
    if (bias.defined()) u.add_(bias);
    u.mul_(omega0);
    torch::Tensor y = torch::sin(u);
    u.cos_().mul_(omega0);
    return y;
  }
  torch::Tensor y = torch::empty_like(u);
  const std::int64_t cols = u.size(-1), rows = u.numel() / cols;
  const torch::Tensor b = bias.defined() ? bias.contiguous() : torch::Tensor();
  float* up = u.data_ptr<float>();
  float* yp = y.data_ptr<float>();
  const float* bp = b.defined() ? b.data_ptr<float>() : nullptr;
  for_rows(rows, cols, [&](std::int64_t r0, std::int64_t nr) {
    kernels::sine_f32(up + r0 * cols, bp, static_cast<float>(omega0), yp + r0 * cols, nr, cols);
  });
  return y;
}

// ---- bfloat16 storage ----------------------------------------------------------------------

// From the bf16 product u (rows, cols) and the float32 bias: y = bf16(sin a), d = bf16(ω0 cos a),
// a = ω0 (u + bias) in float32.
// (With the CUDA kernels a GPU's hidden layer never comes here: SineLayerBf16Fn keeps u instead.)
Pair sine_forward_bf16(const torch::Tensor& u, const torch::Tensor& bias, double omega0) {
  if (!u.is_cpu()) {
    const torch::Tensor a = (u.to(torch::kFloat) + bias) * omega0;
    return {torch::sin(a).to(torch::kBFloat16), (torch::cos(a) * omega0).to(torch::kBFloat16)};
  }
  torch::Tensor y = torch::empty_like(u), d = torch::empty_like(u);
  const torch::Tensor b = bias.contiguous();
  const std::int64_t cols = u.size(1);
  const std::uint16_t* up = bf16_ptr(u);
  const float* bp = b.data_ptr<float>();
  std::uint16_t *yp = bf16_ptr(y), *dp = bf16_ptr(d);
  for_rows(u.size(0), cols, [&](std::int64_t r0, std::int64_t nr) {
    kernels::sine_bf16(up + r0 * cols, bp, static_cast<float>(omega0), yp + r0 * cols, dp + r0 * cols, nr, cols);
  });
  return {y, d};
}

// From float32 pre-activations (contiguous, any shape): y = bf16(sin ω0 pre), d = bf16(ω0 cos ω0 pre).
Pair sine_forward_f32_to_bf16(const torch::Tensor& pre, double omega0) {
  if constexpr (kCudaKernels) if (on_kernels(pre)) {
    auto opts = pre.options().dtype(torch::kBFloat16);
    torch::Tensor y = torch::empty(pre.sizes(), opts), d = torch::empty(pre.sizes(), opts);
    cuda::sine_from_f32_bf16(pre.data_ptr<float>(), static_cast<float>(omega0), bf16_ptr(y), bf16_ptr(d), pre.numel(), stream());
    return {y, d};
  }
  if (!pre.is_cpu()) {
    const torch::Tensor a = pre * omega0;
    return {torch::sin(a).to(torch::kBFloat16), (torch::cos(a) * omega0).to(torch::kBFloat16)};
  }
  auto opts = pre.options().dtype(torch::kBFloat16);
  torch::Tensor y = torch::empty(pre.sizes(), opts), d = torch::empty(pre.sizes(), opts);
  const float* pp = pre.data_ptr<float>();
  std::uint16_t *yp = bf16_ptr(y), *dp = bf16_ptr(d);
  for_values(pre.numel(), [&](std::int64_t i0, std::int64_t n) {
    kernels::sine_from_f32_bf16(pp + i0, static_cast<float>(omega0), yp + i0, dp + i0, n);
  });
  return {y, d};
}

// The first layer's backward with bf16 storage: d ⊙ grad in float32.
torch::Tensor times_derivative(const torch::Tensor& d, const torch::Tensor& grad) {
  if constexpr (kCudaKernels) if (on_kernels(d)) {
    const torch::Tensor gc = grad.to(torch::kBFloat16).contiguous();
    torch::Tensor g = torch::empty(d.sizes(), d.options().dtype(torch::kFloat));
    cuda::mul_bf16_to_f32(bf16_ptr(d), bf16_ptr(gc), g.data_ptr<float>(), d.numel(), stream());
    return g;
  }
  if (!d.is_cpu()) return d.to(torch::kFloat) * grad.to(torch::kFloat);
  const torch::Tensor gc = grad.to(torch::kBFloat16).contiguous();
  torch::Tensor g = torch::empty(d.sizes(), d.options().dtype(torch::kFloat));
  const std::uint16_t *dp = bf16_ptr(d), *gp = bf16_ptr(gc);
  float* out = g.data_ptr<float>();
  for_values(d.numel(), [&](std::int64_t i0, std::int64_t n) { kernels::mul_bf16_to_f32(dp + i0, gp + i0, out + i0, n); });
  return g;
}

// A hidden layer's backward with bf16 storage: g = bf16(d ⊙ grad) and its column sums (the bias
// gradient, float32) in one pass. (Not on the CUDA kernels' path, which recomputes d.)
Pair times_derivative_with_sums(const torch::Tensor& d, const torch::Tensor& grad) {
  if (!d.is_cpu()) {
    const torch::Tensor g = times_derivative(d, grad).to(torch::kBFloat16);
    return {g, torch::sum(g, {0}, false, torch::kFloat)};
  }
  const torch::Tensor gc = grad.to(torch::kBFloat16).contiguous();
  torch::Tensor g = torch::empty_like(d);
  const std::int64_t rows = d.size(0), cols = d.size(1);
  const std::uint16_t *dp = bf16_ptr(d), *gp = bf16_ptr(gc);
  std::uint16_t* out = bf16_ptr(g);
  torch::Tensor sums = block_column_sums(rows, cols, d.options(), [&](std::int64_t r0, std::int64_t nr, float* acc) {
    kernels::mul_bf16_colsum(dp + r0 * cols, gp + r0 * cols, out + r0 * cols, acc, nr, cols);
  });
  return {g, sums.view({cols})};
}

// Hidden layer, float32 activations (products in bf16 when amp).
struct SineLayerFn : public torch::autograd::Function<SineLayerFn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, double omega0, bool amp) {
    // In amp the bf16 copy of x is what backward multiplies with: keep it instead of x (half the
    // memory, and no second conversion).
    const torch::Tensor xin = amp ? x.to(torch::kBFloat16) : x;
    torch::Tensor u = amp ? torch::mm(xin, weight.to(torch::kBFloat16).t()).to(torch::kFloat).contiguous()
                          : torch::addmm(bias, x, weight.t()).contiguous();
    const torch::Tensor y = sine_forward(u, amp ? bias : torch::Tensor(), omega0);  // u is now ω0 cos(a)
    ctx->save_for_backward({xin, weight, u});
    return y;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& weight = saved[1];
    const bool amp = x.scalar_type() == torch::kBFloat16;  // forward kept x's bf16 copy
    const torch::Tensor g = saved[2] * grads[0].to(torch::kFloat);  // ω0 cos(a) ⊙ ∂L/∂y
    // In amp, g is rounded to bf16 once for both products.
    const torch::Tensor gp = amp ? g.to(torch::kBFloat16) : g;
    torch::Tensor gx, gw, gb;
    if (ctx->needs_input_grad(0)) gx = amp ? torch::mm(gp, weight.to(torch::kBFloat16)).to(torch::kFloat) : torch::mm(g, weight);
    if (ctx->needs_input_grad(1)) gw = amp ? torch::mm(gp.t(), x).to(torch::kFloat) : torch::mm(g.t(), x);
    if (ctx->needs_input_grad(2)) gb = g.sum(0);
    return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
  }
};

// Hidden layer, bf16 activations: x and y bf16; saves x and d = ω0 cos(a) (bf16). With the CUDA
// kernels it saves the product u and the bias instead and recomputes d in backward: forward
// writes y alone (a third fewer bytes), and d is not rounded to bf16 before the product.
struct SineLayerBf16Fn : public torch::autograd::Function<SineLayerBf16Fn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, double omega0) {
    const torch::Tensor xb = x.to(torch::kBFloat16).contiguous();
    const torch::Tensor u = torch::mm(xb, weight.to(torch::kBFloat16).t()).contiguous();
    if constexpr (kCudaKernels) if (on_kernels(u)) {
      const torch::Tensor b = bias.contiguous();
      torch::Tensor y = torch::empty_like(u);
      cuda::sine_bf16(bf16_ptr(u), b.data_ptr<float>(), static_cast<float>(omega0), bf16_ptr(y), u.size(0), u.size(1), stream());
      ctx->save_for_backward({xb, weight, u, b});
      ctx->saved_data["omega0"] = omega0;
      return y;
    }
    auto [y, d] = sine_forward_bf16(u, bias, omega0);
    ctx->save_for_backward({xb, weight, d});
    return y;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& weight = saved[1];
    // g in bf16, used by both products; the bias gradient from the same pass (on the CPU).
    torch::Tensor g, gb;
    if constexpr (kCudaKernels) if (saved.size() == 4) {  // the CUDA kernels' form: d from the product u
      const torch::Tensor& u = saved[2];
      const torch::Tensor gc = grads[0].to(torch::kBFloat16).contiguous();
      g = torch::empty_like(u);
      cuda::sine_backward_bf16(bf16_ptr(u), saved[3].data_ptr<float>(), static_cast<float>(ctx->saved_data["omega0"].toDouble()),
                               bf16_ptr(gc), bf16_ptr(g), u.size(0), u.size(1), stream());
      gb = torch::sum(g, {0}, false, torch::kFloat);
    }
    if (!g.defined()) std::tie(g, gb) = times_derivative_with_sums(saved[2], grads[0]);
    torch::Tensor gx, gw;
    if (ctx->needs_input_grad(0)) gx = torch::mm(g, weight.to(torch::kBFloat16));
    if (ctx->needs_input_grad(1)) gw = torch::mm(g.t(), x).to(torch::kFloat);
    if (!ctx->needs_input_grad(2)) gb = torch::Tensor();
    return {gx, gw, gb, torch::Tensor()};
  }
};

// The first layer of a global code on the CUDA kernels: y = bf16(sin ω0 (pp[p] + pm[m])) for
// every map m and point p, the (maps × points × width) argument never stored; saves the two
// small parts and recomputes cos in backward. ∂L/∂pp and ∂L/∂pm are g's sums over maps and
// over points (float32 accumulation).
struct SineBroadcastBf16Fn : public torch::autograd::Function<SineBroadcastBf16Fn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& per_point, const torch::Tensor& per_map, double omega0) {
    const torch::Tensor pp = per_point.contiguous(), pm = per_map.contiguous();
    const std::int64_t maps = pm.size(0), points = pp.size(0), cols = pp.size(1);
    torch::Tensor y = torch::empty({maps, points, cols}, pp.options().dtype(torch::kBFloat16));
    cuda::sine_broadcast_bf16(pp.data_ptr<float>(), pm.data_ptr<float>(), static_cast<float>(omega0), nullptr, bf16_ptr(y), maps,
                              points, cols, stream());
    ctx->save_for_backward({pp, pm});
    ctx->saved_data["omega0"] = omega0;
    return y;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor &pp = saved[0], &pm = saved[1];
    const torch::Tensor gc = grads[0].to(torch::kBFloat16).contiguous();
    torch::Tensor g = torch::empty_like(gc);
    cuda::sine_broadcast_bf16(pp.data_ptr<float>(), pm.data_ptr<float>(), static_cast<float>(ctx->saved_data["omega0"].toDouble()),
                              bf16_ptr(gc), bf16_ptr(g), pm.size(0), pp.size(0), pp.size(1), stream());
    return {torch::sum(g, {0}, false, torch::kFloat), torch::sum(g, {1}, false, torch::kFloat), torch::Tensor()};
  }
};

// First-layer activation, float32 in and out; saves d = ω0 cos(a).
struct SineFn : public torch::autograd::Function<SineFn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& pre, double omega0) {
    torch::Tensor d = pre.contiguous().clone();
    const torch::Tensor y = sine_forward(d, torch::Tensor(), omega0);
    ctx->save_for_backward({d});
    return y;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    return {ctx->get_saved_variables()[0] * grads[0].to(torch::kFloat), torch::Tensor()};
  }
};

// First-layer activation, float32 in, bf16 out; saves d = ω0 cos(a) (bf16).
struct SineBf16Fn : public torch::autograd::Function<SineBf16Fn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& pre, double omega0) {
    auto [y, d] = sine_forward_f32_to_bf16(pre.contiguous(), omega0);
    ctx->save_for_backward({d});
    return y;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    return {times_derivative(ctx->get_saved_variables()[0], grads[0]), torch::Tensor()};
  }
};

// Output unit on bf16 activations, float32 accumulation.
struct OutputBf16Fn : public torch::autograd::Function<OutputBf16Fn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias) {
    const torch::Tensor xb = x.to(torch::kBFloat16).contiguous();
    ctx->save_for_backward({xb, weight});
    if constexpr (kCudaKernels) if (on_kernels(xb)) {
      const torch::Tensor w = weight.contiguous(), b = bias.contiguous();
      torch::Tensor out = torch::empty({xb.size(0), 1}, w.options());
      cuda::dot_rows_bf16(bf16_ptr(xb), w.data_ptr<float>(), b.data_ptr<float>(), out.data_ptr<float>(), xb.size(0), xb.size(1),
                          stream());
      return out;
    }
    if (!xb.is_cpu()) return torch::addmm(bias, xb.to(torch::kFloat), weight.t());
    const torch::Tensor w = weight.contiguous();
    const std::int64_t cols = xb.size(1);
    torch::Tensor out = torch::empty({xb.size(0), 1}, w.options());
    const float b = bias.item<float>();
    const std::uint16_t* xp = bf16_ptr(xb);
    const float* wp = w.data_ptr<float>();
    float* op = out.data_ptr<float>();
    for_rows(xb.size(0), cols, [&](std::int64_t r0, std::int64_t nr) {
      kernels::dot_rows_bf16(xp + r0 * cols, wp, b, op + r0, nr, cols);
    });
    return out;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor w = saved[1].contiguous();
    const torch::Tensor g = grads[0].to(torch::kFloat).contiguous();  // (N, 1)
    const torch::Tensor gb = g.sum(0);
    if constexpr (kCudaKernels) if (on_kernels(x)) {  // ∂L/∂w through the bf16 product (float32 accumulation), as the hidden layers'
      torch::Tensor gx = torch::empty_like(x);
      cuda::outer_bf16(g.data_ptr<float>(), w.data_ptr<float>(), bf16_ptr(gx), x.size(0), x.size(1), stream());
      return {gx, torch::mm(g.t().to(torch::kBFloat16), x).to(torch::kFloat), gb};
    }
    if (!x.is_cpu()) return {(g * w).to(torch::kBFloat16), torch::mm(g.t(), x.to(torch::kFloat)), gb};
    const std::int64_t rows = x.size(0), cols = x.size(1);
    const std::uint16_t* xp = bf16_ptr(x);
    const float* gp = g.data_ptr<float>();
    const float* wp = w.data_ptr<float>();
    torch::Tensor gx = torch::empty_like(x);
    std::uint16_t* gxp = bf16_ptr(gx);
    for_rows(rows, cols, [&](std::int64_t r0, std::int64_t nr) {
      kernels::outer_bf16(gp + r0, wp, gxp + r0 * cols, nr, cols);
    });
    // ∂L/∂w = Σ_r g[r] x[r, :]
    torch::Tensor gw = block_column_sums(rows, cols, w.options(), [&](std::int64_t r0, std::int64_t nr, float* acc) {
      kernels::accumulate_rows_bf16(gp + r0, xp + r0 * cols, acc, nr, cols);
    });
    return {gx, gw, gb};
  }
};

}  // namespace

torch::Tensor sine(const torch::Tensor& pre, double omega0, Precision precision) {
  if (pre.scalar_type() != torch::kFloat) return torch::sin(pre * omega0);
  return precision == Precision::kBf16 ? SineBf16Fn::apply(pre, omega0) : SineFn::apply(pre, omega0);
}

bool cuda_kernels_built() { return kCudaKernels; }
void set_cuda_kernels(bool on) { kernels_wanted().store(on); }

torch::Tensor sine_broadcast(const torch::Tensor& per_point, const torch::Tensor& per_map, double omega0, Precision precision) {
  if constexpr (kCudaKernels)
    if (on_kernels(per_point) && precision == Precision::kBf16 && per_point.dim() == 2 && per_point.scalar_type() == torch::kFloat &&
        per_map.scalar_type() == torch::kFloat)
      return SineBroadcastBf16Fn::apply(per_point, per_map, omega0);
  return sine(per_point + per_map.unsqueeze(1), omega0, precision);
}

torch::Tensor sine_layer(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, double omega0,
                         Precision precision) {
  if (precision == Precision::kBf16) return SineLayerBf16Fn::apply(x, weight, bias, omega0);
  return SineLayerFn::apply(x, weight, bias, omega0, precision == Precision::kBf16Products);
}

torch::Tensor output_layer_bf16(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias) {
  return OutputBf16Fn::apply(x, weight, bias);
}

}  // namespace seisinr::model
