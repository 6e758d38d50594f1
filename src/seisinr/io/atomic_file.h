// seisinr/io/atomic_file.h — write a file so that it is either complete or absent.
//
// The bytes go to a temporary file in the same folder (same file system, so the final rename
// is atomic), are flushed with fsync, and the temporary is renamed over the target; the folder
// is then fsynced so the rename itself survives a power cut. Any failure (full disk, a write
// error, an exception thrown by the caller's writer) removes the temporary and leaves a previous
// file at the target untouched.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace seisinr::io {

// A sink the writer callback appends to. Writes are buffered; errors throw seisinr::Error
// naming the target path.
class AtomicWriter {
 public:
  explicit AtomicWriter(std::string target_path);
  ~AtomicWriter();  // removes the temporary if commit() was not reached
  AtomicWriter(const AtomicWriter&) = delete;
  AtomicWriter& operator=(const AtomicWriter&) = delete;

  void write(const void* data, std::size_t size);
  std::uint64_t bytes_written() const { return written_; }
  // fsync, rename over the target, fsync the folder. After commit() the writer is spent.
  void commit();

 private:
  void flush_buffer();
  std::string target_;
  std::string temp_;
  int fd_ = -1;
  int stop_slot_ = -1;  // the temporary's slot in interrupt.h's list (a second signal removes it)
  std::vector<unsigned char> buffer_;
  std::uint64_t written_ = 0;
};

// Convenience: the whole file from one buffer.
void write_file_atomic(const std::string& path, const void* data, std::size_t size);

// Reads a whole file; throws seisinr::Error naming the path on failure.
std::vector<unsigned char> read_file(const std::string& path);

}  // namespace seisinr::io
