// seisinr/optim/progress.cpp — see progress.h.
#include "seisinr/optim/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace seisinr::optim {

std::string format_duration(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
  return buf;
}

Progress::Progress(std::string what, std::int64_t total, std::ostream& out, double interval_s, Pulse pulse)
    : what_(std::move(what)), total_(total), out_(out), interval_s_(interval_s),
      live_(&out == &std::cerr && ::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()), last_(start_) {
  if (pulse != Pulse::keep_alive || !(interval_s_ > 0)) return;
  pulse_ = std::thread([this] {
    const auto every = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(interval_s_));
    std::unique_lock<std::mutex> lock(mu_);
    while (!stopping_) {
      if (wake_.wait_until(lock, last_ + every, [this] { return stopping_; })) break;
      const auto now = std::chrono::steady_clock::now();
      if (now - last_ >= every) print(now);
    }
  });
}

Progress::~Progress() { stop(); }

void Progress::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (pulse_.joinable()) pulse_.join();
}

void Progress::update(std::int64_t done, const std::string& fields) {
  std::lock_guard<std::mutex> lock(mu_);
  done_ = done, fields_ = fields;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (!live_ && printed_ && since < interval_s_ && done < total_) return;
  print(now);
}

void Progress::print(std::chrono::steady_clock::time_point now) {
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double eta = done_ > 0 ? elapsed / static_cast<double>(done_) * static_cast<double>(total_ - done_) : 0.0;
  char head[96];
  std::snprintf(head, sizeof head, "%s %lld/%lld", what_.c_str(), static_cast<long long>(done_), static_cast<long long>(total_));
  std::string line = std::string(head) + "  " + fields_ + "  elapsed " + format_duration(elapsed) + "  eta " +
                     (done_ > 0 ? format_duration(eta) : std::string("?"));
  if (live_) out_ << "\r\033[K" << line << std::flush;
  else out_ << line << "\n" << std::flush;
  last_ = now;
  printed_ = true;
}

void Progress::finish(const std::string& message) {
  stop();
  std::lock_guard<std::mutex> lock(mu_);
  if (live_ && printed_) out_ << "\n";
  if (!message.empty()) out_ << message << "\n";
  out_ << std::flush;
}

}  // namespace seisinr::optim
