// seisinr/data/split.cpp — see split.h.
#include "seisinr/data/split.h"

#include <xxhash.h>

#include <cmath>
#include <cstdio>

#include "seisinr/data/rng.h"

namespace seisinr::data {

std::vector<bool> split_heldout(const Dataset& d, double holdout, std::uint64_t seed) {
  std::vector<bool> held(static_cast<std::size_t>(d.size()), false);
  for (const auto& fam : d.families) {
    std::vector<std::int64_t> idx;
    for (std::int64_t i = 0; i < d.size(); ++i)
      if (d.family[static_cast<std::size_t>(i)] == fam) idx.push_back(i);
    SplitMix64 rng(seed ^ XXH3_64bits(fam.data(), fam.size()));
    shuffle(idx, rng);
    const auto n_held = static_cast<std::size_t>(std::llround(holdout * static_cast<double>(idx.size())));
    for (std::size_t k = 0; k < n_held && k < idx.size(); ++k) held[static_cast<std::size_t>(idx[k])] = true;
  }
  return held;
}

std::string map_hash(const float* values, std::size_t count) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH3_64bits(values, count * sizeof(float))));
  return buf;
}

}  // namespace seisinr::data
