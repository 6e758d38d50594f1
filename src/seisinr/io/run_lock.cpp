// seisinr/io/run_lock.cpp — see run_lock.h.
#include "seisinr/io/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>

#include "seisinr/error.h"

namespace seisinr::io {

namespace {

std::string read_all(int fd) {
  std::string s;
  char buf[512];
  off_t at = 0;
  for (ssize_t n; (n = ::pread(fd, buf, sizeof buf, at)) > 0 && s.size() < 4096; at += n) s.append(buf, static_cast<std::size_t>(n));
  while (!s.empty() && (s.back() == '\n' || s.back() == '\0')) s.pop_back();
  return s;
}

std::string holder_text(const std::string& folder, const std::string& what) {
  char host[256] = {};
  ::gethostname(host, sizeof host - 1);
  char when[64] = {};
  const std::time_t now = std::time(nullptr);
  std::tm tm {};
  ::gmtime_r(&now, &tm);
  std::strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return "seisinr " + what + " in " + folder + ": PID " + std::to_string(::getpid()) + " on host " + host + " since " + when + "\n";
}

}  // namespace

RunLock::RunLock(const std::string& folder, const std::string& what, std::ostream* note) {
  std::error_code ec;
  std::filesystem::create_directories(folder, ec);
  if (ec) throw Error(what + ": cannot create the run folder " + folder + ": " + ec.message(), ErrorKind::io);
  path_ = (std::filesystem::path(folder) / kRunLockName).string();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const int fd = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) throw Error(what + ": cannot open the lock " + path_ + ": " + std::strerror(errno), ErrorKind::io);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      std::string holder = read_all(fd);
      ::close(fd);
      if (err != EWOULDBLOCK) throw Error(what + ": cannot lock " + path_ + ": " + std::strerror(err), ErrorKind::io);
      throw Error(what + ": the run folder " + folder + " is in use" + (holder.empty() ? "" : " (" + holder + ")") +
                  "; wait for that process to end or stop it (" + path_ + " is released when it exits)");
    }
    // The file we locked may have been removed by a holder releasing just before: retry on the new one.
    struct stat by_fd {}, by_path {};
    if (::fstat(fd, &by_fd) != 0 || ::stat(path_.c_str(), &by_path) != 0 || by_fd.st_ino != by_path.st_ino ||
        by_fd.st_dev != by_path.st_dev) {
      ::close(fd);
      continue;
    }
    const std::string previous = read_all(fd);
    if (!previous.empty() && note)
      *note << "note: took over the lock of " << folder << " left by a process that is gone (" << previous << ")\n";
    const std::string me = holder_text(folder, what);
    if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
      const int err = errno;
      ::close(fd);
      throw Error(what + ": cannot write the lock " + path_ + ": " + std::strerror(err), ErrorKind::io);
    }
    fd_ = fd;
    return;
  }
  throw Error(what + ": could not take the lock " + path_ + " (it kept being replaced)");
}

void RunLock::release() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());  // while still held: a waiter that opened it sees a replaced inode and retries
  ::close(fd_);
  fd_ = -1;
}

RunLock::~RunLock() { release(); }

RunLock::RunLock(RunLock&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    release();
    path_ = std::move(other.path_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

}  // namespace seisinr::io
