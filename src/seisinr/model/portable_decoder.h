// seisinr/model/portable_decoder.h — the decoder f(x, z; latent) evaluated bit-reproducibly,
// without libtorch.
//
// Why: a compressed file with an error bound (codec/residual.h) stores, per value, the integer
// c − k where c = round(v / s) is the quantised velocity and k = round(p / s) the quantised
// prediction. The decompressor must compute the very same k, on any machine, with any thread
// count, or a value comes back off by a whole step s. libtorch gives no such promise (BLAS
// kernels and summation orders change with CPU and threads), so this decoder computes the same
// function as model/siren.h with fixed rules:
//   * float32 products and sums in a fixed order (ascending input index), no FMA contraction
//     (its source file is compiled with -ffp-contract=off);
//   * sin and cos from portable_sin/portable_cos below: argument in double, Cody–Waite range
//     reduction by π/2, Taylor polynomials of degree 15/16 on [−π/4, π/4] — the same bits on
//     every IEEE-754 machine, independent of the C library;
//   * coordinates x_j = float(−1 + 2j/(W−1)) computed in double (the torch grid may differ by an
//     ulp; both are the same continuous function).
//   * bilinear samples (grid code, linear path) at output pixel (r, q) of an h×w grid from a
//     field of Hf×Wf nodes: position q (Wf − 1)/(w − 1) in double, split into node and float
//     weight t; value (1−t)(1−u) f00 + t(1−u) f01 + (1−t)u f10 + t u f11 in that order.
// It is about as accurate as the torch path (tests compare them) and several times slower;
// it is used only where bit-reproducibility is the point. Torch-free.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/model/siren_options.h"

namespace seisinr::model {

namespace detail {
struct Tap {  // a bilinear sample's lower node and weight along one axis
  std::int64_t k0;
  float t;
};
struct Axis {  // one axis of an output grid: coordinates, and taps into the code lattice and the basis fields
  std::vector<float> coord;
  std::vector<Tap> code, basis;
};
}  // namespace detail

float portable_sin(double x);
float portable_cos(double x);

class PortableDecoder {
 public:
  // Reads meta["model"] and the "decoder.*" sections of a model or compressed-dataset file;
  // throws naming `file` when a section is missing or has the wrong shape.
  static PortableDecoder from_sinr(const codec::SinrFile& f, const std::string& file);

  const SirenOptions& options() const { return options_; }

  // One map: latent (d floats) → h·w normalised values, row-major (z rows, x columns).
  void decode(const float* latent, std::int64_t h, std::int64_t w, float* out) const;
  // The same function on any grid: rows at normalised depths zn, columns at normalised xn (each in
  // [−1, 1]); coordinates are float(u), bilinear positions (u + 1)(m − 1)/2 in double. Used by
  // tiled models (codec/tiles.h), whose tiles are sampled off their own linspace grid.
  void decode_at(const float* latent, const std::vector<double>& zn, const std::vector<double>& xn, float* out) const;

 private:
  void run(const float* latent, const detail::Axis& zs, const detail::Axis& xs, float* out) const;
  SirenOptions options_;
  std::vector<float> coord_weight_t_;               // (c, H) transposed; grid code: (c + C, H), [W_c W_z]ᵀ
  std::vector<float> latent_weight_, first_bias_;   // (H, d), (H)
  std::vector<std::vector<float>> hidden_weight_t_, hidden_bias_;  // L × (H, H) transposed, (H)
  std::vector<float> out_weight_;                   // (H)
  float out_bias_ = 0;
  std::vector<float> fourier_;                      // relu_ff: (m, 2)
  std::vector<float> basis_, mean_, readout_;       // linear path: (d, Hb, Wb), (Hb, Wb), grid (C)
  std::vector<std::vector<float>> refiner_weight_, refiner_bias_;  // refiner (model/refiner.h), per layer
};

}  // namespace seisinr::model
