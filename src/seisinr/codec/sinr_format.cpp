// seisinr/codec/sinr_format.cpp — writer and strict reader of the .sinr container (see the header
// and docs/sinr-format.md for the byte layout).
#include "seisinr/codec/sinr_format.h"

#include <unistd.h>
#include <xxhash.h>
#include <zstd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <optional>
#include <set>

#include "seisinr/codec/half.h"
#include "seisinr/error.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/parallel.h"
#include "seisinr/version.h"

namespace seisinr::codec {
namespace {

constexpr char kMagic[8] = {'S', 'E', 'I', 'S', 'I', 'N', 'R', '\0'};
constexpr char kEndMagic[8] = {'S', 'I', 'N', 'R', '_', 'E', 'N', 'D'};
constexpr std::size_t kPrefixBytes = 32;
constexpr std::size_t kTrailerBytes = 16;
constexpr std::size_t kAlign = 64;
// Refuse to allocate more than this for one section, whatever a header claims.
constexpr std::uint64_t kMaxSectionBytes = std::uint64_t(16) << 30;
constexpr std::size_t kMaxHeaderBytes = std::size_t(256) << 20;

void put_u32(unsigned char* p, std::uint32_t v) { std::memcpy(p, &v, 4); }
void put_u64(unsigned char* p, std::uint64_t v) { std::memcpy(p, &v, 8); }
std::uint32_t get_u32(const unsigned char* p) { std::uint32_t v; std::memcpy(&v, p, 4); return v; }
std::uint64_t get_u64(const unsigned char* p) { std::uint64_t v; std::memcpy(&v, p, 8); return v; }

std::uint64_t align_up(std::uint64_t v) { return (v + kAlign - 1) / kAlign * kAlign; }

std::uint64_t checked_numel(const std::vector<std::int64_t>& shape, const std::string& where) {
  std::uint64_t n = 1;
  for (std::int64_t d : shape) {
    if (d < 0) throw Error(where + ": negative dimension " + std::to_string(d));
    if (__builtin_mul_overflow(n, static_cast<std::uint64_t>(d), &n)) throw Error(where + ": shape overflows 64 bits");
  }
  return n;
}

}  // namespace

const char* dtype_name(DType t) { return name_of(t); }

std::size_t dtype_size(DType t) {
  switch (t) {
    case DType::float32: case DType::int32: return 4;
    case DType::float16: case DType::bfloat16: case DType::uint16: return 2;
    case DType::int8: case DType::uint8: return 1;
  }
  return 0;
}

DType dtype_from_name(const std::string& name) {
  if (const auto t = find_name<DType>(name)) return *t;
  throw Error("unknown dtype '" + name + "' (expected " + choices_text<DType>() + ")");
}

std::string xxh3_hex(const void* data, std::size_t size) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(XXH3_64bits(data, size)));
  return buf;
}

std::int64_t Section::numel() const {
  return static_cast<std::int64_t>(checked_numel(shape, "section '" + name + "'"));
}

std::vector<float> Section::to_floats() const {
  const std::size_t n = bytes.size() / dtype_size(dtype);
  std::vector<float> out(n);
  switch (dtype) {
    case DType::float32:
      std::memcpy(out.data(), bytes.data(), n * 4);
      break;
    case DType::float16:
    case DType::bfloat16:
      for (std::size_t k = 0; k < n; ++k) {
        std::uint16_t h;
        std::memcpy(&h, bytes.data() + 2 * k, 2);
        out[k] = dtype == DType::float16 ? f16_to_float(h) : bf16_to_float(h);
      }
      break;
    default:
      throw Error("section '" + name + "' holds " + dtype_name(dtype) + ", not floating-point values");
  }
  return out;
}

Section make_raw_section(const std::string& name, DType dtype, std::vector<std::int64_t> shape, const void* data,
                         Compression compression) {
  Section s;
  s.name = name;
  s.dtype = dtype;
  s.shape = std::move(shape);
  s.compression = compression;
  const std::uint64_t n = checked_numel(s.shape, "section '" + name + "'") * dtype_size(dtype);
  const auto* p = static_cast<const unsigned char*>(data);
  s.bytes.assign(p, p + n);
  return s;
}

