// seisinr/interrupt.cpp — see interrupt.h.
#include "seisinr/interrupt.h"

#include <unistd.h>

#include <atomic>
#include <csignal>

namespace seisinr {
namespace {

std::atomic<int> g_signal{0};  // lock-free on every platform we build for: safe in a handler
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_stop_signal(int sig) {
  int expected = 0;
  if (!g_signal.compare_exchange_strong(expected, sig)) ::_exit(128 + sig);  // the second signal: now
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
