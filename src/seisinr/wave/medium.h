// seisinr/wave/medium.h — internal: the padded grid and per-cell coefficients of the scheme in
// wave/acoustic.h, shared by the forward solver and its linearisation/adjoint (wave/gradient.h).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "seisinr/wave/acquisition.h"

// The hot loops (the forward step here and in gradient.cpp, the adjoint step, the gradient's
// accumulation, the C-PML's blocks) are built for x86-64-v3 (AVX2 + FMA) and plain x86-64, and
// the machine's is picked once at load time (GCC function multiversioning): one portable binary.
// An x86-64-v4 (AVX-512) build was measured slower on the development machine's AVX-512 cores
// (damping forward 0.223 s against 0.208 s per map, C-PML forward 0.068 against 0.062 s, C-PML
// gradient 0.241 against 0.223 s; docs/fwi.md), so AVX-512 machines run the AVX2 clone. Results differ from the plain build within float32
// rounding (FMA contraction): bench/fwi_speed.py compares the gathers with its PyTorch script's,
// and the physics, dot-product and Taylor tests (tests/test_wave.cpp) run on whichever clone the
// machine picks. -DSEISINR_NO_CLONES builds the plain loops only.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__) && !defined(SEISINR_NO_CLONES)
#define SEISINR_WAVE_CLONES __attribute__((target_clones("arch=x86-64-v3", "default")))
#else
#define SEISINR_WAVE_CLONES
#endif

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
  // The C-PML (wave/acoustic.h): a, b per column X (pa_x, pb_x, NX) and per row Z (pa_z, pb_z,
  // NZ), zero in the model; with it κ = 0 (A = 2 + a_0 (ax + az), B = 1, C = 2).
  bool pml = false;
  std::vector<float> pa_x, pb_x, pa_z, pb_z;
  std::vector<double> d1;     // the first derivative's weights c_1..c_R: D1 f = Σ c_k (f[+k] − f[−k])
};

// The central first-derivative weights c_1..c_R of the order (2, 4 or 8).
std::vector<double> first_derivative_weights(int order);
// a and b of the C-PML in cell i = 0 (next to the model) .. w − 1 of a layer of w cells of size h.
std::pair<double, double> cpml_coefficients(std::int64_t i, std::int64_t w, double h, double speed, double freq, double dt);

// d(i) of the damping layer, i = 0 next to the model .. b − 1 at the outer edge.
double damping(std::int64_t i, std::int64_t b, double h, double vmin);
// Velocity replicated into the layer; the boundary's profile from a.boundary_speed, or the map's
// own (minimum for the damping, maximum for the C-PML).
Medium build_medium(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a);

}  // namespace seisinr::wave::detail
