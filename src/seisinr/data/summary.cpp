// seisinr/data/summary.cpp — `seisinr info` summaries (see summary.h).
#include "seisinr/data/summary.h"
#include "seisinr/text.h"

#include <algorithm>
#include <map>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "seisinr/codec/dataset_file.h"
#include "seisinr/codec/sinr_format.h"
#include "seisinr/error.h"
#include "seisinr/io/segy.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/io/npy.h"
#include "seisinr/data/split.h"

namespace seisinr::data {

namespace {

nlohmann::json npy_summary(const std::string& path, const std::vector<unsigned char>& bytes) {
  io::NpyArray a = io::parse_npy(bytes.data(), bytes.size(), path);
  const std::string dtype = a.source_dtype;
  const bool fortran = a.source_fortran_order;
  io::MapStack m = io::to_map_stack(std::move(a), path);
  auto [lo, hi] = std::minmax_element(m.values.begin(), m.values.end());
  double sum = 0;
  std::size_t integer = 0;
  for (float v : m.values) {
    sum += v;
    integer += std::floor(v) == v;
  }
  std::vector<std::size_t> distinct;
  for (std::int64_t i = 0; i < m.n; ++i) {
    std::vector<float> v(m.map(i), m.map(i) + m.map_size());
    std::sort(v.begin(), v.end());
    distinct.push_back(static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin()));
  }
  std::sort(distinct.begin(), distinct.end());
  nlohmann::json j;
  j["file"] = path;
  j["kind"] = name_of(SummaryKind::npy);
  j["bytes"] = bytes.size();
  j["dtype"] = dtype;
  j["fortran_order"] = fortran;
  j["maps"] = m.n;
  j["height"] = m.h;
  j["width"] = m.w;
  j["family"] = std::filesystem::path(path).stem().string();
  j["min"] = *lo;
  j["max"] = *hi;
  j["mean"] = sum / static_cast<double>(m.values.size());
  j["integer_valued_fraction"] = static_cast<double>(integer) / static_cast<double>(m.values.size());
  j["distinct_values_per_map"] = {{"min", distinct.front()}, {"median", distinct[distinct.size() / 2]}, {"max", distinct.back()}};
  return j;
}

nlohmann::json sinr_summary(const std::string& path, const std::vector<unsigned char>& bytes) {
  codec::SinrFile f = codec::parse_sinr(bytes.data(), bytes.size(), path);
  nlohmann::json j;
  j["file"] = path;
  j["kind"] = name_of(SummaryKind::sinr);
  j["bytes"] = f.file_bytes;
  j["format_version"] = f.format_version;
  j["producer"] = f.producer;
  j["header_bytes"] = f.header_bytes;
  j["meta"] = f.meta;
  nlohmann::json list = nlohmann::json::array();
  for (const auto& s : f.sections)
    list.push_back({{"name", s.name},
                    {"dtype", codec::dtype_name(s.dtype)},
                    {"shape", s.shape},
                    {"raw_bytes", s.bytes.size()},
                    {"stored_bytes", s.stored_bytes},
                    {"compression", name_of(s.compression)}});
  j["sections"] = std::move(list);
  if (f.kind() == codec::FileKind::dataset) j["byte_account"] = codec::byte_account(f, codec::dataset_from_sinr(f, path));
  return j;
}

}  // namespace

nlohmann::json summarize_npy(const std::string& path) { return npy_summary(path, io::read_file(path)); }
nlohmann::json summarize_sinr(const std::string& path) { return sinr_summary(path, io::read_file(path)); }

nlohmann::json summarize_segy(const std::string& path) {
  const io::SegyModel s = io::read_segy(path);
  const auto [lo, hi] = std::minmax_element(s.map.values.begin(), s.map.values.end());
  double sum = 0;
  for (float v : s.map.values) sum += v;
  return {{"file", path},   {"kind", name_of(SummaryKind::segy)},  {"samples", s.map.h},
          {"traces", s.map.w}, {"dz", s.grid.dz},     {"dx", s.grid.dx}, {"z0", s.grid.z0}, {"x0", s.grid.x0},
          {"format", s.format == 1 ? "IBM float" : "IEEE float"},
          {"min", *lo},     {"max", *hi},      {"mean", sum / static_cast<double>(s.map.values.size())}};
}

nlohmann::json summarize_file(const std::string& path) {
  if (io::is_segy_path(path)) return summarize_segy(path);
  const std::vector<unsigned char> bytes = io::read_file(path);  // read once, parsed by whichever format it is
  if (codec::looks_like_sinr(bytes.data(), bytes.size())) return sinr_summary(path, bytes);
  if (bytes.size() >= 6 && bytes[0] == 0x93 && std::equal(bytes.begin() + 1, bytes.begin() + 6, "NUMPY"))
    return npy_summary(path, bytes);
  throw reading(path).usage("neither a .npy nor a .sinr file (unknown magic), nor named .sgy/.segy");
}

