// seisinr/model/sine_layer.cpp — see sine_layer.h.
#include "seisinr/model/sine_layer.h"

#include <ATen/Parallel.h>
#include <torch/csrc/autograd/custom_function.h>
#include <torch/torch.h>

#include "seisinr/model/fast_sine.h"

namespace seisinr::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

// u ← ω0 (u + bias) (bias may be undefined: already added); y ← sin(u). u, y: (rows, cols).
void scale_and_sine(torch::Tensor& u, const torch::Tensor& bias, double omega0, torch::Tensor& y) {
  const std::int64_t rows = u.size(0), cols = u.size(1);
  float* up = u.data_ptr<float>();
  float* yp = y.data_ptr<float>();
  const float* bp = bias.defined() ? bias.data_ptr<float>() : nullptr;
  const float w0 = static_cast<float>(omega0);
  at::parallel_for(0, rows, std::max<std::int64_t>(1, 32768 / cols), [&](std::int64_t r0, std::int64_t r1) {
    for (std::int64_t r = r0; r < r1; ++r) {
      float* ur = up + r * cols;
      float* yr = yp + r * cols;
      if (bp)
        for (std::int64_t c = 0; c < cols; ++c) ur[c] = (ur[c] + bp[c]) * w0;
      else
        for (std::int64_t c = 0; c < cols; ++c) ur[c] *= w0;
      for (std::int64_t c = 0; c < cols; ++c) yr[c] = fast_sin(ur[c]);
    }
  });
}

// g ← ω0 cos(u) ⊙ grad, all (n) contiguous float32.
torch::Tensor sine_grad(const torch::Tensor& u, const torch::Tensor& grad, double omega0) {
  torch::Tensor gc = grad.to(torch::kFloat).contiguous();
  torch::Tensor g = torch::empty_like(u);
  const float* up = u.data_ptr<float>();
  const float* gp = gc.data_ptr<float>();
  float* out = g.data_ptr<float>();
  const float w0 = static_cast<float>(omega0);
  at::parallel_for(0, u.numel(), 32768, [&](std::int64_t i0, std::int64_t i1) {
    for (std::int64_t i = i0; i < i1; ++i) out[i] = w0 * fast_cos(up[i]) * gp[i];
  });
  return g;
}

// y = sin(u) after u ← ω0 (u + bias) (bias undefined: already added); u is (rows, cols) with
// any leading shape flattened into rows. The fast kernel on the CPU, libtorch's elsewhere.
torch::Tensor sine_forward(torch::Tensor& u, const torch::Tensor& bias, double omega0) {
  if (!u.is_cpu()) {
    if (bias.defined()) u.add_(bias);
    u.mul_(omega0);
    return torch::sin(u);
  }
  torch::Tensor y = torch::empty_like(u);
  torch::Tensor flat = u.view({-1, u.size(-1)}), yf = y.view({-1, u.size(-1)});
  scale_and_sine(flat, bias.defined() ? bias.contiguous() : torch::Tensor(), omega0, yf);
  return y;
}

// ∂L/∂(pre) = ω0 cos(u) ⊙ ∂L/∂y for u = ω0 · pre, on any device.
torch::Tensor sine_backward(const torch::Tensor& u, const torch::Tensor& grad, double omega0) {
  return u.is_cpu() ? sine_grad(u, grad, omega0) : torch::cos(u).mul_(grad).mul_(omega0);
}

// ω0 travels from forward to backward as a scalar in the context (libtorch's saved_data); one
// place writes and reads it for both functions below.
constexpr const char* kOmega0Key = "omega0";
void save_omega0(AutogradContext* ctx, double omega0) { ctx->saved_data[kOmega0Key] = omega0; }
double saved_omega0(AutogradContext* ctx) { return ctx->saved_data.at(kOmega0Key).toDouble(); }

struct SineLayerFn : public torch::autograd::Function<SineLayerFn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, double omega0, bool amp) {
    // In amp the bf16 copy of x is what backward multiplies with: keep it instead of x (half the
    // memory, and no second conversion).
    const torch::Tensor xin = amp ? x.to(torch::kBFloat16) : x;
    torch::Tensor u = amp ? torch::mm(xin, weight.to(torch::kBFloat16).t()).to(torch::kFloat).contiguous()
                          : torch::addmm(bias, x, weight.t()).contiguous();
    const torch::Tensor y = sine_forward(u, amp ? bias : torch::Tensor(), omega0);
    ctx->save_for_backward({xin, weight, u});
    save_omega0(ctx, omega0);
    ctx->saved_data["amp"] = amp;
    return y;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& weight = saved[1];
    const torch::Tensor& u = saved[2];
    const double omega0 = saved_omega0(ctx);
    const bool amp = ctx->saved_data["amp"].toBool();
    const torch::Tensor g = sine_backward(u, grads[0], omega0);
    // In amp, g is rounded to bf16 once for both products.
    const torch::Tensor gp = amp ? g.to(torch::kBFloat16) : g;
    torch::Tensor gx, gw, gb;
    if (ctx->needs_input_grad(0)) gx = amp ? torch::mm(gp, weight.to(torch::kBFloat16)).to(torch::kFloat) : torch::mm(g, weight);
    if (ctx->needs_input_grad(1)) gw = amp ? torch::mm(gp.t(), x).to(torch::kFloat) : torch::mm(g.t(), x);
    if (ctx->needs_input_grad(2)) gb = g.sum(0);
    return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
  }
};

struct SineFn : public torch::autograd::Function<SineFn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& pre, double omega0) {
    torch::Tensor u = pre.contiguous().clone();
    const torch::Tensor y = sine_forward(u, torch::Tensor(), omega0);
    ctx->save_for_backward({u});
    save_omega0(ctx, omega0);
    return y;
  }
  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const torch::Tensor u = ctx->get_saved_variables()[0];
    return {sine_backward(u, grads[0], saved_omega0(ctx)), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor sine(const torch::Tensor& pre, double omega0) {
  if (pre.scalar_type() != torch::kFloat) return torch::sin(pre * omega0);
  return SineFn::apply(pre, omega0);
}

torch::Tensor sine_layer(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, double omega0,
                         bool amp) {
  return SineLayerFn::apply(x, weight, bias, omega0, amp);
}

}  // namespace seisinr::model
