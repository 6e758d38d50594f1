// seisinr/wave/medium.h — internal: the padded grid and per-cell coefficients of the scheme in
// wave/acoustic.h, shared by the forward solver and its linearisation/adjoint (wave/gradient.h).
#pragma once

#include <cstdint>
#include <vector>

#include "seisinr/wave/acquisition.h"

namespace seisinr::wave::detail {

// The model padded by `b` damping cells per side (NZ × NX); arrays indexed Z · NX + X. Fields
// carry a halo of R = order/2 zero cells: index (Z + R) · stride + (X + R).
struct Medium {
  std::int64_t nz = 0, nx = 0, b = 0, R = 0;
  std::int64_t NZ = 0, NX = 0, stride = 0;
  std::vector<float> ax, az;  // (v dt / dx)², (v dt / dz)²
  std::vector<float> A, B, C; // 2 − κ + a_0 (ax + az), 1 − κ, 2 − κ
  std::vector<float> vdt2;    // (v dt)², the injection's scale
  bool iso = false;           // dx = dz, so ax = az: one Laplacian, one coefficient stream
};

// d(i) of the damping layer, i = 0 next to the model .. b − 1 at the outer edge.
double damping(std::int64_t i, std::int64_t b, double h, double vmin);
// Velocity replicated into the layer; damping from a.damping_speed, or the map's minimum speed.
Medium build_medium(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a);

}  // namespace seisinr::wave::detail
