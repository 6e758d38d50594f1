// seisinr/optim/schedule.h — ReduceLROnPlateau, as PyTorch defines it (mode "min", threshold
// mode "rel", cooldown 0, min_lr 0; no eps floor), on one metric per epoch. Torch-free.
//
//   improved  ⇔ metric < best · (1 − threshold)
//   after more than `patience` epochs without improvement: scale ← scale · factor, count ← 0
// The scale multiplies every parameter group's base learning rate.
//
// Cosine (TrainOptions::lr_schedule = "cosine"): scale = ½ (1 + cos(π e / E)) in epoch e of E,
// from 1 at the start to near 0 in the last epoch; a function of the epoch alone, so a resumed
// run follows it exactly.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>

namespace seisinr::optim {

inline double cosine_scale(std::int64_t epoch, std::int64_t epochs) {
  return 0.5 * (1.0 + std::cos(M_PI * static_cast<double>(epoch) / static_cast<double>(epochs)));
}

class PlateauSchedule {
 public:
  PlateauSchedule(std::int64_t patience, double factor, double threshold)
      : patience_(patience), factor_(factor), threshold_(threshold) {}

  // Feeds one epoch's metric; returns true when the scale was just reduced.
  bool step(double metric) {
    if (metric < best_ * (1.0 - threshold_)) {
      best_ = metric;
      bad_epochs_ = 0;
    } else {
      ++bad_epochs_;
    }
    if (bad_epochs_ > patience_) {
      bad_epochs_ = 0;
      scale_ *= factor_;
      return true;
    }
    return false;
  }
  double scale() const { return scale_; }

  nlohmann::json state() const { return {{"best", best_}, {"bad_epochs", bad_epochs_}, {"scale", scale_}}; }
  void load(const nlohmann::json& s) {
    best_ = s.at("best").is_null() ? std::numeric_limits<double>::infinity() : s.at("best").get<double>();
    bad_epochs_ = s.at("bad_epochs").get<std::int64_t>();
    scale_ = s.at("scale").get<double>();
  }

 private:
  std::int64_t patience_;
  double factor_, threshold_;
  double best_ = std::numeric_limits<double>::infinity();
  std::int64_t bad_epochs_ = 0;
  double scale_ = 1.0;
};

}  // namespace seisinr::optim
