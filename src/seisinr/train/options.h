// seisinr/train/options.h — every training setting, its presets, and its JSON form. Torch-free.
//
// Presets: "paper" is the seed paper's Table 1/Table 2 exactly; "refined" (the recommended one)
// is a PCA code whose image a convolutional refiner sharpens, trained by cross-fitting
// (docs/fidelity.md); "fidelity" is PCA plus a SIREN on the code; "small" trains 1,000 maps to a
// useful quality on 2 CPU cores in under an hour (docs/training.md has the measurements behind
// it); "tiny" is for tests. Every run writes the resolved options to RUN/config.json.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "seisinr/model/precision.h"
#include "seisinr/model/siren_options.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::train {

// Where codes and the linear path start (TrainOptions::code_init).
enum class CodeInit {
  random,  // codes N(0, std²), the linear path as the decoder initialises it
  linear,  // the least-squares fit of the trained maps (needs model.linear_path)
};
enum class LrSchedule { plateau, cosine };  // TrainOptions::lr_schedule
// With amp, how activations are stored between layers (model/precision.h).
enum class ActivationStorage { float32, bf16 };

struct TrainOptions {
  std::string preset = "paper";
  model::SirenOptions model;
  std::int64_t epochs = 3000;
  std::int64_t batch = 32;        // maps per optimizer step
  std::int64_t points = 0;        // random points per map per step; 0 = all H×W
  double lr = 2e-4;               // Adam learning rate of the decoder
  double latent_lr = 2e-4;        // Adam learning rate of the latent codes
  double linear_lr = 0;           // Adam learning rate of the decoder's linear path; 0 = lr
  double lambda = 1e-4;           // weight of mean ‖z_i‖² in the loss
  double latent_init_std = 0.01;  // latents start N(0, std²)
  // random: codes N(0, std²), linear path as the decoder initialises it; linear (needs
  // model.linear_path): the codes and linear path start at the least-squares fit of the trained
  // maps (encode/code_init.h) and the network's output layer at zero.
  CodeInit code_init = CodeInit::random;
  // Linear learning-rate warm-up over the first W optimizer steps (both groups), 0 = none: keeps
  // Adam's first, sign-like steps from throwing a data-driven start (code_init) away.
  std::int64_t warmup_steps = 0;
  // Cross-fitting for a refiner (model.refiner = conv, no SIREN, code_init linear): the trained
  // maps are split into K folds and each map's PCA reconstruction from the other folds' basis is
  // computed once (encode/code_init.h). Every step trains the decoder on both a map's own code and
  // that cross-fitted field, with the same target: the refiner learns to repair what a linear
  // code loses on maps it was not fitted on, which is what a new map's projection looks like.
  // 0 = off.
  std::int64_t cross_folds = 0;
  // plateau: ReduceLROnPlateau on the epoch's training loss (below); cosine: from the base
  // rate to 0 over `epochs` (optim/schedule.h).
  LrSchedule lr_schedule = LrSchedule::plateau;
  // Each step, every map of the batch (its target and the field its code gives) is mirrored in x
  // with probability ½: a velocity model seen from the other side is as real. Needs the refiner
  // without the SIREN and all points (points = 0).
  bool flip_x = false;
  std::int64_t plateau_patience = 50;  // ReduceLROnPlateau on the epoch's training loss
  double plateau_factor = 0.5;
  double plateau_threshold = 1e-4;  // relative improvement that counts (PyTorch's default)
  bool amp = true;                  // bf16 matrix products, float32 master weights and loss
  ActivationStorage amp_activations = ActivationStorage::bf16;
  model::Device device = model::Device::cpu;
  std::int64_t threads = 0;         // CPU threads; 0 = all cores
  std::uint64_t seed = 0;
  std::int64_t checkpoint_every = 100;  // epochs; a checkpoint is also written at the end
  double holdout = 0.2;                 // fraction of each family never trained on
  float vmin = codec::kDefaultVmin, vmax = codec::kDefaultVmax;  // normalisation (codec/normalisation.h)

  void validate() const;  // throws seisinr::Error naming the bad setting
  model::Precision precision() const {
    if (!amp) return model::Precision::kFloat32;
    return amp_activations == ActivationStorage::bf16 ? model::Precision::kBf16 : model::Precision::kBf16Products;
  }
};

TrainOptions preset(const std::string& name);  // one of preset_names()
// The recommended preset (measured in docs/fidelity.md): the default of `train`, what `demo`
// trains and what `compress` trains when no decoder is given. `paper` stays the faithful
// reproduction, selected by name.
inline constexpr const char* kRecommendedPreset = "refined";
const std::vector<std::string>& preset_names();
bool is_preset(const std::string& name);  // one of preset_names()

void to_json(nlohmann::json& j, const TrainOptions& o);
void from_json(const nlohmann::json& j, TrainOptions& o);

}  // namespace seisinr::train

template <>
struct seisinr::Names<seisinr::train::CodeInit> {
  static constexpr const char* what = "code_init";
  static constexpr NamedValue<train::CodeInit> table[] = {{train::CodeInit::random, "random"}, {train::CodeInit::linear, "linear"}};
};
template <>
struct seisinr::Names<seisinr::train::LrSchedule> {
  static constexpr const char* what = "lr_schedule";
  static constexpr NamedValue<train::LrSchedule> table[] = {{train::LrSchedule::plateau, "plateau"}, {train::LrSchedule::cosine, "cosine"}};
};
template <>
struct seisinr::Names<seisinr::train::ActivationStorage> {
  static constexpr const char* what = "amp_activations";
  static constexpr NamedValue<train::ActivationStorage> table[] = {{train::ActivationStorage::float32, "float32"},
                                                                   {train::ActivationStorage::bf16, "bf16"}};
};