Section make_float_section(const std::string& name, std::vector<std::int64_t> shape, const float* values,
                           DType dtype, Compression compression) {
  const std::uint64_t n = checked_numel(shape, "section '" + name + "'");
  if (dtype == DType::float32) return make_raw_section(name, dtype, std::move(shape), values, compression);
  if (dtype != DType::float16 && dtype != DType::bfloat16)
    throw Error("section '" + name + "': make_float_section stores float32, float16 or bfloat16, not " +
                dtype_name(dtype));
  std::vector<std::uint16_t> half(n);
  for (std::uint64_t k = 0; k < n; ++k)
    half[k] = dtype == DType::float16 ? float_to_f16(values[k]) : float_to_bf16(values[k]);
  return make_raw_section(name, dtype, std::move(shape), half.data(), compression);
}

std::optional<FileKind> SinrFile::kind() const {
  const auto it = meta.find("kind");
  if (it == meta.end() || !it->is_string()) return std::nullopt;
  return find_name<FileKind>(it->get<std::string>());
}

std::string SinrFile::kind_word() const {
  const auto it = meta.find("kind");
  return it != meta.end() && it->is_string() ? it->get<std::string>() : std::string("?");
}

const Section* SinrFile::find(const std::string& name) const {
  for (const auto& s : sections)
    if (s.name == name) return &s;
  return nullptr;
}

const Section& SinrFile::require(const std::string& name, const std::string& file,
                                 const std::vector<std::int64_t>& shape) const {
  const Section* s = find(name);
  if (!s) throw reading(file).corrupt("missing section '" + name + "'");
  if (!shape.empty() && s->shape != shape) {
    auto text = [](const std::vector<std::int64_t>& v) {
      std::string t = "[";
      for (std::size_t k = 0; k < v.size(); ++k) t += (k ? ", " : "") + std::to_string(v[k]);
      return t + "]";
    };
    throw reading(file).corrupt("section '" + name + "' has shape " + text(s->shape) + ", expected " + text(shape));
  }
  return *s;
}

const Section& SinrFile::require(const std::string& name, const std::string& file, DType dtype,
                                 const std::vector<std::int64_t>& shape) const {
  const Section& s = require(name, file, shape);
  if (s.dtype != dtype)
    throw reading(file).corrupt("section '" + name + "' has dtype " + dtype_name(s.dtype) + ", expected " +
                dtype_name(dtype));
  return s;
}

bool looks_like_sinr(const unsigned char* bytes, std::size_t size) {
  return size >= sizeof kMagic && std::memcmp(bytes, kMagic, sizeof kMagic) == 0;
}

