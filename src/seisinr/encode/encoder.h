// seisinr/encode/encoder.h — latent codes for maps the decoder was not trained on
// (DeepSDF-style test-time optimisation). Torch.
//
// With the decoder frozen, each new map's code is fitted alone:
//   z* = argmin_z  mean over the map's points of (f(x, z; θ) − v)²  +  λ ‖z‖²
// by Adam, many maps per batch (their losses are independent, so batching changes nothing but
// speed). Each step uses a fresh random subset of each map's points (seeded, so encoding is
// deterministic); 0 = all points.
//
// Start (`init`): "mean" of the trained codes, "zero", "nearest": the trained code whose
// decoded map is closest (MSE on a coarse 16×16 sub-grid) to the new map, or "project": the
// least-squares code through the decoder's linear path (encode/code_init.h). "auto" is project
// for a decoder with a linear path and nearest otherwise. With a target PSNR,
// every `check_every` steps each map is scored on its full grid and a map that reached the
// target keeps its code from then on (the batch stops when all have). A map whose fitted code
// decodes worse on its full grid than its start keeps the start, so encoding never loses what
// the start (e.g. the least-squares projection) gave. PSNR here is the paper's,
// 10 log10(range² / MSE) with the map's own range, computed in normalised units.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"
#include "seisinr/model/model_file.h"
#include "seisinr/model/siren.h"
#include "seisinr/encode/options.h"

namespace seisinr::encode {

// Starting codes (N, d) for `targets` (N, H·W, normalised) from the trained table (N_t, d).
torch::Tensor initial_codes(const model::SirenDecoder& decoder, const torch::Tensor& table, const torch::Tensor& targets,
                            std::int64_t height, std::int64_t width, EncodeInit init);

// targets: (N, H·W) normalised values on the decoder's device, on the grid of `height`×`width`.
// start: (N, d) initial codes (initial_codes), or (d) for every map. Returns (N, d). When
// `steps_used` is given it receives, per map, the steps after which its code was final. With
// `code_scale` (d) Adam works in scaled units, z = start + code_scale ⊙ u, so each code moves in
// proportion to its own scale (codes_for_maps passes each code's spread over the trained maps
// for models with a linear path, whose PCA codes differ in scale by decades).
torch::Tensor encode_maps(const model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t height,
                          std::int64_t width, const torch::Tensor& start, const EncodeOptions& options,
                          std::vector<std::int64_t>* steps_used = nullptr, const torch::Tensor& code_scale = {});

// Codes for every map of `data`: a map the model was trained on (matched by content hash) takes
// its trained code, every other map is encoded. `trained_row` receives, per map, its row in the
// model's table or −1 for an encoded map.
torch::Tensor codes_for_maps(const model::LoadedModel& model, const data::Dataset& data, const EncodeOptions& options,
                             std::vector<std::int64_t>* trained_row = nullptr);

}  // namespace seisinr::encode
