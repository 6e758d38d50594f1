// seisinr/train/adam.cpp — see adam.h for the update.
#include "seisinr/train/adam.h"

#include <cmath>

namespace seisinr::train {

Adam::Adam(std::vector<Group> groups, double beta1, double beta2, double eps)
    : groups_(std::move(groups)), beta1_(beta1), beta2_(beta2), eps_(eps) {
  for (const auto& g : groups_)
    for (const auto& p : g.params) {
      m_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
      v_.push_back(torch::zeros_like(p, torch::MemoryFormat::Contiguous));
    }
}

void Adam::zero_grad() {
  for (auto& g : groups_)
    for (auto& p : g.params)
      if (p.grad().defined()) p.mutable_grad().zero_();
}

void Adam::step(double lr_scale) {
  torch::NoGradGuard no_grad;
  ++step_;
  const double bc1 = 1.0 - std::pow(beta1_, static_cast<double>(step_));
  const double bc2_sqrt = std::sqrt(1.0 - std::pow(beta2_, static_cast<double>(step_)));
  std::size_t k = 0;
  for (auto& g : groups_) {
    const double step_size = g.lr * lr_scale / bc1;
    for (auto& p : g.params) {
      auto& m = m_[k];
      auto& v = v_[k];
      ++k;
      const auto& grad = p.grad();
      if (!grad.defined()) continue;
      m.mul_(beta1_).add_(grad, 1.0 - beta1_);
      v.mul_(beta2_).addcmul_(grad, grad, 1.0 - beta2_);
      auto denom = (v.sqrt() / bc2_sqrt).add_(eps_);
      p.addcdiv_(m, denom, -step_size);
    }
  }
}

}  // namespace seisinr::train
