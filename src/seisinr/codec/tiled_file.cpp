// seisinr/codec/tiled_file.cpp — see tiled_file.h. Compiled with -ffp-contract=off (the
// neural blocks' prediction must be the same bits in the compressor and the decompressor).
#include "seisinr/codec/tiled_file.h"

#include <algorithm>
#include <cmath>

#include "seisinr/codec/section_values.h"
#include "seisinr/error.h"

namespace seisinr::codec {

namespace {

// meta[object][key] (meta[key] when object is empty) as T.
template <typename T>
T field(const nlohmann::json& m, const std::string& object, const char* key, const Context& header) {
  const nlohmann::json& j = object.empty() ? m : (m.contains(object) ? m[object] : nlohmann::json());
  return header_field<T>(j, key, header, object.empty() ? "meta" : "meta." + object);
}

}  // namespace

SinrFile to_sinr(const TiledModel& t) {
  SinrFile f;
  nlohmann::json& m = f.meta;
  m["kind"] = name_of(FileKind::tiled);
  m["grid"] = {{"height", t.height}, {"width", t.width}};
  if (t.dz > 0) m["grid"]["dz"] = t.dz;
  if (t.dx > 0) m["grid"]["dx"] = t.dx;
  m["source"] = name_of(t.source);
  m["tiles"] = {{"decoder_height", t.layout.decoder_height}, {"decoder_width", t.layout.decoder_width},
                {"scale", t.layout.scale}, {"overlap", t.layout.overlap}, {"count", t.layout.count()}};
  m["max_error"] = t.max_error > 0 ? nlohmann::json(t.max_error) : nlohmann::json(nullptr);
  m["blocks"] = {{"size", t.block}, {"prediction_stride", t.prediction_stride}};
  put_decoder(f, t.decoder);
  put_latents(f, t.latents);
  if (t.max_error > 0) {
    const std::int64_t nb = t.block_count();
    std::vector<std::uint8_t> flags(static_cast<std::size_t>(nb));
    std::vector<std::int32_t> sizes(static_cast<std::size_t>(nb));
    std::vector<unsigned char> all;
    for (std::int64_t b = 0; b < nb; ++b) {
      flags[b] = static_cast<std::uint8_t>(static_cast<int>(t.path[b]) | (t.integer[b] ? 4 : 0));
      sizes[b] = static_cast<std::int32_t>(t.residual[b].size());
      all.insert(all.end(), t.residual[b].begin(), t.residual[b].end());
    }
    f.sections.push_back(make_raw_section("block.path", DType::uint8, {nb}, flags.data(), Compression::zstd));
    f.sections.push_back(make_raw_section("block.residual_bytes", DType::int32, {nb}, sizes.data(), Compression::zstd));
    f.sections.push_back(make_raw_section("block.check", DType::int32, {nb}, t.check.data(), Compression::zstd));
    f.sections.push_back(make_raw_section("residuals", DType::uint8, {static_cast<std::int64_t>(all.size())}, all.data()));
  }
  return f;
}

std::optional<ModelSource> model_source(const SinrFile& f) {
  const auto it = f.meta.find("source");
  if (it == f.meta.end() || !it->is_string()) return std::nullopt;
  return find_name<ModelSource>(it->get<std::string>());
}

TiledModel tiled_from_sinr(const SinrFile& f, const std::string& file) {
  const nlohmann::json& m = f.meta;
  const Context in = reading(file), header = in / "header";
  const std::string kind = field<std::string>(m, "", "kind", header);
  if (find_name<FileKind>(kind) != FileKind::tiled) throw in.usage("this is a '" + kind + "' file, not a tiled model (meta.kind)");
  TiledModel t;
  t.height = field<std::int64_t>(m, "grid", "height", header);
  t.width = field<std::int64_t>(m, "grid", "width", header);
  if (t.height < 2 || t.width < 2 || t.height > (1 << 20) || t.width > (1 << 20) || t.height * t.width > (std::int64_t{1} << 36))
    throw header.corrupt("meta.grid must be between 2x2 and 2^20 x 2^20 (and at most 2^36 values)");
  if (m["grid"].contains("dz")) t.dz = field<double>(m, "grid", "dz", header);
  if (m["grid"].contains("dx")) t.dx = field<double>(m, "grid", "dx", header);
  if (!(std::isfinite(t.dz) && t.dz >= 0 && std::isfinite(t.dx) && t.dx >= 0)) throw header.corrupt("meta.grid.dz/dx must be finite and non-negative");
  t.decoder = get_decoder(f, file);
  const std::optional<ModelSource> source = find_name<ModelSource>(field<std::string>(m, "", "source", header));
  if (!source) throw header.corrupt("meta.source must be 'segy' or 'npy'");
  t.source = *source;
  const auto th = field<std::int64_t>(m, "tiles", "decoder_height", header), tw = field<std::int64_t>(m, "tiles", "decoder_width", header),
             scale = field<std::int64_t>(m, "tiles", "scale", header), overlap = field<std::int64_t>(m, "tiles", "overlap", header);
  if (th < 2 || tw < 2 || th > 4096 || tw > 4096 || scale < 1 || scale > 4096)
    throw header.corrupt("meta.tiles: decoder grid 2..4096 and scale 1..4096 expected");
  try {
    t.layout = make_tile_layout(t.height, t.width, th, tw, scale, overlap);
  } catch (const Error& e) {
    throw header.corrupt(std::string("meta.tiles: ") + e.what());
  }
  t.latents = get_latents(f, file, t.layout.count());
  if (t.latents.count != t.layout.count())
    throw in.corrupt("meta.latent.count is " + std::to_string(t.latents.count) + " but the layout has " + std::to_string(t.layout.count()) + " tiles");
  t.block = field<std::int64_t>(m, "blocks", "size", header);
  t.prediction_stride = field<std::int64_t>(m, "blocks", "prediction_stride", header);
  if (t.block < 2 || t.block > 65536 || t.prediction_stride < 1 || t.prediction_stride > 65536)
    throw header.corrupt("meta.blocks: size 2..65536 and prediction_stride 1..65536 expected");
  const auto& me = m.contains("max_error") ? m["max_error"] : nlohmann::json();
  if (me.is_null()) return t;
  if (!me.is_number() || !(me.get<double>() > 0) || !std::isfinite(me.get<double>()))
    throw header.corrupt("meta.max_error must be a positive number or null");
  t.max_error = me.get<double>();
  const std::int64_t nb = t.block_count();
  const auto flags = section_values<std::uint8_t>(f.require("block.path", file, DType::uint8, {nb}));
  const auto sizes = section_values<std::int32_t>(f.require("block.residual_bytes", file, DType::int32, {nb}));
  const auto chk = section_values<std::int32_t>(f.require("block.check", file, DType::int32, {nb}));
  const Section& res = f.require("residuals", file, DType::uint8);
  if (res.shape.size() != 1) throw in.corrupt("section 'residuals' must be a uint8 vector");
  std::uint64_t pos = 0;
  for (std::int64_t b = 0; b < nb; ++b) {
    if ((flags[b] & ~7u) || (flags[b] & 3u) == 3u) throw in.corrupt("section 'block.path' holds an unknown path (block " + std::to_string(b) + ")");
    t.path.push_back(static_cast<MapPath>(flags[b] & 3u));
    t.integer.push_back((flags[b] & 4u) ? 1 : 0);
    if (sizes[b] < 0 || pos + static_cast<std::uint64_t>(sizes[b]) > res.bytes.size())
      throw in.corrupt("section 'block.residual_bytes' does not add up to the size of 'residuals' (block " + std::to_string(b) + ")");
    t.residual.emplace_back(res.bytes.begin() + static_cast<std::ptrdiff_t>(pos), res.bytes.begin() + static_cast<std::ptrdiff_t>(pos + sizes[b]));
    pos += static_cast<std::uint64_t>(sizes[b]);
    t.check.push_back(static_cast<std::uint32_t>(chk[b]));
  }
  if (pos != res.bytes.size()) throw in.corrupt("section 'residuals' has bytes that no block claims");
  return t;
}

BlockRect block_rect(const TiledModel& t, std::int64_t b) {
  const std::int64_t bi = b / t.block_columns(), bj = b % t.block_columns();
  return {bi * t.block, std::min(t.height, (bi + 1) * t.block), bj * t.block, std::min(t.width, (bj + 1) * t.block)};
}

}  // namespace seisinr::codec
