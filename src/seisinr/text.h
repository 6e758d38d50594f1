// seisinr/text.h — how the commands print a count: "1 map", "2 maps", in one place. Torch-free.
#pragma once

#include <cstdint>
#include <string>

namespace seisinr {

// "1 map", "0 maps", "2 maps" (`noun` is the singular; the plural adds "s").
inline std::string count_of(std::int64_t n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

}  // namespace seisinr