namespace {

std::vector<unsigned char> serialize(const SinrFile& file, const WriteOptions& options, const std::string& target) {
  auto fail = [&](const std::string& what) { return writing(target).failed(what); };
  // Payloads first (compressed where asked and where it pays), so the header can give offsets.
  std::vector<std::vector<unsigned char>> stored(file.sections.size());
  std::vector<Compression> used(file.sections.size(), Compression::none);
  std::set<std::string> names;
  for (std::size_t i = 0; i < file.sections.size(); ++i) {
    const Section& s = file.sections[i];
    if (s.name.empty()) throw fail("a section has an empty name");
    if (!names.insert(s.name).second) throw fail("duplicate section name '" + s.name + "'");
    const std::uint64_t expect = checked_numel(s.shape, "writing " + target + ": section '" + s.name + "'") * dtype_size(s.dtype);
    if (expect != s.bytes.size())
      throw fail("section '" + s.name + "' holds " + std::to_string(s.bytes.size()) +
                  " bytes, its shape and dtype need " + std::to_string(expect));
    if (s.compression == Compression::zstd && !s.bytes.empty()) {
      std::vector<unsigned char> z(ZSTD_compressBound(s.bytes.size()));
      std::size_t n = ZSTD_compress(z.data(), z.size(), s.bytes.data(), s.bytes.size(), options.zstd_level);
      if (ZSTD_isError(n)) throw fail("zstd failed on section '" + s.name + "': " + ZSTD_getErrorName(n));
      if (n < s.bytes.size()) {
        z.resize(n);
        stored[i] = std::move(z);
        used[i] = Compression::zstd;
        continue;
      }
    }
    stored[i] = s.bytes;
  }

  // The header's length depends on the offsets, and the offsets on its length: start with the
  // data right after the prefix and move it out until the header fits (a few rounds at most:
  // each only adds digits to the offsets). No slack is left, so small files stay small.
  std::uint64_t data_start = align_up(kPrefixBytes);
  std::string header;
  for (;;) {
    nlohmann::json h;
    h["format"] = "seisinr";
    h["format_version"] = kSinrFormatVersion;
    h["producer"] = std::string("seisinr ") + kVersion;
    h["meta"] = file.meta;
    nlohmann::json list = nlohmann::json::array();
    std::uint64_t offset = data_start;
    for (std::size_t i = 0; i < file.sections.size(); ++i) {
      const Section& s = file.sections[i];
      list.push_back({{"name", s.name},
                      {"dtype", dtype_name(s.dtype)},
                      {"shape", s.shape},
                      {"offset", offset},
                      {"stored_bytes", stored[i].size()},
                      {"raw_bytes", s.bytes.size()},
                      {"compression", name_of(used[i])},
                      {"xxh3", xxh3_hex(stored[i].data(), stored[i].size())}});
      offset = align_up(offset + stored[i].size());
    }
    h["sections"] = std::move(list);
    header = h.dump();
    if (kPrefixBytes + header.size() <= data_start) break;
    data_start = align_up(kPrefixBytes + header.size());
  }

  std::uint64_t end = data_start;
  for (const auto& p : stored) end = align_up(end + p.size());
  std::vector<unsigned char> out(end + kTrailerBytes, 0);
  std::memcpy(out.data(), kMagic, 8);
  put_u32(out.data() + 8, kSinrFormatVersion);
  put_u32(out.data() + 12, 0);
  put_u64(out.data() + 16, header.size());
  put_u64(out.data() + 24, XXH3_64bits(header.data(), header.size()));
  std::memcpy(out.data() + kPrefixBytes, header.data(), header.size());
  std::uint64_t offset = data_start;
  for (const auto& p : stored) {
    if (!p.empty()) std::memcpy(out.data() + offset, p.data(), p.size());
    offset = align_up(offset + p.size());
  }
  put_u64(out.data() + end, XXH3_64bits(out.data(), end));
  std::memcpy(out.data() + end + 8, kEndMagic, 8);
  return out;
}

}  // namespace

std::vector<unsigned char> serialize_sinr(const SinrFile& file, const WriteOptions& options) {
  return serialize(file, options, ".sinr");
}

void write_sinr(const std::string& path, const SinrFile& file, const WriteOptions& options) {
  std::vector<unsigned char> bytes = serialize(file, options, path);
  io::write_file_atomic(path, bytes.data(), bytes.size());
}

