// tests/test_interrupt.cpp — interrupt.h: the first SIGINT/SIGTERM only asks, the second ends
// the process at once with 128 + signal.
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <vector>

#include "seisinr/interrupt.h"
#include "seisinr/io/atomic_file.h"
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

// A second signal while an atomic writer is open (`timeout`'s SIGTERM then SIGKILL-like second
// signal, a double Ctrl-C) leaves neither the output nor its temporary (issue 27).
std::string g_out;
TEST(Interrupt, SecondSignalLeavesNoTemporary) {
  test::TempDir dir;
  g_out = dir.file("o.npy");
  EXPECT_EQ(child_status([] {
              install_stop_handlers();
              io::AtomicWriter w(g_out);
              const std::vector<char> bytes(3 << 20, 'x');  // past the writer's buffer: on disk already
              w.write(bytes.data(), bytes.size());
              ::raise(SIGTERM);
              ::raise(SIGTERM);
              ::_exit(15);
            }),
            143);
  EXPECT_FALSE(std::filesystem::exists(g_out));
  for (const auto& e : std::filesystem::directory_iterator(dir.path()))
    ADD_FAILURE() << "left behind: " << e.path();
  // A committed file is not touched by a later second signal.
  EXPECT_EQ(child_status([] {
              install_stop_handlers();
              {
                io::AtomicWriter w(g_out);
                w.write("abc", 3);
                w.commit();
              }
              ::raise(SIGINT);
              ::raise(SIGINT);
              ::_exit(15);
            }),
            130);
  EXPECT_EQ(std::filesystem::file_size(g_out), 3u);
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
