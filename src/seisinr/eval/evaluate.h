// seisinr/eval/evaluate.h — score a trained model on maps: the paper's Tables 6, 7 and 9.
//
// Each input map is matched to the model by content hash (data/split.h): a map whose hash the
// model stored as trained is decoded from its latent; every other map (another file, family or
// geology, or a held-out map of the training data) is held out and first encoded with the
// decoder frozen (encode/encoder.h). Reconstructions are decoded on an H×W grid (default: the
// model's); at another resolution the ground truth is resampled bilinearly onto the same
// coordinates (eval/resample.h) and scored against that. Metrics per eval/metrics.h, in m/s,
// except `mse`, which is in normalised units (the paper's tables): MSE_m/s · (2/(vmax − vmin))².
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"
#include "seisinr/data/split.h"
#include "seisinr/error.h"
#include "seisinr/io/npy.h"
#include "seisinr/encode/options.h"

namespace seisinr::model {
struct LoadedModel;  // model/model_file.h (torch); this header stays torch-free for the public API
}

namespace seisinr::eval {

struct MapScore {
  std::string family, file;
  data::Split split = data::Split::heldout;
  std::int64_t index = 0;           // position in its input file
  double psnr = 0, ssim = 0, mse = 0, rmse = 0;
  double latent_norm = 0;
};

struct EvalOptions {
  std::int64_t height = 0, width = 0;  // 0: the model's grid
  encode::EncodeOptions encode;
  bool keep_reconstructions = false;
  std::int64_t max_points_per_batch = 0;  // 0: automatic (model/decode.h)

  // Throws a usage error naming the field: height and width 0 or 2..65536, max_points_per_batch
  // 0..2^31, the encode options (EncodeOptions::validate).
  void validate() const {
    io::check_grid_side(height, "eval: height");
    io::check_grid_side(width, "eval: width");
    if (max_points_per_batch < 0 || max_points_per_batch > (std::int64_t{1} << 31))
      throw Error("eval: max_points_per_batch " + std::to_string(max_points_per_batch) + ": give 0 (automatic) to 2^31", ErrorKind::usage);
    encode.validate("eval");
  }
};

struct EvalResult {
  std::vector<MapScore> maps;
  io::MapStack reconstructions;  // one per `maps` row, in m/s, when asked
  std::vector<float> latents;    // (N, d): the code each map was decoded from
  nlohmann::json summary;        // overall, families, trained, heldout, per_map, latent_norm_psnr_r, resolution
};

EvalResult evaluate(const model::LoadedModel& model, const data::Dataset& data, const EvalOptions& options);

// mean, std (population), min, max and count of the finite values.
nlohmann::json describe(const std::vector<double>& values);
// Pearson correlation of two equally long series (NaN when undefined).
double pearson(const std::vector<double>& a, const std::vector<double>& b);
// Markdown rendering of a summary (the paper's Tables 6 and 7 layout).
std::string summary_markdown(const nlohmann::json& summary);

}  // namespace seisinr::eval