namespace {

// The prefix of a file of `size` bytes (at least kPrefixBytes of them at `bytes`): magic, version
// and flags. Returns the version.
std::uint32_t check_prefix(const unsigned char* bytes, std::uint64_t size, const Context& in) {
  if (size < kPrefixBytes + kTrailerBytes)
    throw in.corrupt("file is " + std::to_string(size) + " bytes, too short for a .sinr file (at least 48)");
  if (!looks_like_sinr(bytes, static_cast<std::size_t>(std::min<std::uint64_t>(size, kPrefixBytes)))) throw in.usage("not a .sinr file (bad magic)");
  const std::uint32_t version = get_u32(bytes + 8);
  if (version == 0) throw in.corrupt("format version 0 is invalid");
  if (version > kSinrFormatVersion)
    throw in.unsupported("format version " + std::to_string(version) + " was written by a newer seisinr; this one reads up to " +
                         std::to_string(kSinrFormatVersion) + " (upgrade seisinr)");
  const std::uint32_t flags = get_u32(bytes + 12);
  if (flags != 0) throw in.corrupt("unknown flags 0x" + std::to_string(flags) + " in the prefix");
  return version;
}

// The header's length from the prefix, checked against the file's size.
std::uint64_t header_length(const unsigned char* prefix, std::uint64_t size, const Context& in) {
  const std::uint64_t header_len = get_u64(prefix + 16);
  if (header_len > size - kTrailerBytes - kPrefixBytes || header_len > kMaxHeaderBytes)
    throw in.corrupt("header length " + std::to_string(header_len) + " runs past the end of the file");
  return header_len;
}

// The JSON header (checked against the prefix's checksum and version) into `file`'s version,
// producer and meta; returns the whole header for the section table.
nlohmann::json parse_header(const unsigned char* prefix, const unsigned char* hp, std::uint64_t header_len, std::uint32_t version,
                            const Context& in, SinrFile& file) {
  if (get_u64(prefix + 24) != XXH3_64bits(hp, header_len)) throw in.corrupt("header checksum mismatch");
  nlohmann::json h;
  try {
    h = nlohmann::json::parse(hp, hp + header_len);
  } catch (const nlohmann::json::exception& e) {
    throw in.corrupt(std::string("header is not valid JSON: ") + e.what());
  }
  file.header_bytes = header_len;
  file.format_version = version;
  try {
    if (!h.is_object()) throw in.corrupt("header: expected a JSON object");
    if (h.value("format", std::string()) != "seisinr") throw in.corrupt("header: field 'format' is not \"seisinr\"");
    if (!h.contains("format_version") || h["format_version"] != version)
      throw in.corrupt("header: field 'format_version' disagrees with the prefix (" + std::to_string(version) + ")");
    file.producer = h.value("producer", std::string());
    if (h.contains("meta")) {
      if (!h["meta"].is_object()) throw in.corrupt("header: field 'meta' must be an object");
      file.meta = h["meta"];
    }
  } catch (const nlohmann::json::exception& e) {
    throw in.corrupt(std::string("header: ") + e.what());
  }
  return h;
}

// The raw bytes the sections claim in all, against what this reader may allocate: checked
// before anything is allocated.
void check_claimed_bytes(const nlohmann::json& sections, const ReadLimits& limits, const Context& in) {
  const std::uint64_t max_raw = limits.max_raw_bytes ? limits.max_raw_bytes : physical_memory_bytes() ? physical_memory_bytes() : kMaxSectionBytes;
  std::uint64_t claimed = 0;
  for (const auto& e : sections)
    if (e.is_object() && e.contains("raw_bytes") && e["raw_bytes"].is_number_unsigned()) {
      const std::uint64_t r = e["raw_bytes"].get<std::uint64_t>();
      claimed = r > UINT64_MAX - claimed ? UINT64_MAX : claimed + r;
    }
  if (claimed > max_raw) {
    char msg[200];
    std::snprintf(msg, sizeof msg, "header: the sections claim %.3g GiB after decompression, more than the %.3g GiB %s",
                  static_cast<double>(claimed) / (1u << 30), static_cast<double>(max_raw) / (1u << 30),
                  limits.max_raw_bytes ? "this reader may allocate" : "of memory on this machine");
    throw in.corrupt(msg);
  }
}

// One entry of the header's section list (`where` names it in errors).
class SectionEntry {
 public:
  SectionEntry(const nlohmann::json& e, std::string where, const Context& in) : e_(e), where_(std::move(where)), in_(in) {
    if (!e.is_object()) throw fail(": expected an object");
  }
  Error fail(const std::string& what) const { return in_.corrupt(where_ + what); }
  Error corrupt(const Error& err) const { return in_.corrupt(err.what()); }  // an error that names the entry itself
  const nlohmann::json& field(const char* key) const {
    if (!e_.contains(key)) throw fail(std::string(": missing field '") + key + "'");
    return e_[key];
  }
  std::uint64_t uint_field(const char* key) const {
    const auto& v = field(key);
    if (!v.is_number_unsigned()) throw fail(std::string(": field '") + key + "' must be a non-negative integer");
    return v.get<std::uint64_t>();
  }
  std::string str_field(const char* key) const {
    const auto& v = field(key);
    if (!v.is_string()) throw fail(std::string(": field '") + key + "' must be a string");
    return v.get<std::string>();
  }
  void named(const std::string& name) { where_ += " ('" + name + "')"; }
  const std::string& where() const { return where_; }

