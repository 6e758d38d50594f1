// seisinr/codec/decoder_record.cpp — see decoder_record.h.
#include "seisinr/codec/decoder_record.h"

#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "seisinr/codec/section_values.h"
#include "seisinr/error.h"

namespace seisinr::codec {

namespace {
bool is_decoder_section(const Section& s) { return s.name.rfind(kDecoderPrefix, 0) == 0; }
}  // namespace

std::string decoder_hash(const SinrFile& f) {
  XXH3_state_t* st = XXH3_createState();
  XXH3_64bits_reset(st);
  auto add = [&](const std::string& s) {
    const std::uint64_t n = s.size();
    XXH3_64bits_update(st, &n, sizeof n);
    XXH3_64bits_update(st, s.data(), s.size());
  };
  add("seisinr-decoder-v1");
  add(f.meta.contains("model") ? f.meta["model"].dump() : "null");
  add(f.meta.contains("normalisation") ? f.meta["normalisation"].dump() : "null");
  std::vector<const Section*> secs;
  for (const Section& s : f.sections)
    if (is_decoder_section(s)) secs.push_back(&s);
  std::sort(secs.begin(), secs.end(), [](const Section* a, const Section* b) { return a->name < b->name; });
  for (const Section* s : secs) {
    add(s->name);
    add(dtype_name(s->dtype));
    std::string shape;
    for (auto d : s->shape) shape += std::to_string(d) + ",";
    add(shape);
    XXH3_64bits_update(st, s->bytes.data(), s->bytes.size());
  }
  const std::uint64_t h = XXH3_64bits_digest(st);
  XXH3_freeState(st);
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

DecoderRecord describe_decoder(const SinrFile& mf, const std::string& path, bool embed) {
  const Context in = reading(path), header = in / "header";
  DecoderRecord d;
  const auto& norm = mf.meta.contains("normalisation") ? mf.meta["normalisation"] : nlohmann::json();
  d.vmin = header_field<double>(norm, "vmin", header, "meta.normalisation");
  d.vmax = header_field<double>(norm, "vmax", header, "meta.normalisation");
  if (!mf.meta.contains("model") || !mf.meta["model"].is_object()) throw header.corrupt("meta.model is missing");
  d.model = mf.meta["model"];
  d.hash = decoder_hash(mf);
  d.file = std::filesystem::path(path).filename().string();
  d.embedded = embed;
  if (embed)
    for (const Section& s : mf.sections)
      if (is_decoder_section(s)) d.sections.push_back(s);
  return d;
}

SinrFile embedded_decoder(const DecoderRecord& d) {
  SinrFile f;
  f.meta["model"] = d.model;
  f.meta["normalisation"] = {{"vmin", d.vmin}, {"vmax", d.vmax}};
  f.sections = d.sections;
  return f;
}

void put_decoder(SinrFile& f, const DecoderRecord& d) {
  f.meta["normalisation"] = {{"vmin", d.vmin}, {"vmax", d.vmax}};
  f.meta["model"] = d.model;
  f.meta["decoder"] = {{"hash", d.hash}, {"embedded", d.embedded}, {"file", d.file}};
  if (!d.embedded) return;
  for (Section s : d.sections) {
    s.compression = Compression::zstd;
    f.sections.push_back(std::move(s));
  }
}

DecoderRecord get_decoder(const SinrFile& f, const std::string& file) {
  const nlohmann::json& m = f.meta;
  const Context in = reading(file), header = in / "header";
  DecoderRecord d;
  const auto& norm = m.contains("normalisation") ? m["normalisation"] : nlohmann::json();
  d.vmin = header_field<double>(norm, "vmin", header, "meta.normalisation");
  d.vmax = header_field<double>(norm, "vmax", header, "meta.normalisation");
  if (!std::isfinite(d.vmin) || !std::isfinite(d.vmax) || !(d.vmax > d.vmin))
    throw header.corrupt("meta.normalisation needs finite vmin < vmax");
  if (!m.contains("model") || !m["model"].is_object()) throw header.corrupt("meta.model is missing");
  d.model = m["model"];
  const auto& dec = m.contains("decoder") ? m["decoder"] : nlohmann::json();
  d.hash = header_field<std::string>(dec, "hash", header, "meta.decoder");
  d.embedded = header_field<bool>(dec, "embedded", header, "meta.decoder");
  if (dec.is_object() && dec.contains("file") && dec["file"].is_string()) d.file = dec["file"].get<std::string>();
  if (d.embedded) {
    for (const Section& s : f.sections)
      if (is_decoder_section(s)) d.sections.push_back(s);
    if (d.sections.empty()) throw in.corrupt("meta.decoder.embedded is true but there are no decoder sections");
  }
  return d;
}

}  // namespace seisinr::codec
