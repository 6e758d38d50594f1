// seisinr/optim/adam.cpp — see adam.h for the update.
#include "seisinr/optim/adam.h"

#include <ATen/ATen.h>

#include <cmath>

namespace seisinr::optim {

Adam::Adam(std::vector<Group> groups, double beta1, double beta2, double eps)
    : groups_(std::move(groups)), beta1_(beta1), beta2_(beta2), eps_(eps) {
  for (const auto& g : groups_)
    for (const auto& p : g.params) {
      m_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
      v_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
    }
}

void Adam::zero_grad() {
  std::vector<torch::Tensor> grads;
  for (auto& g : groups_)
    for (auto& p : g.params)
      if (p.grad().defined()) grads.push_back(p.mutable_grad());
  if (!grads.empty()) at::_foreach_zero_(grads);
}

// Each line below is one multi-tensor operation over a group's parameters (a few kernel launches
// on a GPU instead of several per tensor); on the CPU it runs the per-tensor operation it names,
// so the arithmetic is that of adam.h's formulas in that order, bit for bit.
void Adam::step(double lr_scale) {
  torch::NoGradGuard no_grad;
  ++step_;
  const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(step_));
  const double bc2_sqrt = std::sqrt(1.0 - std::pow(beta2_, static_cast<double>(step_)));
  std::size_t k = 0;
  for (auto& g : groups_) {
    std::vector<torch::Tensor> p, grad, m, v;
    for (auto& param : g.params) {
      const std::size_t i = k++;
      if (!param.grad().defined()) continue;
      p.push_back(param), grad.push_back(param.grad()), m.push_back(m_[i]), v.push_back(v_[i]);
    }
    if (p.empty()) continue;
    at::_foreach_mul_(m, beta1_);
    at::_foreach_add_(m, grad, 1.0 - beta1_);  // m ← β1 m + (1 − β1) g
    at::_foreach_mul_(v, beta2_);
    at::_foreach_addcmul_(v, grad, grad, 1.0 - beta2_);  // v ← β2 v + (1 − β2) g²
    std::vector<torch::Tensor> denom = at::_foreach_sqrt(v);
    at::_foreach_div_(denom, bc2_sqrt);
    at::_foreach_add_(denom, eps_);  // √v / √(1 − β2^t) + ε
    at::_foreach_addcdiv_(p, m, denom, -g.lr * lr_scale / bc1);
  }
}

}  // namespace seisinr::optim
