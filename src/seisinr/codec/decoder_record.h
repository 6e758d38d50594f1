// seisinr/codec/decoder_record.h — the decoder a compressed file depends on, as every compressed
// kind ("dataset", "tiled") records it:
//
//   meta.normalisation {vmin, vmax}   m/s ↔ the decoder's [-1, 1]: v = vmin + (v̂ + 1)(vmax − vmin)/2
//   meta.model                        the decoder's SirenOptions, verbatim from its model file
//   meta.decoder {hash, embedded, file}
//   decoder.*                         its tensors, only when embedded (otherwise found by hash)
//
// The hash (decoder_hash) covers model, normalisation and the decoder.* sections, so a decoder
// has the same hash in its model file and wherever it is embedded. Torch-free.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::codec {

// Every section of a decoder in a file starts with this (model/decoder_tensors.h names the rest).
inline constexpr const char* kDecoderPrefix = "decoder.";

struct DecoderRecord {
  double vmin = kDefaultVmin, vmax = kDefaultVmax;
  nlohmann::json model;          // SirenOptions as JSON
  std::string hash;              // decoder_hash() of the decoder's file
  std::string file;              // where it came from (informational)
  bool embedded = false;
  std::vector<Section> sections;  // "decoder.*", when embedded
};

// Content hash of a decoder: XXH3-64 (16 hex digits) over meta.model, meta.normalisation and
// every "decoder.*" section (name, dtype, shape, raw bytes) in name order.
std::string decoder_hash(const SinrFile& f);

// The record of the decoder in `model_file` (read from `path`), embedding its sections or not.
DecoderRecord describe_decoder(const SinrFile& model_file, const std::string& path, bool embed);

// An embedded decoder as a file of its own (meta.model, meta.normalisation, its sections): what
// model::model_from_sinr and the portable decoder read. Its decoder_hash should equal d.hash.
SinrFile embedded_decoder(const DecoderRecord& d);

// Writes the record into f's meta and appends the embedded sections (zstd-compressed).
void put_decoder(SinrFile& f, const DecoderRecord& d);

// Reads the record back, checked: every field present and typed, finite vmin < vmax, decoder
// sections present when embedded. Errors name `file` and the field.
DecoderRecord get_decoder(const SinrFile& f, const std::string& file);

}  // namespace seisinr::codec
