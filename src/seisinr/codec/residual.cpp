// seisinr/codec/residual.cpp — see residual.h.
#include "seisinr/codec/residual.h"

#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "seisinr/error.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::codec {

namespace {

constexpr double kMaxCode = 1125899906842624.0;  // 2^50

std::vector<unsigned char> zstd_pack(const void* data, std::size_t size) {
  std::vector<unsigned char> out(ZSTD_compressBound(size));
  const std::size_t n = ZSTD_compress(out.data(), out.size(), data, size, 19);
  if (ZSTD_isError(n)) throw Error(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::vector<unsigned char> zstd_unpack(const unsigned char* bytes, std::size_t size, std::size_t expected_max,
                                       const std::string& what) {
  const unsigned long long content = ZSTD_getFrameContentSize(bytes, size);
  if (content == ZSTD_CONTENTSIZE_ERROR || content == ZSTD_CONTENTSIZE_UNKNOWN)
    throw Error(what + ": not a zstd frame with a known size");
  if (content > expected_max)
    throw Error(what + ": zstd frame claims " + std::to_string(content) + " bytes, more than the " +
                std::to_string(expected_max) + " this map can need");
  std::vector<unsigned char> out(static_cast<std::size_t>(content));
  const std::size_t n = ZSTD_decompress(out.data(), out.size(), bytes, size);
  if (ZSTD_isError(n) || n != content) throw Error(what + ": zstd payload is corrupt");
  return out;
}

std::int64_t median3(std::int64_t a, std::int64_t b, std::int64_t c) { return std::max(std::min(a, b), std::min(std::max(a, b), c)); }

// LOCO-I's median edge detector at (i, j), from already-known neighbours.
std::int64_t med_predict(const std::int64_t* c, std::int64_t i, std::int64_t j, std::int64_t w) {
  if (i == 0 && j == 0) return 0;
  if (i == 0) return c[j - 1];
  if (j == 0) return c[(i - 1) * w];
  const std::int64_t a = c[i * w + j - 1], b = c[(i - 1) * w + j], d = c[(i - 1) * w + j - 1];
  // a + b − d in wrapping arithmetic: valid codes are below 2^50 and never wrap; a hostile stream
  // may, and must not reach signed overflow (undefined behaviour).
  const auto g = static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b) - static_cast<std::uint64_t>(d));
  return median3(a, b, g);
}

}  // namespace

double residual_step(double max_error) {
  if (!(max_error > 0) || !std::isfinite(max_error)) throw Error("the error bound must be a positive number of m/s");
  return 2.0 * (max_error - max_error / 64.0);
}

std::vector<std::int64_t> quantise_values(const float* v, std::size_t n, double s) {
  std::vector<std::int64_t> c(n);
  for (std::size_t i = 0; i < n; ++i) {
    const double q = static_cast<double>(v[i]) / s;
    if (!std::isfinite(q) || std::fabs(q) >= kMaxCode)
      throw Error("value " + std::to_string(v[i]) + " m/s cannot be coded with step " + std::to_string(s) +
                  " m/s (the error bound is too small for the data)", ErrorKind::usage);
    c[i] = static_cast<std::int64_t>(std::nearbyint(q));
  }
  return c;
}

std::vector<std::int64_t> quantise_prediction(const float* p, std::size_t n, double vmin, double vmax, double s) {
  std::vector<std::int64_t> k(n);
  const Normalisation norm{vmin, vmax};
  for (std::size_t i = 0; i < n; ++i) {
    double q = norm.to_speed(p[i]) / s;
    if (!std::isfinite(q)) q = 0;  // a broken prediction costs bytes, never correctness
    k[i] = static_cast<std::int64_t>(std::nearbyint(std::clamp(q, -kMaxCode, kMaxCode)));
  }
  return k;
}

