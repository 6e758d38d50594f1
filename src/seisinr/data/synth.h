// seisinr/data/synth.h — OpenFWI-like synthetic velocity maps in five structural families.
//
// Units m/s, maps of H×W with z = depth = rows, x = columns. Each map depends only on
// (seed, family, index), so a file of N maps is a prefix of a file of N+K maps, and a given seed
// gives the same bytes on any IEEE-754 machine: the generator uses its own integer RNG
// (SplitMix64) and its own polynomial sine, never the C++ library's distributions or libm.
//
// Construction (after OpenFWI, Deng et al. 2022; calibrated against the real maps, see
// docs/synthetic-data.md):
//   FlatVel    3–8 horizontal layers, velocities drawn in [vmin, vmax], sorted so velocity increases
//              with depth, rounded to integer m/s.
//   CurveVel   the same layer stack bent by a displacement s(x) = Σ_j a_j sin(2π f_j x / W + φ_j)
//              (1–3 terms): v(z, x) = layer(z − s(x)). Integer-valued.
//   FlatFault  5–10 flat layers cut by one or two straight faults: on the hanging-wall side of a
//              line through (x0, z0) with dip θ the stack is shifted down or up by a throw t;
//              values within ~2 px of a fault are blended with a binomial-smoothed copy, as the
//              real maps are smoothed near their faults (so not integer-valued there).
//   CurveFault the same with a curved (CurveVel) layer stack.
//   Style      not from natural images as OpenFWI's Style family is: a linear depth trend plus a
//              band-limited random field Σ_k A_k cos(k·r + φ_k), |k| ≤ 6 cycles per map, amplitude
//              ∝ 1/|k|, then clipped to [vmin, vmax]. Smooth and not piecewise constant.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/io/npy.h"
#include "seisinr/names.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::data {

enum class Family { flat_vel, curve_vel, flat_fault, curve_fault, style };

}  // namespace seisinr::data

template <>
struct seisinr::Names<seisinr::data::Family> {
  static constexpr const char* what = "family";
  static constexpr NamedValue<data::Family> table[] = {{data::Family::flat_vel, "FlatVel"},
                                                       {data::Family::curve_vel, "CurveVel"},
                                                       {data::Family::flat_fault, "FlatFault"},
                                                       {data::Family::curve_fault, "CurveFault"},
                                                       {data::Family::style, "Style"}};
};

namespace seisinr::data {

const std::vector<Family>& all_families();  // in the table's order
std::string family_name(Family f);          // name_of(f): "FlatVel", "CurveVel", "FlatFault", "CurveFault", "Style"
Family family_from_name(const std::string& name);  // throws seisinr::Error (usage): "unknown family '...'"

struct SynthOptions {
  std::int64_t h = 70, w = 70;
  float vmin = codec::kDefaultVmin, vmax = codec::kDefaultVmax;
};

// One map into out[h * w].
void synthesize_map(Family family, std::uint64_t seed, std::int64_t index, const SynthOptions& options, float* out);
// Maps 0..count-1.
io::MapStack synthesize(Family family, std::int64_t count, std::uint64_t seed, const SynthOptions& options = {});

// Deterministic sine (|error| < 1e-6 on any argument of moderate size); exposed for tests.
double det_sin(double x);

}  // namespace seisinr::data
