// seisinr/io/speeds.cpp — see speeds.h.
#include "seisinr/io/speeds.h"

#include <cstdio>

namespace seisinr::io {

std::string speed_warning(const MapStack& maps, const std::string& file, Places places, const std::string& hint) {
  std::size_t outside = 0, first = 0;
  for (std::size_t k = 0; k < maps.values.size(); ++k) {
    const float v = maps.values[k];
    if (!(v >= kPlausibleMinSpeed && v <= kPlausibleMaxSpeed) && outside++ == 0) first = k;
  }
  if (outside == 0) return {};
  const std::size_t hw = maps.map_size(), w = static_cast<std::size_t>(maps.w);
  const std::size_t n = first / hw, row = first % hw / w, col = first % w;
  char where[160];
  if (places == Places::traces)
    std::snprintf(where, sizeof where, "trace %zu, sample %zu", col, row);
  else
    std::snprintf(where, sizeof where, "map %zu, row %zu, column %zu", n, row, col);
  char text[320];
  std::snprintf(text, sizeof text, "%zu of %zu values lie outside %.0f..%.0f m/s, the first at %s (%.4g m/s)", outside, maps.values.size(),
                kPlausibleMinSpeed, kPlausibleMaxSpeed, where, static_cast<double>(maps.values[first]));
  return "warning: " + file + ": " + text + hint;
}

}  // namespace seisinr::io
