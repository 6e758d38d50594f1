// seisinr/interrupt.cpp — see interrupt.h.
#include "seisinr/interrupt.h"

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstring>

namespace seisinr {
namespace {

std::atomic<int> g_signal{0};  // lock-free on every platform we build for: safe in a handler
static_assert(std::atomic<int>::is_always_lock_free);

// Registered temporaries: a slot's path is written while it is free, then published by `used`;
// the handler reads only published slots and calls unlink, which is async-signal-safe.
constexpr int kSlots = 64;
constexpr std::size_t kPathMax = 4096;
char g_paths[kSlots][kPathMax];
std::atomic<bool> g_used[kSlots];
std::atomic<bool> g_taken[kSlots];  // claimed by a writer (set before the path is copied)

extern "C" void on_stop_signal(int sig) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, sig)) {  // the second signal: now, leaving no temporary
    for (int k = 0; k < kSlots; ++k)
      if (g_used[k].load()) ::unlink(g_paths[k]);
    ::_exit(128 + sig);
  }
  static const char msg[] = "\nseisinr: stopping after the current step (signal again to stop at once)\n";
  [[maybe_unused]] const auto n = ::write(STDERR_FILENO, msg, sizeof msg - 1);
}

}  // namespace

void install_stop_handlers() {
  struct sigaction sa = {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;  // interrupted reads and writes resume; the loops poll the flag
  ::sigaction(SIGINT, &sa, nullptr);
  ::sigaction(SIGTERM, &sa, nullptr);
}

int register_temporary(const std::string& path) {
  if (path.size() >= kPathMax) return -1;
  for (int k = 0; k < kSlots; ++k) {
    bool free = false;
    if (g_taken[k].compare_exchange_strong(free, true)) {
      std::memcpy(g_paths[k], path.c_str(), path.size() + 1);
      g_used[k].store(true);
      return k;
    }
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot < 0 || slot >= kSlots) return;
  g_used[slot].store(false);
  g_taken[slot].store(false);
}

bool stop_requested() { return g_signal.load(std::memory_order_relaxed) != 0; }
int stop_signal() { return g_signal.load(std::memory_order_relaxed); }
void request_stop() {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, SIGINT);
}
void clear_stop() { g_signal.store(0); }

int stop_exit_code() { return 128 + (stop_signal() ? stop_signal() : SIGINT); }
const char* stop_signal_name() { return stop_signal() == SIGTERM ? "SIGTERM" : "SIGINT"; }

void throw_if_stop_requested(const std::string& what) {
  if (stop_requested()) throw Interrupted(what + ": interrupted by " + stop_signal_name(), stop_exit_code());
}

}  // namespace seisinr
