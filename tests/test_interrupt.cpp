// tests/test_interrupt.cpp — interrupt.h: the first SIGINT/SIGTERM only asks, the second ends
// the process at once with 128 + signal.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "seisinr/interrupt.h"
#include "test_util.h"

namespace seisinr {
namespace {

int child_status(void (*body)()) {
  const pid_t pid = ::fork();
  if (pid == 0) {
    body();
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

TEST(Interrupt, FirstSignalAsksAndLoopsThrowWithItsExitCode) {
  EXPECT_EQ(child_status([] {
              install_stop_handlers();
              if (stop_requested()) ::_exit(10);
              ::raise(SIGTERM);  // handled: the process goes on
              if (!stop_requested() || stop_signal() != SIGTERM || stop_exit_code() != 143) ::_exit(11);
              try {
                throw_if_stop_requested("encode");
              } catch (const Interrupted& e) {
                if (e.exit_code() != 143 || std::string(e.what()) != "encode: interrupted by SIGTERM") ::_exit(12);
                ::_exit(7);
              }
              ::_exit(13);
            }),
            7);
  EXPECT_EQ(child_status([] {
              install_stop_handlers();
              ::raise(SIGINT);
              ::_exit(stop_exit_code() == 130 && std::string(stop_signal_name()) == "SIGINT" ? 7 : 14);
            }),
            7);
}

TEST(Interrupt, SecondSignalExitsAtOnce) {
  EXPECT_EQ(child_status([] {
              install_stop_handlers();
              ::raise(SIGTERM);
              ::raise(SIGINT);  // the second: _exit(128 + SIGINT) inside the handler
              ::_exit(15);      // never reached
            }),
            130);
}

TEST(Interrupt, RequestStopFromTheLibraryAndClear) {
  clear_stop();
  EXPECT_FALSE(stop_requested());
  EXPECT_NO_THROW(throw_if_stop_requested("x"));
  request_stop();
  EXPECT_TRUE(stop_requested());
  EXPECT_EQ(stop_exit_code(), 130);
  EXPECT_THROW(throw_if_stop_requested("x"), Interrupted);
  clear_stop();
  EXPECT_FALSE(stop_requested());
}

}  // namespace
}  // namespace seisinr
