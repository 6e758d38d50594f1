// seisinr/threads.cpp — see threads.h.
#include "seisinr/threads.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

namespace seisinr {

int set_threads(std::int64_t requested) {
  const int n = requested > 0 ? static_cast<int>(requested) : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(n);
  return at::get_num_threads();
}

}  // namespace seisinr
