// seisinr/parallel.h — the thread-count rule, and f(i) for i in [0, n) on a few threads
// (torch-free, header-only).
//
// Thread counts, everywhere (the commands' --threads, the C++ API's options, the Python module):
// 0 means all cores; 1 .. max_threads() are taken as given; a negative count or one above
// max_threads() (8 × this machine's cores, at least 8) is a usage error naming the setting, raised
// before any work. (Unchecked, a count of 1,000,000 spent about 40 ms a thread starting threads.)
//
// parallel_for hands out work one index at a time from an atomic counter; after the first
// exception no new index is started and that exception is rethrown once every thread has joined;
// never more threads than indices.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include "seisinr/error.h"

namespace seisinr {

inline int hardware_threads() { return static_cast<int>(std::max(1u, std::thread::hardware_concurrency())); }

// The machine's physical memory in bytes (0 when the system does not say): the ceiling that
// requests for memory are checked against before they are made.
inline std::uint64_t physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
}
inline int max_threads() { return std::max(8, 8 * hardware_threads()); }

// The count in effect for `requested` (0: all cores); `who` names the setting in the error.
inline int resolve_threads(std::int64_t requested, const std::string& who) {
  if (requested < 0 || requested > max_threads())
    throw Error(who + ": " + std::to_string(requested) + " threads; give 0 (all " + std::to_string(hardware_threads()) +
                    " cores) or 1 to " + std::to_string(max_threads()) + " (8 x the cores)",
                ErrorKind::usage);
  return requested == 0 ? hardware_threads() : static_cast<int>(requested);
}

template <typename F>
void parallel_for(std::int64_t n, std::int64_t threads, F f) {
  std::int64_t t = resolve_threads(threads, "threads");
  t = std::max<std::int64_t>(1, std::min(t, n));
  std::atomic<std::int64_t> next{0};
  std::exception_ptr error;
  std::mutex mu;
  auto work = [&] {
    for (std::int64_t i; (i = next++) < n;) {
      try {
        f(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        next = n;
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::int64_t k = 1; k < t; ++k) pool.emplace_back(work);
  work();
  for (auto& th : pool) th.join();
  if (error) std::rethrow_exception(error);
}

}  // namespace seisinr