 private:
  const nlohmann::json& e_;
  std::string where_;
  const Context& in_;
};

// The stored bytes at `p`, checked against `checksum` (xxh3) and decompressed into s.bytes.
void read_payload(const SectionEntry& entry, Section& s, const unsigned char* p, std::uint64_t stored_bytes, std::uint64_t raw_bytes,
                  const std::string& compression, const std::string& checksum) {
  if (xxh3_hex(p, stored_bytes) != checksum) throw entry.fail(": checksum mismatch: the section is corrupted");
  s.stored_bytes = stored_bytes;
  const std::optional<Compression> c = find_name<Compression>(compression);
  if (!c) throw entry.fail(": unknown compression '" + compression + "' (expected " + choices_text<Compression>() + ")");
  s.compression = *c;
  if (*c == Compression::none) {
    if (stored_bytes != raw_bytes) throw entry.fail(": uncompressed but stored_bytes != raw_bytes");
    s.bytes.assign(p, p + stored_bytes);
    return;
  }
  const unsigned long long content = ZSTD_getFrameContentSize(p, stored_bytes);
  if (content != raw_bytes) throw entry.fail(": zstd frame size disagrees with raw_bytes");
  s.bytes.resize(raw_bytes);
  const std::size_t n = ZSTD_decompress(s.bytes.data(), s.bytes.size(), p, stored_bytes);
  if (ZSTD_isError(n) || n != raw_bytes) throw entry.fail(": zstd payload does not decompress to raw_bytes");
}

// One named entry: dtype and shape against raw_bytes, its bytes inside the data area
// [data_start, body) of `bytes` (their span goes to `span`), then its payload.
void read_section(SectionEntry& entry, Section& s, const unsigned char* bytes, std::uint64_t data_start, std::uint64_t body,
                  std::pair<std::uint64_t, std::uint64_t>* span) {
  try {
    s.dtype = dtype_from_name(entry.str_field("dtype"));
  } catch (const Error& err) {
    throw entry.fail(std::string(": ") + err.what());
  }
  const auto& shape = entry.field("shape");
  if (!shape.is_array() || shape.size() > 32) throw entry.fail(": field 'shape' must be an array of at most 32 integers");
  for (const auto& d : shape) {
    if (!d.is_number_unsigned()) throw entry.fail(": shape entries must be non-negative integers");
    const std::uint64_t v = d.get<std::uint64_t>();
    if (v > static_cast<std::uint64_t>(INT64_MAX)) throw entry.fail(": shape entry too large");
    s.shape.push_back(static_cast<std::int64_t>(v));
  }
  const std::uint64_t offset = entry.uint_field("offset");
  const std::uint64_t stored_bytes = entry.uint_field("stored_bytes");
  const std::uint64_t raw_bytes = entry.uint_field("raw_bytes");
  const std::string compression = entry.str_field("compression");
  const std::string checksum = entry.str_field("xxh3");
  std::uint64_t numel = 0, need = 0;
  try {
    numel = checked_numel(s.shape, entry.where());
  } catch (const Error& err) {
    throw entry.corrupt(err);
  }
  if (__builtin_mul_overflow(numel, static_cast<std::uint64_t>(dtype_size(s.dtype)), &need) || need != raw_bytes)
    throw entry.fail(": raw_bytes " + std::to_string(raw_bytes) + " does not match its shape and dtype");
  if (raw_bytes > kMaxSectionBytes) throw entry.fail(": " + std::to_string(raw_bytes) + " bytes exceeds the 16 GiB section limit");
  if (offset < data_start || offset > body || stored_bytes > body - offset)
    throw entry.fail(": offset " + std::to_string(offset) + " + stored_bytes " + std::to_string(stored_bytes) +
                     " lies outside the data area [" + std::to_string(data_start) + ", " + std::to_string(body) + ")");
  *span = {offset, offset + stored_bytes};
  read_payload(entry, s, bytes + offset, stored_bytes, raw_bytes, compression, checksum);
}

// The header's section list: names unique and not empty, each entry read, no two overlapping.
void read_sections(const nlohmann::json& h, const unsigned char* bytes, std::uint64_t data_start, std::uint64_t body,
                   const ReadLimits& limits, const Context& in, SinrFile& file) {
  if (!h.contains("sections") || !h["sections"].is_array()) throw in.corrupt("header: field 'sections' must be an array");
  check_claimed_bytes(h["sections"], limits, in);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> spans;
  std::set<std::string> names;
  std::size_t index = 0;
  for (const auto& e : h["sections"]) {
    SectionEntry entry(e, "header: sections[" + std::to_string(index++) + "]", in);
    Section s;
    s.name = entry.str_field("name");
    if (s.name.empty()) throw entry.fail(": empty name");
    if (!names.insert(s.name).second) throw entry.fail(": duplicate section name '" + s.name + "'");
    entry.named(s.name);
    spans.emplace_back();
    read_section(entry, s, bytes, data_start, body, &spans.back());
    file.sections.push_back(std::move(s));
  }
  std::sort(spans.begin(), spans.end());
  for (std::size_t k = 1; k < spans.size(); ++k)
    if (spans[k].first < spans[k - 1].second) throw in.corrupt("header: two sections overlap");
}

}  // namespace

