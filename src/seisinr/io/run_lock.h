// seisinr/io/run_lock.h — one process at a time in a run folder (issue 15).
//
// A training run takes FOLDER/lock with flock(LOCK_EX | LOCK_NB) for its whole life and writes
// who holds it (PID, host, start time, command) into the file. A second process that tries is
// refused with the holder named. The kernel drops the lock when its holder dies (SIGKILL, a
// crash), so a lock file left behind never blocks: the next run takes it over and says whose
// it was. A clean release removes the file. (Advisory: it guards seisinr against seisinr, the
// case of a scheduler requeuing a job whose first copy still runs; flock works across NFS
// clients on Linux ≥ 2.6.12, where it is emulated with fcntl byte-range locks.)
// Torch-free; throws seisinr::Error.
#pragma once

#include <ostream>
#include <string>

namespace seisinr::io {

inline constexpr const char* kRunLockName = "lock";

class RunLock {
 public:
  RunLock() = default;
  // Creates `folder` if needed and takes its lock; `what` names the work in the lock file and
  // messages ("train"). A note goes to `note` when a dead holder's lock is taken over.
  RunLock(const std::string& folder, const std::string& what, std::ostream* note);
  ~RunLock();
  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  bool held() const { return fd_ >= 0; }
  const std::string& path() const { return path_; }
  void release();  // removes the file and drops the lock; the destructor does it too

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace seisinr::io
