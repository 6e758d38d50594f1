// seisinr/train/progress.cpp — see progress.h.
#include "seisinr/train/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace seisinr::train {

std::string format_duration(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.1fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", static_cast<int>(s) / 3600, static_cast<int>(s) % 3600 / 60);
  return buf;
}

Progress::Progress(std::string what, std::int64_t total, std::ostream& out, double interval_s)
    : what_(std::move(what)), total_(total), out_(out), interval_s_(interval_s),
      live_(&out == &std::cerr && ::isatty(STDERR_FILENO)),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void Progress::update(std::int64_t done, const std::string& fields) {
  const auto now = std::chrono::steady_clock::now();
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (!live_ && printed_ && since < interval_s_ && done < total_) return;
  const double eta = done > 0 ? elapsed / static_cast<double>(done) * static_cast<double>(total_ - done) : 0.0;
  char head[96];
  std::snprintf(head, sizeof head, "%s %lld/%lld", what_.c_str(), static_cast<long long>(done), static_cast<long long>(total_));
  std::string line = std::string(head) + "  " + fields + "  elapsed " + format_duration(elapsed) + "  eta " + format_duration(eta);
  if (live_) out_ << "\r\033[K" << line << std::flush;
  else out_ << line << "\n" << std::flush;
  last_ = now;
  printed_ = true;
}

void Progress::finish(const std::string& message) {
  if (live_ && printed_) out_ << "\n";
  if (!message.empty()) out_ << message << "\n";
  out_ << std::flush;
}

}  // namespace seisinr::train
