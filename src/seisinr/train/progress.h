// seisinr/train/progress.h — progress on stderr for long work. Torch-free.
//
// On a terminal: one live line rewritten in place. Otherwise (a log file, CI): a plain line at
// most every `interval_s` seconds, plus the first and last update, so logs stay short.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>
#include <string>

namespace seisinr::train {

class Progress {
 public:
  Progress(std::string what, std::int64_t total, std::ostream& out, double interval_s = 10.0);
  // `done` units of `total` finished; `fields` is appended ("loss 1.2e-3 psnr 24.1 ...").
  void update(std::int64_t done, const std::string& fields);
  void finish(const std::string& message);

 private:
  std::string what_;
  std::int64_t total_;
  std::ostream& out_;
  double interval_s_;
  bool live_;
  std::chrono::steady_clock::time_point start_, last_;
  bool printed_ = false;
};

std::string format_duration(double seconds);  // "1h02m", "3m05s", "12.3s"

}  // namespace seisinr::train