void dequantise_values(const std::int64_t* c, std::size_t n, double s, bool integer, float* out, const std::string& what) {
  for (std::size_t i = 0; i < n; ++i) {
    if (std::fabs(static_cast<double>(c[i])) >= kMaxCode)
      throw Error(what + ": value " + std::to_string(i) + " decodes to code " + std::to_string(c[i]) +
                  ", outside the coded range (the stream is corrupt)");
    const double v = static_cast<double>(c[i]) * s;
    out[i] = static_cast<float>(integer ? std::nearbyint(v) : v);
  }
}

std::vector<std::int64_t> med_residuals(const std::int64_t* c, std::int64_t h, std::int64_t w) {
  std::vector<std::int64_t> e(static_cast<std::size_t>(h * w));
  for (std::int64_t i = 0; i < h; ++i)
    for (std::int64_t j = 0; j < w; ++j) e[i * w + j] = c[i * w + j] - med_predict(c, i, j, w);
  return e;
}

std::vector<std::int64_t> med_reconstruct(const std::int64_t* e, std::int64_t h, std::int64_t w) {
  std::vector<std::int64_t> c(static_cast<std::size_t>(h * w));
  for (std::int64_t i = 0; i < h; ++i)
    for (std::int64_t j = 0; j < w; ++j) {
      // Wrapping add: hostile residuals may not overflow into undefined behaviour.
      const auto sum = static_cast<std::uint64_t>(e[i * w + j]) + static_cast<std::uint64_t>(med_predict(c.data(), i, j, w));
      c[i * w + j] = static_cast<std::int64_t>(sum);
    }
  return c;
}

std::vector<unsigned char> pack_ints(const std::vector<std::int64_t>& values) {
  std::vector<unsigned char> raw;
  raw.reserve(values.size() * 2);
  for (std::int64_t v : values) {
    std::uint64_t z = (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
    while (z >= 0x80) {
      raw.push_back(static_cast<unsigned char>(z | 0x80));
      z >>= 7;
    }
    raw.push_back(static_cast<unsigned char>(z));
  }
  return zstd_pack(raw.data(), raw.size());
}

std::vector<std::int64_t> unpack_ints(const unsigned char* bytes, std::size_t size, std::size_t n, const std::string& what) {
  const std::vector<unsigned char> raw = zstd_unpack(bytes, size, n * 10, what);
  std::vector<std::int64_t> out;
  out.reserve(n);
  std::size_t pos = 0;
  while (pos < raw.size()) {
    std::uint64_t z = 0;
    int shift = 0;
    while (true) {
      if (pos >= raw.size()) throw Error(what + ": truncated varint");
      const unsigned char b = raw[pos++];
      if (shift == 63 && (b & 0x7e)) throw Error(what + ": varint overflows 64 bits");
      z |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) break;
      shift += 7;
      if (shift > 63) throw Error(what + ": varint longer than 10 bytes");
    }
    if (out.size() == n) throw Error(what + ": more than the " + std::to_string(n) + " values expected");
    out.push_back(static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1)));
  }
  if (out.size() != n) throw Error(what + ": " + std::to_string(out.size()) + " values, expected " + std::to_string(n));
  return out;
}

std::vector<unsigned char> pack_floats(const float* v, std::size_t n) { return zstd_pack(v, n * sizeof(float)); }

std::vector<float> unpack_floats(const unsigned char* bytes, std::size_t size, std::size_t n, const std::string& what) {
  const std::vector<unsigned char> raw = zstd_unpack(bytes, size, n * sizeof(float), what);
  if (raw.size() != n * sizeof(float))
    throw Error(what + ": " + std::to_string(raw.size()) + " bytes, expected " + std::to_string(n * sizeof(float)));
  std::vector<float> out(n);
  std::memcpy(out.data(), raw.data(), raw.size());
  for (std::size_t i = 0; i < n; ++i)
    if (!std::isfinite(out[i])) throw Error(what + ": value " + std::to_string(i) + " is not finite");
  return out;
}

std::uint32_t ints_check(const std::vector<std::int64_t>& values) {
  return static_cast<std::uint32_t>(XXH3_64bits(values.data(), values.size() * sizeof(std::int64_t)));
}

}  // namespace seisinr::codec
