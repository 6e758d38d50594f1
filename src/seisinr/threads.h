// seisinr/threads.h — CPU threads for libtorch's kernels. libtorch picks 1 thread by default on
// some machines; seisinr's default is every core.
#pragma once

#include <cstdint>

namespace seisinr {

// requested = 0: all cores (std::thread::hardware_concurrency). Returns the count in effect.
// A negative count or one above max_threads() throws a usage error (parallel.h has the rule).
int set_threads(std::int64_t requested);

// Threads of the BLAS library (OpenBLAS) for float32 products; returns the previous count, or −1
// when the BLAS is not OpenBLAS (then nothing changes). During bf16 training and encoding the big
// products go through oneDNN, not BLAS, and OpenBLAS's idle threads spin (sched_yield) against
// libtorch's: measured on `small`, 1.5 → 1.13 s per epoch with one BLAS thread.
int set_blas_threads(int n);

// Sets the BLAS thread count for a scope and restores it after.
class ScopedBlasThreads {
 public:
  explicit ScopedBlasThreads(int n) : before_(set_blas_threads(n)) {}
  ~ScopedBlasThreads() {
    if (before_ > 0) set_blas_threads(before_);
  }
  ScopedBlasThreads(const ScopedBlasThreads&) = delete;
  ScopedBlasThreads& operator=(const ScopedBlasThreads&) = delete;

 private:
  int before_;
};

// Keeps freed memory in the process for reuse instead of returning it to the kernel (glibc:
// no mmap for large blocks, no trimming). Training frees and re-allocates activation-sized
// blocks (hundreds of MB) every step; by default glibc unmaps every block over 32 MB at once, so
// each step page-faults them back in: measured on the paper configuration, 19 of 28 s were
// system time, and a step took 13.5 s instead of 8.2 s. The price is a higher resident peak
// (3.7 → 5.5 GB there), held until the process exits. Called by the commands that train or encode,
// and by decode, whose batches free and re-allocate blocks of one size: measured on 320 maps at
// 280x280, 25 s → 16 s and a peak that no longer depends on the count (DecodeCli test).
void keep_freed_memory();

}  // namespace seisinr
