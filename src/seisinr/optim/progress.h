// seisinr/optim/progress.h — progress on stderr for long work. Torch-free.
//
// On a terminal: one live line rewritten in place. Otherwise (a log file, CI): a plain line at
// most every `interval_s` seconds, plus the first and last update, so logs stay short.
// With Pulse::keep_alive, a thread of its own also prints the last line again (with the time
// elapsed) whenever `interval_s` passes without an update, so a long unit of work (a chunk of 256
// tile fits, the first gradient of an inversion) still shows progress within `interval_s`; only
// for streams nothing else writes to meanwhile. update() and finish() may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <ostream>
#include <string>
#include <thread>

namespace seisinr::optim {

enum class Pulse { on_update, keep_alive };

class Progress {
 public:
  Progress(std::string what, std::int64_t total, std::ostream& out, double interval_s = 10.0, Pulse pulse = Pulse::on_update);
  ~Progress();  // stops the keep-alive thread
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;
  // `done` units of `total` finished; `fields` is appended ("loss 1.2e-3 psnr 24.1 ...").
  void update(std::int64_t done, const std::string& fields);
  void finish(const std::string& message);

 private:
  void print(std::chrono::steady_clock::time_point now);  // under mu_
  void stop();

  std::string what_;
  std::int64_t total_;
  std::ostream& out_;
  double interval_s_;
  bool live_;
  std::chrono::steady_clock::time_point start_, last_;
  bool printed_ = false;
  std::int64_t done_ = 0;
  std::string fields_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread pulse_;
};

std::string format_duration(double seconds);  // "1h02m", "3m05s", "12.3s"

}  // namespace seisinr::optim
