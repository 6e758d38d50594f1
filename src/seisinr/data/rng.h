// seisinr/data/rng.h — SplitMix64 (Steele, Lea, Flood 2014): the one random-number generator of
// the library's deterministic streams (synthetic maps, the split, batch order, sampled points).
// Integer arithmetic only, so every machine gives the same sequence. Torch-free.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace seisinr::data {

// The SplitMix64 output function: a bijective 64-bit mix.
inline std::uint64_t splitmix_finalize(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() { return splitmix_finalize(s_ += 0x9e3779b97f4a7c15ull); }
  double uniform() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }  // [0, 1)
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  std::int64_t integer(std::int64_t lo, std::int64_t hi) {  // inclusive
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool coin() { return next() >> 63; }

 private:
  std::uint64_t s_;
};

// Fisher–Yates shuffle in place on `rng`'s stream: for k = n .. 2, swap v[k−1] and v[next() mod k].
template <class T>
void shuffle(std::vector<T>& v, SplitMix64& rng) {
  for (std::size_t k = v.size(); k > 1; --k) std::swap(v[k - 1], v[rng.next() % k]);
}

}  // namespace seisinr::data
