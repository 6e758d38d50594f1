// tests/test_atomic_file.cpp — a failed write leaves no file and no temporary behind, and never
// damages a file already at the target.
#include <filesystem>

#include "seisinr/io/atomic_file.h"
#include "test_util.h"

namespace seisinr::io {
namespace {

std::size_t entries(const std::filesystem::path& p) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(p), {}));
}

TEST(AtomicFile, WritesAndReadsBack) {
  test::TempDir dir;
  const std::string s = "hello";
  write_file_atomic(dir.file("a"), s.data(), s.size());
  auto back = read_file(dir.file("a"));
  EXPECT_EQ(std::string(back.begin(), back.end()), s);
  EXPECT_EQ(entries(dir.path()), 1u);
}

TEST(AtomicFile, AbandonedWriterLeavesNothing) {
  test::TempDir dir;
  {
    AtomicWriter w(dir.file("a"));
    w.write("abc", 3);
  }  // no commit: as if an exception unwound past it
  EXPECT_EQ(entries(dir.path()), 0u);
}

TEST(AtomicFile, FailedWriteKeepsThePreviousFile) {
  test::TempDir dir;
  const std::string old = "previous contents";
  write_file_atomic(dir.file("a"), old.data(), old.size());
  std::vector<char> big(3 << 20, 'x');
  {
    test::ScopedFileSizeLimit full_disk(4096);
    EXPECT_ERROR_CONTAINS(write_file_atomic(dir.file("a"), big.data(), big.size()), "writing " + dir.file("a"));
  }
  auto back = read_file(dir.file("a"));
  EXPECT_EQ(std::string(back.begin(), back.end()), old);
  EXPECT_EQ(entries(dir.path()), 1u) << "the temporary must be removed";
}

TEST(AtomicFile, UnwritableFolderIsAClearError) {
  EXPECT_ERROR_CONTAINS(write_file_atomic("/nonexistent-folder/x.npy", "a", 1), "/nonexistent-folder/x.npy");
}

TEST(AtomicFile, ReadingAFolderIsAClearError) {
  test::TempDir dir;
  EXPECT_ERROR_CONTAINS(read_file(dir.path().string()), "not a regular file");
}

}  // namespace
}  // namespace seisinr::io
