// seisinr/io/json_get.h — typed, range-checked reads of JSON fields from files we did not write.
//
// nlohmann::json's get<T>() converts a number of one kind into another with a plain C++ cast:
// 1e30 into an int64 field, or 1e300 into a float, is undefined behaviour (found by the
// json_config fuzzer). These helpers accept a value only when it fits T exactly — an integer
// field takes an integer (or a float with an integral value) inside T's range, a float field a
// finite number inside T's range, bool a boolean, string a string — and otherwise throw
// seisinr::Error naming `where` and the key.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

#include "seisinr/error.h"

namespace seisinr::io {

template <typename T>
T json_as(const nlohmann::json& v, const std::string& what) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) throw Error(what + ": expected true or false");
    return v.get<bool>();
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) throw Error(what + ": expected a string");
    return v.get<std::string>();
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!v.is_array()) throw Error(what + ": expected an array of strings");
    T out;
    for (const auto& e : v) out.push_back(json_as<std::string>(e, what + "[]"));
    return out;
  } else if constexpr (std::is_integral_v<T>) {
    const std::string range = " in [" + std::to_string(std::numeric_limits<T>::min()) + ", " +
                              std::to_string(std::numeric_limits<T>::max()) + "]";
    if (v.is_number_unsigned()) {
      const std::uint64_t u = v.get<std::uint64_t>();
      if (u > static_cast<std::uint64_t>(std::numeric_limits<T>::max())) throw Error(what + ": expected an integer" + range);
      return static_cast<T>(u);
    }
    if (v.is_number_integer()) {
      const std::int64_t i = v.get<std::int64_t>();
      if constexpr (std::is_unsigned_v<T>) {
        if (i < 0) throw Error(what + ": expected an integer" + range);
      } else {
        if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) || i > static_cast<std::int64_t>(std::numeric_limits<T>::max()))
          throw Error(what + ": expected an integer" + range);
      }
      return static_cast<T>(i);
    }
    if (v.is_number_float()) {
      const double d = v.get<double>();
      // 2^(digits) is exactly representable; the upper test is strict so that the cast is defined.
      const double hi = std::ldexp(1.0, std::numeric_limits<T>::digits), lo = static_cast<double>(std::numeric_limits<T>::min());
      if (std::isfinite(d) && d == std::trunc(d) && d >= lo && d < hi) return static_cast<T>(d);
    }
    throw Error(what + ": expected an integer" + range);
  } else {
    static_assert(std::is_floating_point_v<T>, "json_as: unsupported type");
    if (v.is_number()) {
      const double d = v.get<double>();
      if (std::isfinite(d) && std::fabs(d) <= static_cast<double>(std::numeric_limits<T>::max())) return static_cast<T>(d);
    }
    throw Error(what + ": expected a finite number");
  }
}

// j[key] as T, or `fallback` when the key is absent. `where` names the object, e.g. "config".
template <typename T>
T json_get(const nlohmann::json& j, const char* key, const T& fallback, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": expected a JSON object");
  const auto it = j.find(key);
  return it == j.end() ? fallback : json_as<T>(*it, where + "." + key);
}

// j[key] as T; throws when the key is absent.
template <typename T>
T json_require(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.is_object()) throw Error(where + ": expected a JSON object");
  const auto it = j.find(key);
  if (it == j.end()) throw Error(where + "." + key + " is missing");
  return json_as<T>(*it, where + "." + key);
}

}  // namespace seisinr::io
