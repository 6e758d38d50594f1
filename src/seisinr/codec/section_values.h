// seisinr/codec/section_values.h — typed reads of a .sinr file's sections and header fields,
// shared by the compressed-dataset, tiled-model and latent readers. Torch-free.
#pragma once

#include <cstring>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/error.h"
#include "seisinr/io/json_get.h"

namespace seisinr::codec {

// The section's payload as T values (the caller has checked its dtype with SinrFile::require).
template <typename T>
std::vector<T> section_values(const Section& s) {
  std::vector<T> v(static_cast<std::size_t>(s.numel()));
  if (!v.empty()) std::memcpy(v.data(), s.bytes.data(), v.size() * sizeof(T));
  return v;
}

// j[key] as T; a missing key or a wrong type is a corrupt header, named `where.key`.
template <typename T>
T header_field(const nlohmann::json& j, const char* key, const Context& header, const std::string& where) {
  if (!j.is_object() || !j.contains(key)) throw header.corrupt(where + "." + key + " is missing");
  try {
    return io::json_as<T>(j.at(key), where + "." + key);
  } catch (const Error& e) {
    throw header.corrupt(std::string(e.what()) + " (wrong type or out of range)");
  }
}

}  // namespace seisinr::codec
