// seisinr/codec/dataset_file.h — a compressed dataset in a .sinr file (kind "dataset").
//
// Meta: kind "dataset", grid {height, width}, count N, families [...], the decoder's record
// (normalisation, model, decoder: decoder_record.h), latent {bits, dim, count}, max_error (m/s,
// or null for none).
// Sections:
//   decoder.*                 the decoder, only when embedded (otherwise found by hash)
//   latent.codes              uint8 (b ≤ 8) or uint16 (b ≤ 16), count × d, zstd   | b = 32:
//   latent.offset/.scale      float32 (d)                                          | latent.values float32
//   map.family                uint8 (N): index into families
//   map.path                  uint8 (N): bits 0–1 path (0 neural, 1 plain, 2 raw), bit 2 integer-valued
//   map.residual_bytes        int32 (N): bytes of each map's residual stream   } only with
//   map.check                 int32 (N): check of the neural prediction codes  } max_error
//   residuals                 uint8: the streams, concatenated in map order    }
// Neural maps take latent rows in map order; with none, there are no latent sections. Every
// count, index and size is checked on read.
// Torch-free.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seisinr/codec/decoder_record.h"
#include "seisinr/codec/quantize.h"
#include "seisinr/codec/sinr_format.h"

namespace seisinr::codec {

enum class MapPath : std::uint8_t { neural = 0, plain = 1, raw = 2 };
const char* map_path_name(MapPath p);

struct CompressedDataset {
  std::int64_t height = 0, width = 0;
  double dz = 0, dx = 0;  // grid spacing in metres (meta.grid.dz/dx), 0 = unknown
  std::vector<std::string> families;
  DecoderRecord decoder;

  LatentQuantizer quant;                 // bits 32: latent_values; else latent_codes
  std::int64_t latent_count = 0;         // = number of neural maps
  std::vector<std::uint16_t> latent_codes;
  std::vector<float> latent_values;

  double max_error = 0;  // 0: no bound, latents only
  std::vector<std::uint8_t> family;  // per map
  std::vector<MapPath> path;         // per map
  std::vector<std::uint8_t> integer; // per map: values are integers (rounded on the way out)
  std::vector<std::uint32_t> check;  // per map: ints_check of the neural prediction codes
  std::vector<std::vector<unsigned char>> residual;  // per map

  std::int64_t size() const { return static_cast<std::int64_t>(family.size()); }
  // Dequantised codes, latent_count × d, float32.
  std::vector<float> latents() const;
  // Latent row of map i (neural maps only), or −1.
  std::vector<std::int64_t> latent_rows() const;
};

SinrFile to_sinr(const CompressedDataset& d);
// Checks everything; throws naming `file` and the field.
CompressedDataset dataset_from_sinr(const SinrFile& f, const std::string& file);

// Where the bytes of a compressed dataset go: header (prefix, JSON, padding, trailer), decoder,
// latents, per-map tables and residuals; in total and per map (latent and table bytes shared
// evenly over the maps that use them).
nlohmann::json byte_account(const SinrFile& f, const CompressedDataset& d);

}  // namespace seisinr::codec
