// seisinr/model/sine_layer.cpp — see sine_layer.h.
#include "seisinr/model/sine_layer.h"

#include <torch/csrc/autograd/custom_function.h>
#include <torch/torch.h>

namespace seisinr::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::tensor_list;

torch::Tensor product(const torch::Tensor& a, const torch::Tensor& b, bool amp) {
  if (!amp) return torch::mm(a, b);
  return torch::mm(a.to(torch::kBFloat16), b.to(torch::kBFloat16)).to(torch::kFloat);
}

struct SineLayerFn : public torch::autograd::Function<SineLayerFn> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& x, const torch::Tensor& weight,
                               const torch::Tensor& bias, double omega0, bool amp) {
    torch::Tensor u = amp ? product(x, weight.t(), true).add_(bias) : torch::addmm(bias, x, weight.t());
    u.mul_(omega0);
    torch::Tensor y = torch::sin(u);
    ctx->save_for_backward({x, weight, u});
    ctx->saved_data["omega0"] = omega0;
    ctx->saved_data["amp"] = amp;
    return y;
  }

  static tensor_list backward(AutogradContext* ctx, tensor_list grads) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& x = saved[0];
    const torch::Tensor& weight = saved[1];
    const torch::Tensor& u = saved[2];
    const double omega0 = ctx->saved_data["omega0"].toDouble();
    const bool amp = ctx->saved_data["amp"].toBool();
    torch::Tensor g = torch::cos(u).mul_(grads[0]).mul_(omega0);
    torch::Tensor gx, gw, gb;
    if (ctx->needs_input_grad(0)) gx = product(g, weight, amp);
    if (ctx->needs_input_grad(1)) gw = product(g.t(), x, amp);
    if (ctx->needs_input_grad(2)) gb = g.sum(0);
    return {gx, gw, gb, torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

torch::Tensor sine_layer(const torch::Tensor& x, const torch::Tensor& weight, const torch::Tensor& bias, double omega0,
                         bool amp) {
  return SineLayerFn::apply(x, weight, bias, omega0, amp);
}

}  // namespace seisinr::model
