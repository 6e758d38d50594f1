// seisinr/threads.h — CPU threads for libtorch's kernels. libtorch picks 1 thread by default on
// some machines; seisinr's default is every core.
#pragma once

#include <cstdint>

namespace seisinr {

// requested = 0: all cores (std::thread::hardware_concurrency). Returns the count in effect.
int set_threads(std::int64_t requested);

}  // namespace seisinr
