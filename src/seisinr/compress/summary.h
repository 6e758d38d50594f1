// seisinr/compress/summary.h — what `seisinr compress` prints, from compress()'s statistics, so a
// library or Python user gets the same lines without re-deriving them. Torch-free.
//
// Datasets: files bytes, bytes per map (with and without the decoder) beside raw float32, the
// paths taken, the maximum error, and a Markdown table of mean PSNR / SSIM per family and overall
// (means over the maps whose value is finite; a lossless map's infinite PSNR is left out).
// Tiled models: one line with the grid, the tile count, bytes, the block paths and the errors.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace seisinr::compress {

// The Markdown table of mean PSNR / SSIM per family and overall, from stats["per_map"].
std::string quality_table(const nlohmann::json& stats);

// `out` is the compressed file's name, as the lines should show it.
std::string summary(const nlohmann::json& stats, const std::string& out);

}  // namespace seisinr::compress
