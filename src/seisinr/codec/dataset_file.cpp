// seisinr/codec/dataset_file.cpp — see dataset_file.h.
#include "seisinr/codec/dataset_file.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <map>

#include "seisinr/codec/latent_sections.h"
#include "seisinr/codec/residual.h"
#include "seisinr/codec/section_values.h"
#include "seisinr/error.h"
#include "seisinr/io/json_get.h"

namespace seisinr::codec {

const char* map_path_name(MapPath p) {
  switch (p) {
    case MapPath::neural: return "neural";
    case MapPath::plain: return "plain";
    case MapPath::raw: return "raw";
  }
  return "?";
}

std::vector<float> CompressedDataset::latents() const {
  if (quant.bits == 32) return latent_values;
  return quant.decode(latent_codes.data(), latent_count);
}

std::vector<std::int64_t> CompressedDataset::latent_rows() const {
  std::vector<std::int64_t> rows(path.size(), -1);
  std::int64_t next = 0;
  for (std::size_t i = 0; i < path.size(); ++i)
    if (path[i] == MapPath::neural) rows[i] = next++;
  return rows;
}

SinrFile to_sinr(const CompressedDataset& d) {
  SinrFile f;
  const std::int64_t n = d.size();
  nlohmann::json& m = f.meta;
  m["kind"] = name_of(FileKind::dataset);
  m["grid"] = {{"height", d.height}, {"width", d.width}};
  if (d.dz > 0) m["grid"]["dz"] = d.dz;
  if (d.dx > 0) m["grid"]["dx"] = d.dx;
  m["count"] = n;
  m["families"] = d.families;
  m["max_error"] = d.max_error > 0 ? nlohmann::json(d.max_error) : nlohmann::json(nullptr);
  put_decoder(f, d.decoder);
  put_latents(f, {d.quant, d.latent_count, d.latent_codes, d.latent_values});
  f.sections.push_back(make_raw_section("map.family", DType::uint8, {n}, d.family.data(), Compression::zstd));
  std::vector<std::uint8_t> flags(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) flags[i] = static_cast<std::uint8_t>(static_cast<int>(d.path[i]) | (d.integer[i] ? 4 : 0));
  f.sections.push_back(make_raw_section("map.path", DType::uint8, {n}, flags.data(), Compression::zstd));
  if (d.max_error > 0) {
    std::vector<std::int32_t> sizes(static_cast<std::size_t>(n));
    std::vector<unsigned char> all;
    for (std::int64_t i = 0; i < n; ++i) {
      sizes[i] = static_cast<std::int32_t>(d.residual[i].size());
      all.insert(all.end(), d.residual[i].begin(), d.residual[i].end());
    }
    f.sections.push_back(make_raw_section("map.residual_bytes", DType::int32, {n}, sizes.data(), Compression::zstd));
    f.sections.push_back(make_raw_section("map.check", DType::int32, {n}, d.check.data(), Compression::zstd));
    f.sections.push_back(make_raw_section("residuals", DType::uint8, {static_cast<std::int64_t>(all.size())}, all.data()));
  }
  return f;
}

CompressedDataset dataset_from_sinr(const SinrFile& f, const std::string& file) {
  const nlohmann::json& m = f.meta;
  const Context in = reading(file), header = in / "header";
  const std::string kind = header_field<std::string>(m, "kind", header, "meta");
  if (find_name<FileKind>(kind) != FileKind::dataset)
    throw in.usage("this is a '" + kind + "' file, not a compressed dataset (meta.kind)");
  CompressedDataset d;
  const auto& grid = m.contains("grid") ? m["grid"] : nlohmann::json();
  d.height = header_field<std::int64_t>(grid, "height", header, "meta.grid");
  d.width = header_field<std::int64_t>(grid, "width", header, "meta.grid");
  if (d.height < 2 || d.width < 2 || d.height > 65536 || d.width > 65536)
    throw header.corrupt("meta.grid must be between 2x2 and 65536x65536");
  if (grid.contains("dz")) d.dz = header_field<double>(grid, "dz", header, "meta.grid");
  if (grid.contains("dx")) d.dx = header_field<double>(grid, "dx", header, "meta.grid");
  if (!(std::isfinite(d.dz) && d.dz >= 0 && std::isfinite(d.dx) && d.dx >= 0)) throw header.corrupt("meta.grid.dz/dx must be finite and non-negative");
  d.decoder = get_decoder(f, file);
  const std::int64_t n = header_field<std::int64_t>(m, "count", header, "meta");
  d.families = header_field<std::vector<std::string>>(m, "families", header, "meta");
  if (d.families.size() > 255) throw header.corrupt("more than 255 families");
  if (n < 0) throw header.corrupt("meta.count out of range");
  {
    StoredLatents l = get_latents(f, file, n);
    d.quant = std::move(l.quant);
    d.latent_count = l.count;
    d.latent_codes = std::move(l.codes);
    d.latent_values = std::move(l.values);
  }
  d.family = section_values<std::uint8_t>(f.require("map.family", file, DType::uint8, {n}));
  for (auto fam : d.family)
    if (fam >= d.families.size()) throw in.corrupt("section 'map.family' names a family that is not in meta.families");
  const auto flags = section_values<std::uint8_t>(f.require("map.path", file, DType::uint8, {n}));
  std::int64_t neural = 0;
  for (auto fl : flags) {
    if ((fl & ~7u) || (fl & 3u) == 3u) throw in.corrupt("section 'map.path' holds an unknown path");
    d.path.push_back(static_cast<MapPath>(fl & 3u));
    d.integer.push_back((fl & 4u) ? 1 : 0);
    neural += (fl & 3u) == 0;
  }
  if (neural != d.latent_count)
    throw in.corrupt(std::to_string(neural) + " maps take the neural path but there are " +
                std::to_string(d.latent_count) + " latent codes");
  const auto& me = m.contains("max_error") ? m["max_error"] : nlohmann::json();
  if (!me.is_null()) {
    if (!me.is_number() || !(me.get<double>() > 0) || !std::isfinite(me.get<double>()))
      throw header.corrupt("meta.max_error must be a positive number or null");
    d.max_error = me.get<double>();
    const auto sizes = section_values<std::int32_t>(f.require("map.residual_bytes", file, DType::int32, {n}));
    auto chk = section_values<std::int32_t>(f.require("map.check", file, DType::int32, {n}));
    const Section& res = f.require("residuals", file, DType::uint8);
    if (res.shape.size() != 1) throw in.corrupt("section 'residuals' must be a uint8 vector");
    std::uint64_t pos = 0;
    for (std::int64_t i = 0; i < n; ++i) {
      if (sizes[i] < 0 || pos + static_cast<std::uint64_t>(sizes[i]) > res.bytes.size())
        throw in.corrupt("section 'map.residual_bytes' does not add up to the size of 'residuals' (map " +
                    std::to_string(i) + ")");
      d.residual.emplace_back(res.bytes.begin() + static_cast<std::ptrdiff_t>(pos), res.bytes.begin() + static_cast<std::ptrdiff_t>(pos + sizes[i]));
      pos += static_cast<std::uint64_t>(sizes[i]);
      d.check.push_back(static_cast<std::uint32_t>(chk[i]));
    }
    if (pos != res.bytes.size()) throw in.corrupt("section 'residuals' has bytes that no map claims");
  } else {
    if (neural != n) throw in.corrupt("without meta.max_error every map must take the neural path");
    d.residual.assign(static_cast<std::size_t>(n), {});
    d.check.assign(static_cast<std::size_t>(n), 0);
  }
  return d;
}

nlohmann::json byte_account(const SinrFile& f, const CompressedDataset& d) {
  std::uint64_t decoder = 0, latents = 0, tables = 0, residuals = 0, sections = 0;
  for (const Section& s : f.sections) {
    sections += s.stored_bytes;
    if (s.name.rfind(kDecoderPrefix, 0) == 0) decoder += s.stored_bytes;
    else if (s.name.rfind("latent.", 0) == 0) latents += s.stored_bytes;
    else if (s.name == "residuals") residuals += s.stored_bytes;
    else tables += s.stored_bytes;
  }
  const std::uint64_t header = f.file_bytes - sections;  // prefix, JSON, padding, trailer
  const std::int64_t n = d.size();
  // Latent bytes are shared by the neural maps; with none, they are overhead like the header.
  const double shared = static_cast<double>(header + tables + decoder + (d.latent_count > 0 ? 0 : latents)) / static_cast<double>(std::max<std::int64_t>(n, 1));
  nlohmann::json per_map = nlohmann::json::array();
  for (std::int64_t i = 0; i < n; ++i) {
    const double lat = d.path[i] == MapPath::neural && d.latent_count > 0 ? static_cast<double>(latents) / static_cast<double>(d.latent_count) : 0.0;
    const double res = d.residual[i].size();
    per_map.push_back({{"path", map_path_name(d.path[i])},
                       {"family", d.families.at(d.family[i])},
                       {"latent", lat},
                       {"residual", res},
                       {"shared", shared},
                       {"total", lat + res + shared}});
  }
  const double nn = n > 0 ? static_cast<double>(n) : 1.0;
  return {{"file", f.file_bytes},   {"header", header},       {"decoder", decoder}, {"latents", latents},
          {"tables", tables},       {"residuals", residuals}, {"maps", n},          {"per_map_mean", static_cast<double>(f.file_bytes) / nn},
          {"per_map_mean_without_decoder", static_cast<double>(f.file_bytes - decoder) / nn},
          {"raw_float32", static_cast<double>(n * d.height * d.width * 4)},
          {"per_map", per_map}};
}

}  // namespace seisinr::codec
