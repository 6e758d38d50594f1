// seisinr/codec/residual.h — error-bounded residual coding of velocity maps (m/s). Torch-free.
//
// For a bound E > 0 every value v is represented by the integer c = round(v / s) with step
//   s = 2 (E − E/64),
// and comes back as float32(c · s), so |v̂ − v| ≤ s/2 + (float32 rounding) < E. The E/64 margin
// absorbs the float32 rounding of the output for any |v| < 10^4 m/s once E ≥ 0.016 m/s; the
// compressor still checks every value and falls back to the raw path where a check fails.
// Integer-valued maps coded with E < 0.5 are rounded to integers on the way out, and so come
// back exactly.
//
// What is stored is c minus a prediction of it, which only changes the size, never the values:
//   neural: k = round(p / s), p = the decoder's prediction in m/s (model/portable_decoder.h,
//           bit-reproducible, so the decompressor computes the same k);
//   plain:  the median edge detector of LOCO-I / JPEG-LS on the integers c themselves:
//           pred = median(a, b, a + b − c) with a = left, b = above, c = above-left.
// The differences are zigzag-mapped, written as LEB128 varints and compressed with zstd.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seisinr::codec {

double residual_step(double max_error);

// c = round(v / s) for n values; throws when a value is not finite or |v| / s ≥ 2^50
// (the bound is too small for the data).
std::vector<std::int64_t> quantise_values(const float* v, std::size_t n, double s);
// k = round(p / s) with p = vmin + (p̂ + 1)(vmax − vmin)/2 from normalised predictions p̂.
std::vector<std::int64_t> quantise_prediction(const float* normalised, std::size_t n, double vmin, double vmax, double s);
// float32(c · s), rounded to the nearest integer when `integer`. Throws, naming `what`, when a
// code lies outside the range quantise_values can produce (|c| ≥ 2^50: a corrupt stream).
void dequantise_values(const std::int64_t* c, std::size_t n, double s, bool integer, float* out,
                       const std::string& what = "residual stream");

// MED prediction residuals on an h×w grid of integers, and their inverse.
std::vector<std::int64_t> med_residuals(const std::int64_t* c, std::int64_t h, std::int64_t w);
std::vector<std::int64_t> med_reconstruct(const std::int64_t* e, std::int64_t h, std::int64_t w);

// zigzag + varint + zstd (level 19). unpack_ints throws, naming `what`, unless the bytes hold
// one zstd frame of exactly n varints.
std::vector<unsigned char> pack_ints(const std::vector<std::int64_t>& values);
std::vector<std::int64_t> unpack_ints(const unsigned char* bytes, std::size_t size, std::size_t n, const std::string& what);

// Lossless float32 values: zstd of the little-endian bytes.
std::vector<unsigned char> pack_floats(const float* v, std::size_t n);
std::vector<float> unpack_floats(const unsigned char* bytes, std::size_t size, std::size_t n, const std::string& what);

// XXH3-64 of the integers (as little-endian int64), low 32 bits: lets the decompressor detect a
// prediction that differs from the compressor's.
std::uint32_t ints_check(const std::vector<std::int64_t>& values);

}  // namespace seisinr::codec
