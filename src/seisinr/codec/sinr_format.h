// seisinr/codec/sinr_format.h — the .sinr container: named tensors behind a JSON header.
//
// One file holds a trained model or a compressed dataset. Byte layout (all integers
// little-endian; docs/sinr-format.md is the full specification):
//
//   0      8  magic "SEISINR\0"
//   8      4  format version (u32); this reader understands 1
//   12     4  flags (u32); must be 0
//   16     8  header length H (u64)
//   24     8  XXH3-64 of the header bytes
//   32     H  header: UTF-8 JSON {"format_version", "producer", "meta": {...}, "sections": [...]}
//   ...       section payloads, each starting on a 64-byte boundary, at the offsets the header gives
//   end-16 8  XXH3-64 of every byte before it
//   end-8  8  end magic "SINR_END"
//
// Each section entry: name, dtype (float32, float16, bfloat16, int8, uint8, int32, uint16), shape,
// offset, stored_bytes, raw_bytes, compression ("none" or "zstd") and xxh3 (of the stored
// bytes, 16 hex digits). The reader checks every size, offset and checksum before it uses them
// and names the file and the field in every error. This file is torch-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "seisinr/names.h"

namespace seisinr::codec {

// What a .sinr file holds: its meta.kind.
enum class FileKind {
  model,       // a trained decoder and its codes (model/model_file.h)
  checkpoint,  // a training run's state (train/checkpoint.h)
  dataset,     // compressed maps (codec/dataset_file.h)
  tiled,       // one large model as tiles (codec/tiled_file.h)
  tile_fit,    // an interrupted tile fit (compress/tiled.h)
};

}  // namespace seisinr::codec

template <>
struct seisinr::Names<seisinr::codec::FileKind> {
  static constexpr const char* what = "meta.kind";
  static constexpr NamedValue<codec::FileKind> table[] = {{codec::FileKind::model, "model"},
                                                          {codec::FileKind::checkpoint, "checkpoint"},
                                                          {codec::FileKind::dataset, "dataset"},
                                                          {codec::FileKind::tiled, "tiled"},
                                                          {codec::FileKind::tile_fit, "tile_fit"}};
};

namespace seisinr::codec {

constexpr std::uint32_t kSinrFormatVersion = 1;

enum class DType { float32, float16, bfloat16, int8, uint8, int32, uint16 };
enum class Compression { none, zstd };

}  // namespace seisinr::codec

template <>
struct seisinr::Names<seisinr::codec::DType> {
  static constexpr const char* what = "dtype";
  static constexpr NamedValue<codec::DType> table[] = {
      {codec::DType::float32, "float32"}, {codec::DType::float16, "float16"}, {codec::DType::bfloat16, "bfloat16"},
      {codec::DType::int8, "int8"},       {codec::DType::uint8, "uint8"},     {codec::DType::int32, "int32"},
      {codec::DType::uint16, "uint16"}};
};

template <>
struct seisinr::Names<seisinr::codec::Compression> {
  static constexpr const char* what = "compression";
  static constexpr NamedValue<codec::Compression> table[] = {{codec::Compression::none, "none"}, {codec::Compression::zstd, "zstd"}};
};

namespace seisinr::codec {

const char* dtype_name(DType t);  // name_of(t): the word in a section's entry
std::size_t dtype_size(DType t);
DType dtype_from_name(const std::string& name);  // throws seisinr::Error ("unknown dtype '...'") on a word not in the table

struct Section {
  std::string name;
  DType dtype = DType::float32;
  std::vector<std::int64_t> shape;
  std::vector<unsigned char> bytes;  // raw, little-endian, C order; dtype_size * product(shape)
  Compression compression = Compression::none;  // requested on write; as found on read
  std::uint64_t stored_bytes = 0;               // set by the reader and the writer

  std::int64_t numel() const;
  // Converts float32/float16/bfloat16 payloads to float32; throws for integer dtypes.
  std::vector<float> to_floats() const;
};

// Builds a section from float32 values, stored as `dtype` (float32, float16 or bfloat16).
Section make_float_section(const std::string& name, std::vector<std::int64_t> shape, const float* values,
                           DType dtype = DType::float32, Compression compression = Compression::none);
Section make_raw_section(const std::string& name, DType dtype, std::vector<std::int64_t> shape,
                         const void* data, Compression compression = Compression::none);

struct SinrFile {
  nlohmann::json meta = nlohmann::json::object();
  std::vector<Section> sections;
  std::uint32_t format_version = kSinrFormatVersion;  // as read
  std::string producer;                               // as read
  std::uint64_t header_bytes = 0;                     // as read: size of the JSON header
  std::uint64_t file_bytes = 0;                       // as read

  const Section* find(const std::string& name) const;
  // meta.kind as a FileKind; nothing when it is missing, not a string or not a known word.
  std::optional<FileKind> kind() const;
  // meta.kind as written, for messages ("?" when it is missing or not a string).
  std::string kind_word() const;
  // The named section, checked for dtype and shape (an empty `shape` accepts any);
  // throws naming `file` otherwise.
  const Section& require(const std::string& name, const std::string& file,
                         const std::vector<std::int64_t>& shape = {}) const;
  // The same, also checked for dtype.
  const Section& require(const std::string& name, const std::string& file, DType dtype,
                         const std::vector<std::int64_t>& shape = {}) const;
};

struct WriteOptions {
  int zstd_level = 19;  // for sections that ask for zstd; stored raw when compression does not pay
};

void write_sinr(const std::string& path, const SinrFile& file, const WriteOptions& options = {});
std::vector<unsigned char> serialize_sinr(const SinrFile& file, const WriteOptions& options = {});

// What a reader may allocate: the sections' raw bytes in all (after decompression). Checked
// against the header's claims before any section is decompressed, so a small file that claims
// terabytes fails at once. 0 = this machine's physical memory.
struct ReadLimits {
  std::uint64_t max_raw_bytes = 0;
};
SinrFile read_sinr(const std::string& path, const ReadLimits& limits = {});
// Only the prefix and the header (meta, producer, version; no sections): checked as read_sinr
// checks them, except the whole-file checksum and end marker, which need every byte.
SinrFile read_sinr_header(const std::string& path);
// `name` is used in error messages.
SinrFile parse_sinr(const unsigned char* bytes, std::size_t size, const std::string& name, const ReadLimits& limits = {});

// True when the bytes start with the .sinr magic.
bool looks_like_sinr(const unsigned char* bytes, std::size_t size);

std::string xxh3_hex(const void* data, std::size_t size);

}  // namespace seisinr::codec