SinrFile parse_sinr(const unsigned char* bytes, std::size_t size, const std::string& name, const ReadLimits& limits) {
  const Context in = reading(name);
  auto fail = [&](const std::string& what) { return in.corrupt(what); };
  const std::uint32_t version = check_prefix(bytes, size, in);
  if (std::memcmp(bytes + size - 8, kEndMagic, 8) != 0)
    throw fail("end marker missing: the file is truncated or was not completely written");
  const std::uint64_t body = size - kTrailerBytes;
  if (get_u64(bytes + body) != XXH3_64bits(bytes, body))
    throw fail("file checksum mismatch: the file is corrupted");
  const std::uint64_t header_len = header_length(bytes, size, in);
  SinrFile file;
  file.file_bytes = size;
  const nlohmann::json h = parse_header(bytes, bytes + kPrefixBytes, header_len, version, in, file);
  try {
    read_sections(h, bytes, kPrefixBytes + header_len, body, limits, in, file);
  } catch (const nlohmann::json::exception& e) {
    throw fail(std::string("header: ") + e.what());
  }
  return file;
}

SinrFile read_sinr_header(const std::string& path) {
  const Context in = reading(path);
  std::ifstream f(path, std::ios::binary);
  if (!f) throw in.io("cannot open the file");
  f.seekg(0, std::ios::end);
  const auto end = f.tellg();
  if (end < 0) throw in.io("cannot find the file's size");
  const auto size = static_cast<std::uint64_t>(end);
  unsigned char prefix[kPrefixBytes] = {};
  f.seekg(0);
  f.read(reinterpret_cast<char*>(prefix), static_cast<std::streamsize>(std::min<std::uint64_t>(size, kPrefixBytes)));
  const std::uint32_t version = check_prefix(prefix, size, in);
  const std::uint64_t header_len = header_length(prefix, size, in);
  std::vector<unsigned char> header(static_cast<std::size_t>(header_len));
  if (!f.read(reinterpret_cast<char*>(header.data()), static_cast<std::streamsize>(header_len)))
    throw in.io("cannot read the header");
  SinrFile file;
  file.file_bytes = size;
  (void)parse_header(prefix, header.data(), header_len, version, in, file);
  return file;
}

SinrFile read_sinr(const std::string& path, const ReadLimits& limits) {
  std::vector<unsigned char> bytes = io::read_file(path);
  return parse_sinr(bytes.data(), bytes.size(), path, limits);
}

}  // namespace seisinr::codec
