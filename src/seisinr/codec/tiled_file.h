// seisinr/codec/tiled_file.h — one large velocity model in a .sinr file (kind "tiled"): a code
// per overlapping tile (codec/tiles.h) and, with an error bound, residual streams per block.
//
// Meta: kind "tiled", grid {height, width, dz, dx}, source ("segy" | "npy": what the model was
// read from; decompress writes the same by default), the decoder's record (normalisation, model,
// decoder: decoder_record.h), tiles {decoder_height,
// decoder_width, scale, overlap} (the layout is recomputed from these and the grid), latent
// {bits, dim, count = number of tiles}, max_error (m/s or null), blocks {size, prediction_stride}.
// Sections: decoder.* (embedded only), latent.* (latent_sections.h), and with max_error:
//   block.path            uint8 (B): bits 0–1 path (0 neural, 1 plain, 2 raw), bit 2 integer-valued
//   block.residual_bytes  int32 (B)    block.check  int32 (B)    residuals  uint8
// Blocks are size × size squares in row-major order (the last row and column of blocks hold
// what is left). A neural block's prediction is the tiled model's value (tiles.h: the blended
// tiles on the lattice of every prediction_stride-th sample, bilinear in between) at its samples.
// Torch-free; every count and size is checked on read.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "seisinr/codec/dataset_file.h"
#include "seisinr/codec/latent_sections.h"
#include "seisinr/codec/tiles.h"

namespace seisinr::codec {

// What a tiled model was read from (meta.source): decompress writes it back alike.
enum class ModelSource { segy, npy };

}  // namespace seisinr::codec

template <>
struct seisinr::Names<seisinr::codec::ModelSource> {
  static constexpr const char* what = "meta.source";
  static constexpr NamedValue<codec::ModelSource> table[] = {{codec::ModelSource::segy, "segy"}, {codec::ModelSource::npy, "npy"}};
};

namespace seisinr::codec {

struct TiledModel {
  std::int64_t height = 0, width = 0;
  double dz = 0, dx = 0;
  ModelSource source = ModelSource::npy;
  DecoderRecord decoder;
  TileLayout layout;
  StoredLatents latents;  // one per tile, in layout order
  double max_error = 0;
  std::int64_t block = 512, prediction_stride = 1;
  std::vector<MapPath> path;            // per block
  std::vector<std::uint8_t> integer;    // per block
  std::vector<std::uint32_t> check;     // per block
  std::vector<std::vector<unsigned char>> residual;  // per block

  std::int64_t block_rows() const { return (height + block - 1) / block; }
  std::int64_t block_columns() const { return (width + block - 1) / block; }
  std::int64_t block_count() const { return block_rows() * block_columns(); }
};

SinrFile to_sinr(const TiledModel& t);
TiledModel tiled_from_sinr(const SinrFile& f, const std::string& file);
// meta.source of a file whose header is all that was read; nothing when it is missing, not a
// string or not a word of the table (tiled_from_sinr refuses those; this never throws).
std::optional<ModelSource> model_source(const SinrFile& f);

// Model samples of block b: rows [z0, z1), columns [x0, x1).
struct BlockRect {
  std::int64_t z0, z1, x0, x1;
};
BlockRect block_rect(const TiledModel& t, std::int64_t b);

}  // namespace seisinr::codec
