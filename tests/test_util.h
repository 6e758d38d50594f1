// tests/test_util.h — helpers shared by the test binaries: temporary folders, running the CLI
// and Python, and asserting that a call throws with a message containing given text.
#pragma once

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "seisinr/error.h"

namespace seisinr::test {

// A fresh folder under the system temp dir, removed with everything in it at scope exit.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("seisinr-test-" + std::to_string(rd()) + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

struct RunResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

inline RunResult run_command(const std::string& command) {
  RunResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// The per-epoch losses of a run folder's log.jsonl, in order.
inline std::vector<double> log_losses(const std::string& run_dir) {
  std::ifstream in(run_dir + "/log.jsonl");
  std::vector<double> out;
  for (std::string line; std::getline(in, line);) out.push_back(nlohmann::json::parse(line).at("loss").get<double>());
  return out;
}

inline RunResult run_cli(const std::string& args) { return run_command(std::string(SEISINR_CLI) + " " + args); }

// Runs `command` through /bin/sh and returns the peak resident memory of that process alone, in
// MiB (-1 when it failed to run or exited non-zero). Measured by GNU time (/usr/bin/time, Debian's
// `time`), not by wait4 on a child forked from here: Linux carries a forked child's resident size
// (this whole test process, libtorch included) into the maximum it reports after exec.
inline double peak_rss_mib(const std::string& command) {
  char path[] = "/tmp/seisinr-peak-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return -1;
  ::close(fd);
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/usr/bin/time", "time", "-f", "%M", "-o", path, "/bin/sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  int status = 0;
  const bool ok = pid > 0 && ::waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  std::ifstream in(path);
  double kib = -1;
  in >> kib;
  ::unlink(path);
  return ok && kib > 0 ? kib / 1024.0 : -1;
}

// Simulates a full disk for this process: writes past `bytes` fail with EFBIG (SIGXFSZ ignored)
// until the object goes out of scope.
class ScopedFileSizeLimit {
 public:
  explicit ScopedFileSizeLimit(rlim_t bytes) {
    getrlimit(RLIMIT_FSIZE, &saved_);
    handler_ = std::signal(SIGXFSZ, SIG_IGN);
    struct rlimit small = saved_;
    small.rlim_cur = bytes;
    setrlimit(RLIMIT_FSIZE, &small);
  }
  ~ScopedFileSizeLimit() {
    setrlimit(RLIMIT_FSIZE, &saved_);
    std::signal(SIGXFSZ, handler_);
  }
  ScopedFileSizeLimit(const ScopedFileSizeLimit&) = delete;
  ScopedFileSizeLimit& operator=(const ScopedFileSizeLimit&) = delete;

 private:
  struct rlimit saved_ {};
  void (*handler_)(int) = nullptr;
};

}  // namespace seisinr::test

// EXPECT that `statement` throws seisinr::Error whose message contains `text`.
#define EXPECT_ERROR_CONTAINS(statement, text)                                                   \
  do {                                                                                           \
    try {                                                                                        \
      statement;                                                                                 \
      ADD_FAILURE() << "expected seisinr::Error containing \"" << (text) << "\", nothing thrown"; \
    } catch (const seisinr::Error& e) {                                                          \
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos)                             \
          << "message \"" << e.what() << "\" lacks \"" << (text) << "\"";                      \
    }                                                                                            \
  } while (0)
