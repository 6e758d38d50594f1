// seisinr/codec/latent_sections.h — quantised latent codes in a .sinr file, shared by the
// compressed dataset (dataset_file.h) and the tiled model (tiled_file.h). Torch-free.
//
// meta.latent = {bits, dim, count}. Sections: bits ≤ 16: latent.codes (uint8 when bits ≤ 8,
// else uint16; count × dim, zstd), latent.offset and latent.scale (float32, dim); bits 32:
// latent.values (float32, count × dim, zstd). No sections when count is 0.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/codec/quantize.h"
#include "seisinr/codec/sinr_format.h"

namespace seisinr::codec {

struct StoredLatents {
  LatentQuantizer quant;            // bits 32: `values`; else `codes`
  std::int64_t count = 0;
  std::vector<std::uint16_t> codes;
  std::vector<float> values;
  std::vector<float> decoded() const;  // count × dim, float32
};

void put_latents(SinrFile& f, const StoredLatents& l);
// Reads and checks meta.latent and the sections; count must lie in 0..max_count. Throws naming `file`.
StoredLatents get_latents(const SinrFile& f, const std::string& file, std::int64_t max_count);

}  // namespace seisinr::codec
