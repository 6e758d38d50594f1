// seisinr/data/summary.h — what `seisinr info` says about a .npy or .sinr file.
//
// Both summaries are JSON (printed as-is with --json) with a plain-text rendering for people.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "seisinr/names.h"

namespace seisinr::data {

// Which format a summary describes (its "kind" field).
enum class SummaryKind { npy, sinr, segy };

}  // namespace seisinr::data

template <>
struct seisinr::Names<seisinr::data::SummaryKind> {
  static constexpr const char* what = "kind";
  static constexpr NamedValue<data::SummaryKind> table[] = {
      {data::SummaryKind::npy, "npy"}, {data::SummaryKind::sinr, "sinr"}, {data::SummaryKind::segy, "segy"}};
};

namespace seisinr::data {

// .npy: shape, source dtype and order, value range, per-map distinct-value statistics, and the
// family (the file stem) with its map count.
nlohmann::json summarize_npy(const std::string& path);
nlohmann::json summarize_segy(const std::string& path);  // samples, traces, dz, dx, format, range
// .sinr: format version, producer, sizes, meta, and each section's dtype, shape, bytes and
// compression.
nlohmann::json summarize_sinr(const std::string& path);
// Chooses by the file's magic.
nlohmann::json summarize_file(const std::string& path);

std::string render_summary(const nlohmann::json& summary);

}  // namespace seisinr::data
