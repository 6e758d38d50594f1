// seisinr/wave/acoustic.h — 2D constant-density acoustic finite differences (issue 16).
//
// The equation: p_tt = v(x, z)² (∇²p + s(t) δ(x − x_s)) — pressure p, velocity v, no density
// contrast, no free surface. The scheme (CSIM/KAUST FD2.8 a2d_mod_abc24, as OpenFWI used it),
// on the model padded by `boundary` damping cells on every side (v replicated outwards):
//
//   p⁽ⁿ⁺¹⁾ = (2 − κ) p⁽ⁿ⁾ − (1 − κ) p⁽ⁿ⁻¹⁾ + (v dt)² L p⁽ⁿ⁾,     then  p⁽ⁿ⁺¹⁾[s] += (v_s dt)² w[n]
//   L p = Σ_k a_k (p[z, x+k] + p[z, x−k]) / dx² + Σ_k a_k (p[z+k, x] + p[z−k, x]) / dz²   (k = 0 counted once)
//
// with a = {−2, 1} (2nd order), {−5/2, 4/3, −1/12} (4th, OpenFWI's) or {−205/72, 8/5, −1/5,
// 8/315, −1/560} (8th); p = 0 beyond the padded grid. Receivers record p⁽ⁿ⁺¹⁾ after the
// injection: trace sample n is the field at time (n + 1) dt, the source sample w[n] acting at n dt.
// Damping κ = d dt with d = k0 (i h / A)², i = 0 in the damping cell next to the model up to
// boundary − 1 at the outer edge (in a corner, the larger of the two), A = (boundary − 1) h,
// k0 = 3 v_min ln(10⁷) / (2A), h = dx across x and dz across z.
//
// The C-PML (Acquisition::boundary_kind = cpml; Komatitsch & Martin 2007's convolutional PML,
// written for the second-order equation as in Pasalic & McGarry 2010). In the `boundary` cells
// the coordinates are stretched, ∂_x → (1/s_x) ∂_x with s_x = 1 + σ_x / (α_x + iω), and the
// recursive convolutions give, per axis (x shown, z alike; D1 the order's central first
// derivative, D2 the stencil above, both without their 1/h, 1/h²):
//   ψ_x⁽ⁿ⁾ = a_x ψ_x⁽ⁿ⁻¹⁾ + b_x D1_x p⁽ⁿ⁾
//   T_x    = D2_x p⁽ⁿ⁾ + D1_x ψ_x⁽ⁿ⁾                      (h² ∂_x(∂_x p + ψ_x))
//   ζ_x⁽ⁿ⁾ = a_x ζ_x⁽ⁿ⁻¹⁾ + b_x T_x
//   p⁽ⁿ⁺¹⁾ = 2 p⁽ⁿ⁾ − p⁽ⁿ⁻¹⁾ + (v dt/dx)² (T_x + ζ_x⁽ⁿ⁾) + (v dt/dz)² (T_z + ζ_z⁽ⁿ⁾)
// with a = exp(−(σ + α) dt), b = σ (a − 1) / (σ + α), σ = σ_max r², α = π f (1 − r), r = (i + 1)/w
// in the i-th cell from the model (i = 0 .. w − 1, w = boundary), σ_max = −3 v ln(ρ) / (2 w h),
// ρ = 10⁻⁵, f the survey's frequency and v the profile's speed (the map's maximum, or
// Acquisition::boundary_speed). a = b = 0 in the model: ψ = ζ = 0 there and the step is the one
// above with κ = 0. ψ and ζ start at zero; the velocity is replicated into the layer.
//
// Stability: leapfrog in time is stable while (v dt)² λ_max(−L) ≤ 4, λ_max(−L) = S (1/dx² + 1/dz²),
// S = |a_0| + 2 Σ_{k≥1} |a_k| (4, 16/3 and 6.50 for orders 2, 4, 8); wave/acquisition.h checks it.
// Reciprocity: written as v⁻² D_κ p − L p = w δ_s, the spatial operator is symmetric (v⁻² and κ
// are diagonal, L is symmetric), so swapping a source and a receiver gives the same trace (with
// the C-PML, to the layer's small asymmetry: the tests measure it).
//
// Float32 throughout; one shot's work is serial, shots (and in forward_maps maps) run on
// `threads` threads.
// Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "seisinr/io/npy.h"
#include "seisinr/wave/acquisition.h"

namespace seisinr::wave {

// Shot gathers of one nz × nx map (row-major, v in m/s): out[(shot · nt + n) · nrec + r], the
// OpenFWI layout (5, 1000, 70) per map. `out` must hold sources · nt · receivers floats.
// Assumes check_acquisition passed for this map's speeds.
void forward(const float* v, std::int64_t nz, std::int64_t nx, const Acquisition& a, float* out, int threads = 1);

// Throws, naming the file `name`, the map and the cell, when a speed is not finite and > 0;
// returns the smallest and largest speed of all maps.
std::pair<double, double> check_speeds(const io::MapStack& maps, const std::string& name);

// Every map of a stack: checks the speeds (finite and > 0, the file `name` and the map named)
// and the survey (check_acquisition, its errors naming `survey`: survey_name()) before any work,
// then simulates `threads` maps at a time, all their shots in parallel, and hands each map's
// gathers to sink(i, data) in order (the same gathers for any thread count). Returns
// check_acquisition's warning (or "").
std::string forward_maps(const io::MapStack& maps, const Acquisition& a, const std::string& name, const std::string& survey, int threads,
                         const std::function<void(std::int64_t, const float*)>& sink);

// Cell updates one forward() call performs (for speed figures): shots · nt · padded cells.
double cell_updates(std::int64_t nz, std::int64_t nx, const Acquisition& a);

// The stencil weights a_0..a_{order/2} of the given order (2, 4 or 8).
std::vector<double> laplacian_weights(int order);

}  // namespace seisinr::wave
