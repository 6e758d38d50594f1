// seisinr/codec/quantize.h — uniform scalar quantisation of latent codes. Torch-free.
//
// Each latent dimension j gets its own range over the codes being stored:
//   offset_j = min_i z_ij,   scale_j = (max_i z_ij − offset_j) / (2^b − 1)
//   code_ij  = round((z_ij − offset_j) / scale_j)  ∈ [0, 2^b − 1]
//   ẑ_ij     = offset_j + scale_j · code_ij          (float32, the same on every machine)
// so |ẑ − z| ≤ scale_j / 2. A dimension with no spread (max = min) has scale 0 and code 0.
// bits = 32 means no quantisation: the float32 codes are stored as they are.
#pragma once

#include <cstdint>
#include <vector>

namespace seisinr::codec {

struct LatentQuantizer {
  int bits = 32;               // 1..16, or 32 for float32 as is
  std::int64_t dim = 0;        // d
  std::vector<float> offset;   // (d)
  std::vector<float> scale;    // (d)

  // Fits offsets and scales to n codes of dimension d (row-major n×d); throws on bits outside
  // 1..16 and 32 or on a non-finite value.
  static LatentQuantizer fit(const float* z, std::int64_t n, std::int64_t d, int bits);
  std::vector<std::uint16_t> encode(const float* z, std::int64_t n) const;
  std::vector<float> decode(const std::uint16_t* codes, std::int64_t n) const;
};

}  // namespace seisinr::codec
