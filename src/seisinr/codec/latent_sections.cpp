// seisinr/codec/latent_sections.cpp — see latent_sections.h.
#include "seisinr/codec/latent_sections.h"

#include <cmath>

#include "seisinr/codec/section_values.h"
#include "seisinr/error.h"

namespace seisinr::codec {

std::vector<float> StoredLatents::decoded() const {
  if (quant.bits == 32) return values;
  return quant.decode(codes.data(), count);
}

void put_latents(SinrFile& f, const StoredLatents& l) {
  const std::int64_t dim = l.quant.dim;
  f.meta["latent"] = {{"bits", l.quant.bits}, {"dim", dim}, {"count", l.count}};
  if (l.count == 0) return;  // no code to store
  if (l.quant.bits == 32) {
    f.sections.push_back(make_raw_section("latent.values", DType::float32, {l.count, dim}, l.values.data(), Compression::zstd));
    return;
  }
  if (l.quant.bits <= 8) {
    std::vector<std::uint8_t> b(l.codes.begin(), l.codes.end());
    f.sections.push_back(make_raw_section("latent.codes", DType::uint8, {l.count, dim}, b.data(), Compression::zstd));
  } else {
    f.sections.push_back(make_raw_section("latent.codes", DType::uint16, {l.count, dim}, l.codes.data(), Compression::zstd));
  }
  f.sections.push_back(make_raw_section("latent.offset", DType::float32, {dim}, l.quant.offset.data(), Compression::zstd));
  f.sections.push_back(make_raw_section("latent.scale", DType::float32, {dim}, l.quant.scale.data(), Compression::zstd));
}

StoredLatents get_latents(const SinrFile& f, const std::string& file, std::int64_t max_count) {
  const Context in = reading(file), header = in / "header";
  const nlohmann::json& lat = f.meta.contains("latent") ? f.meta["latent"] : nlohmann::json();
  auto field = [&](const char* key) { return header_field<std::int64_t>(lat, key, header, "meta.latent"); };
  StoredLatents l;
  const std::int64_t bits = field("bits"), dim = field("dim");
  l.count = field("count");
  if (!(bits == 32 || (bits >= 1 && bits <= 16))) throw header.corrupt("meta.latent.bits must be 1..16 or 32");
  if (dim < 1 || dim > (1 << 20)) throw header.corrupt("meta.latent.dim out of range");
  if (l.count < 0 || l.count > max_count) throw header.corrupt("meta.count / meta.latent.count out of range");
  l.quant.bits = static_cast<int>(bits);
  l.quant.dim = dim;
  if (l.count == 0) return l;
  if (bits == 32) {
    l.values = section_values<float>(f.require("latent.values", file, DType::float32, {l.count, dim}));
    for (float v : l.values)
      if (!std::isfinite(v)) throw in.corrupt("section 'latent.values' holds a non-finite value");
    return l;
  }
  const Section& codes = f.require("latent.codes", file, {l.count, dim});
  const std::uint32_t top = (1u << bits) - 1u;
  if (codes.dtype == DType::uint8 && bits <= 8) {
    auto b = section_values<std::uint8_t>(codes);
    l.codes.assign(b.begin(), b.end());
  } else if (codes.dtype == DType::uint16 && bits > 8) {
    l.codes = section_values<std::uint16_t>(codes);
  } else {
    throw in.corrupt(std::string("section 'latent.codes' has dtype ") + dtype_name(codes.dtype) + ", which does not fit " +
                     std::to_string(bits) + "-bit codes");
  }
  for (auto c : l.codes)
    if (c > top) throw in.corrupt("section 'latent.codes' holds a code above 2^bits - 1");
  l.quant.offset = section_values<float>(f.require("latent.offset", file, DType::float32, {dim}));
  l.quant.scale = section_values<float>(f.require("latent.scale", file, DType::float32, {dim}));
  for (std::int64_t j = 0; j < dim; ++j)
    if (!std::isfinite(l.quant.offset[j]) || !std::isfinite(l.quant.scale[j]) || l.quant.scale[j] < 0)
      throw in.corrupt("latent.offset/latent.scale hold a non-finite or negative value");
  return l;
}

}  // namespace seisinr::codec
