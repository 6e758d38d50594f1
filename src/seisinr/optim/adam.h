// seisinr/optim/adam.h — Adam (Kingma & Ba 2015) exactly as torch.optim.Adam computes it
// (weight decay 0, amsgrad off), with parameter groups and state that can be saved and restored:
//   m ← β1 m + (1 − β1) g;   v ← β2 v + (1 − β2) g²
//   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
// Our own rather than torch::optim::Adam so that checkpoints hold plain named tensors and the
// code is the same under libtorch 1.13 and 2.x.
#pragma once

#include <torch/types.h>

#include <vector>

namespace seisinr::optim {

class Adam {
 public:
  struct Group {
    std::vector<torch::Tensor> params;
    double lr;
  };
  explicit Adam(std::vector<Group> groups, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8);

  void zero_grad();
  // One update with each group's lr times `lr_scale`.
  void step(double lr_scale = 1.0);

  std::int64_t steps() const { return step_; }
  // First and second moments, one per parameter in group order.
  std::vector<torch::Tensor>& exp_avg() { return m_; }
  std::vector<torch::Tensor>& exp_avg_sq() { return v_; }
  void set_steps(std::int64_t s) { step_ = s; }
  const std::vector<Group>& groups() const { return groups_; }

 private:
  std::vector<Group> groups_;
  std::vector<torch::Tensor> m_, v_;
  double beta1_, beta2_, eps_;
  std::int64_t step_ = 0;
};

}  // namespace seisinr::optim
