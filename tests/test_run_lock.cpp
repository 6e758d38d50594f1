// tests/test_run_lock.cpp — io/run_lock.h: one process at a time in a run folder.
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "seisinr/io/run_lock.h"
#include "test_util.h"

namespace seisinr {
namespace {

std::string slurp(const std::string& p) {
  std::ifstream f(p);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST(RunLock, SecondHolderIsRefusedWithTheFirstNamed) {
  test::TempDir t;
  const std::string run = t.file("run");
  io::RunLock first(run, "train", nullptr);
  ASSERT_TRUE(first.held());
  EXPECT_NE(slurp(run + "/lock").find("PID " + std::to_string(::getpid())), std::string::npos);
  // flock is per open file: a second open in this process conflicts as another process would.
  EXPECT_ERROR_CONTAINS(io::RunLock(run, "train", nullptr), "is in use (seisinr train in " + run + ": PID " + std::to_string(::getpid()));
  first.release();
  EXPECT_FALSE(std::filesystem::exists(run + "/lock"));
  io::RunLock again(run, "train", nullptr);
  EXPECT_TRUE(again.held());
}

TEST(RunLock, LockOfADeadProcessIsTakenOverWithANote) {
  test::TempDir t;
  const std::string run = t.file("run");
  const pid_t child = ::fork();
  if (child == 0) {  // takes the lock and dies without releasing it (no destructors)
    io::RunLock held(run, "train", nullptr);
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(std::filesystem::exists(run + "/lock"));
  std::ostringstream note;
  io::RunLock mine(run, "train", &note);
  EXPECT_TRUE(mine.held());
  EXPECT_NE(note.str().find("PID " + std::to_string(child)), std::string::npos) << note.str();
  EXPECT_NE(note.str().find("took over the lock"), std::string::npos);
}

}  // namespace
}  // namespace seisinr
