// seisinr/threads.h — CPU threads for libtorch's kernels. libtorch picks 1 thread by default on
// some machines; seisinr's default is every core.
#pragma once

#include <cstdint>

namespace seisinr {

// requested = 0: all cores (std::thread::hardware_concurrency). Returns the count in effect.
int set_threads(std::int64_t requested);

// Keeps freed memory in the process for reuse instead of returning it to the kernel (glibc:
// no mmap for large blocks, no trimming). Training frees and re-allocates activation-sized
// blocks (hundreds of MB) every step; by default glibc unmaps every block over 32 MB at once, so
// each step page-faults them back in: measured on the paper configuration, 19 of 28 s were
// system time, and a step took 13.5 s instead of 8.2 s. The price is a higher resident peak
// (3.7 → 5.5 GB there), held until the process exits. Called by the commands that train or encode.
void keep_freed_memory();

}  // namespace seisinr
