// seisinr/io/atomic_file.cpp — temp file + fsync + rename (see atomic_file.h).
#include "seisinr/io/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <random>

#include "seisinr/error.h"
#include "seisinr/interrupt.h"

namespace seisinr::io {
namespace {

std::string dirname_of(const std::string& path) {
  auto slash = path.find_last_of('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

std::string errno_text() { return std::strerror(errno); }

constexpr std::size_t kBufferSize = 1 << 20;

}  // namespace

AtomicWriter::AtomicWriter(std::string target_path) : target_(std::move(target_path)) {
  std::random_device rd;
  for (int attempt = 0; attempt < 16 && fd_ < 0; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".tmp-%08x", static_cast<unsigned>(rd()));
    temp_ = target_ + suffix;
    fd_ = ::open(temp_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd_ < 0 && errno != EEXIST) break;
  }
  if (fd_ < 0) throw writing(target_).io("cannot create temporary file: " + errno_text());
  stop_slot_ = register_temporary(temp_);
  buffer_.reserve(kBufferSize);
}

AtomicWriter::~AtomicWriter() {
  if (fd_ >= 0) {
    ::close(fd_);
    ::unlink(temp_.c_str());
  }
  unregister_temporary(stop_slot_);
}

void AtomicWriter::flush_buffer() {
  const unsigned char* p = buffer_.data();
  std::size_t left = buffer_.size();
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw writing(target_).io(errno_text());
    }
    p += n;
    left -= static_cast<std::size_t>(n);
  }
  buffer_.clear();
}

void AtomicWriter::write(const void* data, std::size_t size) {
  if (fd_ < 0) throw writing(target_).failed("writer already committed");
  const auto* p = static_cast<const unsigned char*>(data);
  if (buffer_.size() + size > kBufferSize) flush_buffer();
  if (size >= kBufferSize) {
    buffer_.assign(p, p + size);
    flush_buffer();
  } else {
    buffer_.insert(buffer_.end(), p, p + size);
  }
  written_ += size;
}

void AtomicWriter::commit() {
  if (fd_ < 0) throw writing(target_).failed("writer already committed");
  flush_buffer();
  if (::fsync(fd_) != 0) throw writing(target_).io("fsync: " + errno_text());
  if (::close(fd_) != 0) {
    fd_ = -1;
    ::unlink(temp_.c_str());
    throw writing(target_).io("close: " + errno_text());
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    std::string why = errno_text();
    ::unlink(temp_.c_str());
    throw writing(target_).io("rename: " + why);
  }
  unregister_temporary(stop_slot_);
  stop_slot_ = -1;
  int dir = ::open(dirname_of(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);  // best effort: some file systems refuse fsync on folders
    ::close(dir);
  }
}

void write_file_atomic(const std::string& path, const void* data, std::size_t size) {
  AtomicWriter w(path);
  w.write(data, size);
  w.commit();
}

std::vector<unsigned char> read_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw reading(path).io(errno_text());
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw reading(path).io("not a regular file");
  }
  std::vector<unsigned char> out(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  while (got < out.size()) {
    ssize_t n = ::read(fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = n < 0 ? errno_text() : "file shrank while reading";
      ::close(fd);
      throw reading(path).io(why);
    }
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  return out;
}

}  // namespace seisinr::io
