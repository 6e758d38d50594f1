// seisinr/io/speeds.h — the speeds a velocity model in m/s plausibly holds, and the warning that
// says where a model leaves them. Torch-free.
//
// Rocks and fluids span about 300 m/s (dry soil) to 8,500 m/s (the upper mantle); water is
// 1,480 m/s. Outside [100, 10,000] m/s a value is almost surely not a speed in m/s: km/s (1.5),
// slowness, a raw file read in the wrong byte order (1e-42), a mask (0), or a sign flipped.
// Such a model still loads (it may be meant), but the readers say so once, naming the file, how
// many values, and where the first one lies.
#pragma once

#include <string>

#include "seisinr/io/npy.h"

namespace seisinr::io {

inline constexpr double kPlausibleMinSpeed = 100, kPlausibleMaxSpeed = 10000;  // m/s

// How a location in `maps` is named: a .npy stack ("map n, row i, column j") or one model of
// traces (SEG-Y, raw: "trace j, sample i").
enum class Places { maps, traces };

// "" when every value lies in [kPlausibleMinSpeed, kPlausibleMaxSpeed]; else
// "warning: FILE: K of N values lie outside 100..10000 m/s, the first at trace 3, sample 0
//  (-5 m/s)" followed by `hint` (e.g. "; is --byte-order right?").
std::string speed_warning(const MapStack& maps, const std::string& file, Places places, const std::string& hint = "");

}  // namespace seisinr::io
