// fuzz/fuzz_main.cpp — libFuzzer's entry point for one target, chosen at compile time
// (SEISINR_FUZZ_TARGET = npy, sinr or json_config; see fuzz/CMakeLists.txt).
#include "targets.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return seisinr::fuzz::SEISINR_FUZZ_TARGET(data, size);
}