std::string render_summary(const nlohmann::json& j) {
  std::ostringstream o;
  char buf[256];
  const SummaryKind kind = parse_name<SummaryKind>(j.at("kind").get<std::string>(), "summary: ");
  if (kind == SummaryKind::segy) {
    std::snprintf(buf, sizeof buf, "SEG-Y (%s), %lld samples (z) x %lld traces (x), dz %.4g m, dx %.4g m", j["format"].get<std::string>().c_str(),
                  j["samples"].get<long long>(), j["traces"].get<long long>(), j["dz"].get<double>(), j["dx"].get<double>());
    o << j["file"].get<std::string>() << ": " << buf;
    if (j.value("z0", 0.0) != 0 || j.value("x0", 0.0) != 0) {
      std::snprintf(buf, sizeof buf, ", first sample at z %.4g m, x %.4g m", j["z0"].get<double>(), j["x0"].get<double>());
      o << buf;
    }
    std::snprintf(buf, sizeof buf, "\n  range %.2f .. %.2f m/s, mean %.2f m/s\n", j["min"].get<double>(), j["max"].get<double>(), j["mean"].get<double>());
    o << buf;
  } else if (kind == SummaryKind::npy) {
    o << j["file"].get<std::string>() << ": .npy, " << count_of(j["maps"].get<std::int64_t>(), "map") << " of " << j["height"] << "x" << j["width"]
      << " (" << j["dtype"].get<std::string>() << (j["fortran_order"].get<bool>() ? ", Fortran order" : ", C order")
      << ", " << j["bytes"] << " bytes)\n";
    std::snprintf(buf, sizeof buf, "  range %.2f .. %.2f m/s, mean %.2f m/s, %.1f%% integer-valued\n",
                  j["min"].get<double>(), j["max"].get<double>(), j["mean"].get<double>(),
                  100.0 * j["integer_valued_fraction"].get<double>());
    o << buf;
    const auto& d = j["distinct_values_per_map"];
    o << "  distinct values per map: min " << d["min"] << ", median " << d["median"] << ", max " << d["max"] << "\n";
    o << "  family (file stem): " << j["family"].get<std::string>() << ", " << count_of(j["maps"].get<std::int64_t>(), "map") << "\n";
  } else {
    o << j["file"].get<std::string>() << ": .sinr format " << j["format_version"] << ", " << j["bytes"]
      << " bytes, written by " << j["producer"].get<std::string>() << "\n";
    o << "  header: " << j["header_bytes"] << " bytes of JSON\n";
    if (!j["meta"].empty()) {
      // Long per-map lists are summarised; everything else is shown as JSON.
      nlohmann::json meta = j["meta"];
      for (const char* list : {"maps", "trained_hashes"}) {
        if (meta.contains(list) && meta[list].is_array() && meta[list].size() > 4) {
          std::size_t trained = 0;
          for (const auto& m : meta[list])
            if (is_trained_entry(m)) ++trained;
          meta[list] = std::to_string(meta[list].size()) + " entries" +
                       (list == std::string("maps") ? " (" + std::to_string(trained) + " trained)" : "");
        }
      }
      for (auto it = meta.begin(); it != meta.end(); ++it) o << "  " << it.key() << ": " << it.value().dump() << "\n";
    }
    o << "  sections:\n";
    for (const auto& s : j["sections"]) {
      std::string shape;
      for (const auto& d : s["shape"]) shape += (shape.empty() ? "" : "x") + std::to_string(d.get<std::int64_t>());
      std::snprintf(buf, sizeof buf, "    %-32s %-8s %-16s %10llu B stored (%llu raw, %s)\n",
                    s["name"].get<std::string>().c_str(), s["dtype"].get<std::string>().c_str(),
                    shape.empty() ? "scalar" : shape.c_str(), s["stored_bytes"].get<unsigned long long>(),
                    s["raw_bytes"].get<unsigned long long>(), s["compression"].get<std::string>().c_str());
      o << buf;
    }
    if (j.contains("byte_account")) {
      const auto& b = j["byte_account"];
      const double n = std::max(1.0, b["maps"].get<double>());
      std::snprintf(buf, sizeof buf,
                    "  bytes: %llu total = header %llu + decoder %llu + latents %llu + tables %llu + residuals %llu\n",
                    b["file"].get<unsigned long long>(), b["header"].get<unsigned long long>(), b["decoder"].get<unsigned long long>(),
                    b["latents"].get<unsigned long long>(), b["tables"].get<unsigned long long>(), b["residuals"].get<unsigned long long>());
      o << buf;
      std::snprintf(buf, sizeof buf, "  per map: %.1f B (%.1f B without the decoder), against %.0f B of raw float32 (%.1f:1)\n",
                    b["per_map_mean"].get<double>(), b["per_map_mean_without_decoder"].get<double>(), b["raw_float32"].get<double>() / n,
                    b["raw_float32"].get<double>() / std::max(1.0, b["file"].get<double>()));
      o << buf;
      // Per family and path: maps and mean bytes of their own (latent share + residual).
      std::map<std::string, std::pair<std::int64_t, double>> groups;
      for (const auto& m : b["per_map"]) {
        auto& g = groups[m["family"].get<std::string>() + " / " + m["path"].get<std::string>()];
        g.first += 1;
        g.second += m["latent"].get<double>() + m["residual"].get<double>();
      }
      for (const auto& [k, g] : groups) {
        std::snprintf(buf, sizeof buf, "    %-32s %6lld maps, %10.1f B/map own (latent + residual)\n", k.c_str(),
                      static_cast<long long>(g.first), g.second / static_cast<double>(g.first));
        o << buf;
      }
    }
  }
  return o.str();
}

}  // namespace seisinr::data
