// seisinr/data/split.h — the train/held-out split and map content hashes. Torch-free.
//
// Split: within each family, the maps are shuffled with a SplitMix64 stream seeded by (seed,
// family name) and the first round(holdout · n) are held out; held-out maps are never trained on.
// Hash: XXH3-64 of a map's float32 values (C order, little-endian) as 16 hex digits; a map
// "was trained" when its hash matches one a model stored, whatever file it comes from.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"
#include "seisinr/names.h"

namespace seisinr::data {

// A map's side of the split: a model file's meta.maps[i].split, eval's per-map rows, reports.
enum class Split { trained, heldout };

}  // namespace seisinr::data

template <>
struct seisinr::Names<seisinr::data::Split> {
  static constexpr const char* what = "split";
  static constexpr NamedValue<data::Split> table[] = {{data::Split::trained, "trained"}, {data::Split::heldout, "heldout"}};
};

namespace seisinr::data {

// Whether an entry of a model file's meta.maps is a trained map (an object whose split is
// "trained"; anything else, held out or malformed, is not).
inline bool is_trained_entry(const nlohmann::json& entry) {
  return entry.is_object() && entry.value("split", std::string()) == name_of(Split::trained);
}

// true = held out.
std::vector<bool> split_heldout(const Dataset& d, double holdout, std::uint64_t seed);
std::string map_hash(const float* values, std::size_t count);

}  // namespace seisinr::data
