// seisinr/eval/resample.h — bilinear resampling of a map onto another grid of the same square.
// Torch-free.
//
// Both grids put their first and last samples on the edges of [-1, 1]² (linspace(-1, 1, n)), so
// sample (i, j) of an H'×W' grid sits at source position (i (H−1)/(H'−1), j (W−1)/(W'−1)) and
// takes the bilinear blend of the four source samples around it (align_corners=True in
// PyTorch's terms). Super-resolution is scored against the ground truth resampled this way.
#pragma once

#include <cstdint>
#include <vector>

namespace seisinr::eval {

std::vector<float> resample_bilinear(const float* src, std::int64_t h, std::int64_t w, std::int64_t out_h, std::int64_t out_w);

}  // namespace seisinr::eval
