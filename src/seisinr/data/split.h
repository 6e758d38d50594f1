// seisinr/data/split.h — the train/held-out split and map content hashes. Torch-free.
//
// Split: within each family, the maps are shuffled with a SplitMix64 stream seeded by (seed,
// family name) and the first round(holdout · n) are held out; held-out maps are never trained on.
// Hash: XXH3-64 of a map's float32 values (C order, little-endian) as 16 hex digits; a map
// "was trained" when its hash matches one a model stored, whatever file it comes from.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"

namespace seisinr::data {

// true = held out.
std::vector<bool> split_heldout(const Dataset& d, double holdout, std::uint64_t seed);
std::string map_hash(const float* values, std::size_t count);

}  // namespace seisinr::data
