// seisinr/report/image.h — RGB images of velocity maps, written as PNG through libpng.
// Torch-free.
//
// Velocities map to colours with viridis (perceptually uniform; van der Walt & Smith, CC0),
// linearly between the given lo and hi (m/s); each map pixel becomes a scale×scale block so small
// 70×70 maps stay legible.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/io/npy.h"

namespace seisinr::report {

struct Image {
  std::int64_t width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, 3 bytes per pixel
};

void viridis(double t, std::uint8_t out[3]);  // t in [0, 1], clamped
Image colorize(const float* values, std::int64_t h, std::int64_t w, double lo, double hi, int scale = 1);
Image colorbar(std::int64_t height, std::int64_t width);  // lo at the bottom, hi at the top
// Side by side with `gap` white columns between.
Image hstack(const std::vector<Image>& images, std::int64_t gap = 4);
// Every map of a stack side by side, one colour scale over all of them (the stack's min to max).
Image strip(const io::MapStack& maps, int scale = 1);
// A white rectangle outline (a zoom window marker).
void draw_box(Image& img, std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1);

void write_png(const std::string& path, const Image& image);

}  // namespace seisinr::report
