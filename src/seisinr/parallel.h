// seisinr/parallel.h — f(i) for i in [0, n) on a few threads (torch-free, header-only).
//
// Work is handed out one index at a time from an atomic counter; after the first exception no
// new index is started and that exception is rethrown once every thread has joined. threads ≤ 0
// means all cores; never more threads than indices.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace seisinr {

template <typename F>
void parallel_for(std::int64_t n, std::int64_t threads, F f) {
  std::int64_t t = threads > 0 ? threads : static_cast<std::int64_t>(std::max(1u, std::thread::hardware_concurrency()));
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
