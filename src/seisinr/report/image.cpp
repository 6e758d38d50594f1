// seisinr/report/image.cpp — see image.h.
#include "seisinr/report/image.h"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <csetjmp>

#include "seisinr/error.h"
#include "seisinr/io/atomic_file.h"

namespace seisinr::report {
namespace {

// matplotlib's viridis sampled at t = k/32 (rounded to 8 bits), interpolated linearly between.
const std::uint8_t kViridis[33][3] = {
    {68, 1, 84},    {71, 13, 96},   {72, 24, 106},  {72, 35, 116},  {71, 45, 123},  {69, 55, 129},  {66, 64, 134},
    {62, 73, 137},  {59, 82, 139},  {55, 91, 141},  {51, 99, 141},  {47, 107, 142}, {44, 114, 142}, {41, 122, 142},
    {38, 130, 142}, {35, 137, 142}, {33, 145, 140}, {31, 152, 139}, {31, 160, 136}, {34, 167, 133}, {40, 174, 128},
    {50, 182, 122}, {63, 188, 115}, {78, 195, 107}, {94, 201, 98},  {112, 207, 87}, {132, 212, 75}, {152, 216, 62},
    {173, 220, 48}, {194, 223, 35}, {216, 226, 25}, {236, 229, 27}, {253, 231, 37}};

void png_to_vector(png_structp png, png_bytep data, png_size_t length) {
  auto* out = static_cast<std::vector<unsigned char>*>(png_get_io_ptr(png));
  out->insert(out->end(), data, data + length);
}

}  // namespace

void viridis(double t, std::uint8_t out[3]) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0) * 32.0;
  const int k = std::min(31, static_cast<int>(t));
  const double f = t - k;
  for (int c = 0; c < 3; ++c) out[c] = static_cast<std::uint8_t>(std::lround((1 - f) * kViridis[k][c] + f * kViridis[k + 1][c]));
}

Image colorize(const float* v, std::int64_t h, std::int64_t w, double lo, double hi, int scale) {
  Image img;
  img.width = w * scale, img.height = h * scale;
  img.rgb.resize(static_cast<std::size_t>(img.width * img.height * 3));
  const double span = hi > lo ? hi - lo : 1.0;
  for (std::int64_t y = 0; y < img.height; ++y)
    for (std::int64_t x = 0; x < img.width; ++x)
      viridis((v[(y / scale) * w + x / scale] - lo) / span, &img.rgb[static_cast<std::size_t>((y * img.width + x) * 3)]);
  return img;
}

Image colorbar(std::int64_t height, std::int64_t width) {
  Image img;
  img.width = width, img.height = height;
  img.rgb.resize(static_cast<std::size_t>(width * height * 3));
  for (std::int64_t y = 0; y < height; ++y) {
    std::uint8_t c[3];
    viridis(1.0 - static_cast<double>(y) / static_cast<double>(std::max<std::int64_t>(1, height - 1)), c);
    for (std::int64_t x = 0; x < width; ++x) std::copy(c, c + 3, &img.rgb[static_cast<std::size_t>((y * width + x) * 3)]);
  }
  return img;
}

Image strip(const io::MapStack& maps, int scale) {
  const auto [lo, hi] = std::minmax_element(maps.values.begin(), maps.values.end());
  std::vector<Image> images;
  for (std::int64_t k = 0; k < maps.n; ++k) images.push_back(colorize(maps.map(k), maps.h, maps.w, *lo, *hi, scale));
  return hstack(images);
}

Image hstack(const std::vector<Image>& images, std::int64_t gap) {
  Image out;
  for (const auto& i : images) {
    out.width += i.width;
    out.height = std::max(out.height, i.height);
  }
  out.width += gap * static_cast<std::int64_t>(images.empty() ? 0 : images.size() - 1);
  out.rgb.assign(static_cast<std::size_t>(out.width * out.height * 3), 255);
  std::int64_t x0 = 0;
  for (const auto& i : images) {
    for (std::int64_t y = 0; y < i.height; ++y)
      std::copy_n(&i.rgb[static_cast<std::size_t>(y * i.width * 3)], i.width * 3, &out.rgb[static_cast<std::size_t>((y * out.width + x0) * 3)]);
    x0 += i.width + gap;
  }
  return out;
}

void draw_box(Image& img, std::int64_t x0, std::int64_t y0, std::int64_t x1, std::int64_t y1) {
  auto put = [&](std::int64_t x, std::int64_t y) {
    if (x < 0 || y < 0 || x >= img.width || y >= img.height) return;
    std::fill_n(&img.rgb[static_cast<std::size_t>((y * img.width + x) * 3)], 3, 255);
  };
  for (std::int64_t x = x0; x <= x1; ++x) put(x, y0), put(x, y1);
  for (std::int64_t y = y0; y <= y1; ++y) put(x0, y), put(x1, y);
}

void write_png(const std::string& path, const Image& image) {
  if (image.width <= 0 || image.height <= 0) throw writing(path).failed("empty image");
  std::vector<unsigned char> bytes;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) {
    png_destroy_write_struct(&png, &info);
    throw writing(path).failed("libpng could not start");
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw writing(path).failed("libpng failed");
  }
  png_set_write_fn(png, &bytes, png_to_vector, nullptr);
  png_set_IHDR(png, info, static_cast<png_uint_32>(image.width), static_cast<png_uint_32>(image.height), 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (std::int64_t y = 0; y < image.height; ++y)
    png_write_row(png, const_cast<png_bytep>(&image.rgb[static_cast<std::size_t>(y * image.width * 3)]));
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  io::write_file_atomic(path, bytes.data(), bytes.size());
}

}  // namespace seisinr::report
