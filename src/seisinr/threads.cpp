// seisinr/threads.cpp — see threads.h.
#include "seisinr/threads.h"

#include "seisinr/parallel.h"

#include <ATen/Parallel.h>

#include <algorithm>
#include <thread>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

// OpenBLAS's controls, weak so that another BLAS (or none) links and runs.
extern "C" {
void openblas_set_num_threads(int) __attribute__((weak));
int openblas_get_num_threads() __attribute__((weak));
}

namespace seisinr {

int set_blas_threads(int n) {
  if (!openblas_set_num_threads || !openblas_get_num_threads) return -1;
  const int before = openblas_get_num_threads();
  openblas_set_num_threads(n);
  return before;
}

int set_threads(std::int64_t requested) {
  const int n = resolve_threads(requested, "threads");
  at::set_num_threads(n);
  return at::get_num_threads();
}

void keep_freed_memory() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, -1);  // never: a threshold (it was 1 GiB) still let the paper
                                  // configuration's 2-4 GB of freed activations go back each step
  mallopt(M_TOP_PAD, 64 << 20);
#endif
}

}  // namespace seisinr
