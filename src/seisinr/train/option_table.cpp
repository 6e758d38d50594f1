// seisinr/train/option_table.cpp — the table of training settings (option_table.h).
#include "seisinr/train/option_table.h"

#include <cerrno>
#include <cstdlib>

#include "seisinr/error.h"
#include "seisinr/io/json_get.h"
#include "seisinr/train/trainer.h"

namespace seisinr::train {
namespace {

// get/set for a plain member, spelled once.
#define SEISINR_MEMBER(m)                                                                            \
  [](const TrainOptions& o) { return nlohmann::json(o.m); },                                         \
      [](TrainOptions& o, const nlohmann::json& v, const std::string& w) { o.m = io::json_as<decltype(o.m)>(v, w); }

// get/set for an enum member: its words from the enum's table (seisinr/names.h).
#define SEISINR_NAMED(m)                                                                             \
  [](const TrainOptions& o) { return nlohmann::json(name_of(o.m)); },                                \
      [](TrainOptions& o, const nlohmann::json& v, const std::string& w) {                           \
        o.m = parse_name<decltype(o.m)>(io::json_as<std::string>(v, w));                             \
      }

using T = OptionType;

}  // namespace

const std::vector<OptionSpec>& option_table() {
  static const std::vector<OptionSpec> table = {
      {"--epochs", "epochs", T::kInt, "Epochs", {}, true, SEISINR_MEMBER(epochs)},
      {"--hidden", "model.hidden", T::kInt, "Hidden layer width", {}, false, SEISINR_MEMBER(model.hidden)},
      {"--layers", "model.layers", T::kInt, "Hidden sine layers", {}, false, SEISINR_MEMBER(model.layers)},
      {"--latent-dim", "model.latent_dim", T::kInt, "Numbers per map's code d", {}, false, SEISINR_MEMBER(model.latent_dim)},
      {"--code", "model.code", T::kString, "Per-map code: global (the paper's vector) | grid (a lattice sampled at (x, z))",
       names_of<model::CodeKind>(), false, SEISINR_NAMED(model.code)},
      {"--code-grid", "model.code_grid", T::kInt, "grid code: cells per side G (channels = d / G²)", {}, false,
       SEISINR_MEMBER(model.code_grid)},
      {"--linear-path", "model.linear_path", T::kBool,
       "A linear path from the code to the output (mean map + learned basis, or the grid's readout)", {}, false,
       SEISINR_MEMBER(model.linear_path)},
      {"--refiner", "model.refiner", T::kString,
       "What sharpens the linear path's image: none | conv (a small U-Net on the basis grid; needs --linear-path, global code)",
       names_of<model::RefinerKind>(), false, SEISINR_NAMED(model.refiner)},
      {"--refiner-width", "model.refiner_width", T::kInt, "Refiner channels at full resolution (2x and 4x at the coarser levels)", {},
       false, SEISINR_MEMBER(model.refiner_width)},
      {"--siren", "model.siren", T::kBool, "The point-wise SIREN network on the code (off: the linear path and refiner alone)", {},
       false, SEISINR_MEMBER(model.siren)},
      {"--cross-folds", "cross_folds", T::kInt,
       "Train the refiner also on each map's PCA reconstruction from the other K folds (0 = off)", {}, false,
       SEISINR_MEMBER(cross_folds)},
      {"--code-init", "code_init", T::kString,
       "Start of codes and linear path: random | linear (PCA of the trained maps / least-squares lattice)", names_of<CodeInit>(), false,
       SEISINR_NAMED(code_init)},
      {"--batch", "batch", T::kInt, "Maps per step: the global batch, shared out over MPI ranks by which rank holds each map", {},
       false, SEISINR_MEMBER(batch)},
      {"--lr", "lr", T::kFloat, "Decoder learning rate", {}, false, SEISINR_MEMBER(lr)},
      {"--latent-lr", "latent_lr", T::kFloat, "Latent learning rate", {}, false, SEISINR_MEMBER(latent_lr)},
      {"--linear-lr", "linear_lr", T::kFloat, "Learning rate of the decoder's linear path, 0 = --lr", {}, false, SEISINR_MEMBER(linear_lr)},
      {"--warmup-steps", "warmup_steps", T::kInt, "Linear learning-rate warm-up over this many steps, 0 = none", {}, false,
       SEISINR_MEMBER(warmup_steps)},
      {"--lambda", "lambda", T::kFloat, "Latent L2 weight", {}, false, SEISINR_MEMBER(lambda)},
      {"--latent-init-std", "latent_init_std", T::kFloat, "Random codes start N(0, std²)", {}, false, SEISINR_MEMBER(latent_init_std)},
      {"--omega0", "model.omega0", T::kFloat, "Sine frequency ω0", {}, false, SEISINR_MEMBER(model.omega0)},
      {"--activation", "model.activation", T::kString, "Hidden layers' nonlinearity (sine: SIREN; relu_ff: ReLU on Fourier features of (x, z))",
       names_of<model::Activation>(), false, SEISINR_NAMED(model.activation)},
      {"--first-layer-init", "model.first_layer_init", T::kString,
       "Coordinate columns of the first layer: paper U(±1/d_in) | coord_half U(±1/2)", names_of<model::FirstLayerInit>(), false,
       SEISINR_NAMED(model.first_layer_init)},
      {"--points", "points", T::kInt, "Random points per map per step, 0 = all", {}, false, SEISINR_MEMBER(points)},
      {"--lr-schedule", "lr_schedule", T::kString, "Learning-rate schedule: plateau (ReduceLROnPlateau) | cosine (to 0 over --epochs)",
       names_of<LrSchedule>(), false, SEISINR_NAMED(lr_schedule)},
      {"--flip-x", "flip_x", T::kBool, "Mirror each map of a batch in x with probability 1/2 (refiner without SIREN, all points)", {},
       false, SEISINR_MEMBER(flip_x)},
      {"--plateau-patience", "plateau_patience", T::kInt, "Epochs without improvement before the learning rates drop", {}, false,
       SEISINR_MEMBER(plateau_patience)},
      {"--plateau-factor", "plateau_factor", T::kFloat, "Learning-rate factor on a plateau", {}, false, SEISINR_MEMBER(plateau_factor)},
      {"--plateau-threshold", "plateau_threshold", T::kFloat, "Relative improvement that counts against the plateau", {}, false,
       SEISINR_MEMBER(plateau_threshold)},
      {"--amp", "amp", T::kBool, "bf16 matrix products with float32 master weights", {}, false, SEISINR_MEMBER(amp)},
      {"--amp-activations", "amp_activations", T::kString,
       "With --amp, activations between layers stored as float32 | bf16 (docs/performance.md)", names_of<ActivationStorage>(), false,
       SEISINR_NAMED(amp_activations)},
      {"--device", "device", T::kString, "Where the tensors live", names_of<model::Device>(), false, SEISINR_NAMED(device)},
      {"--threads", "threads", T::kInt, "CPU threads, 0 = all cores", {}, true, SEISINR_MEMBER(threads)},
      {"--seed", "seed", T::kInt, "Random seed (init, split, batches, points)", {}, false, SEISINR_MEMBER(seed)},
      {"--checkpoint-every", "checkpoint_every", T::kInt, "Epochs between checkpoints", {}, true, SEISINR_MEMBER(checkpoint_every)},
      {"--holdout", "holdout", T::kFloat, "Fraction of each family held out (never trained on)", {}, false, SEISINR_MEMBER(holdout)},
      {"--vmin", "vmin", T::kFloat, "Velocity (m/s) mapped to −1", {}, false, SEISINR_MEMBER(vmin)},
      {"--vmax", "vmax", T::kFloat, "Velocity (m/s) mapped to +1", {}, false, SEISINR_MEMBER(vmax)},
  };
  return table;
}

#undef SEISINR_MEMBER
#undef SEISINR_NAMED

nlohmann::json parse_option_value(const OptionSpec& spec, const std::string& text) {
  const std::string what = std::string(spec.flag) + " " + text;
  errno = 0;
  char* end = nullptr;
  switch (spec.type) {
    case OptionType::kInt: {
      const long long v = std::strtoll(text.c_str(), &end, 10);
      if (text.empty() || *end != '\0' || errno == ERANGE) throw Error(what + ": expected an integer", ErrorKind::usage);
      return v;
    }
    case OptionType::kFloat: {
      const double v = std::strtod(text.c_str(), &end);
      if (text.empty() || *end != '\0' || errno == ERANGE) throw Error(what + ": expected a number", ErrorKind::usage);
      return v;
    }
    case OptionType::kBool:
      if (text == "true" || text == "1") return true;
      if (text == "false" || text == "0") return false;
      throw Error(what + ": expected true or false", ErrorKind::usage);
    case OptionType::kString:
      break;
  }
  return text;
}

TrainOptions resolve_options(const std::string& preset_name, const OptionOverrides& overrides) {
  TrainOptions t = preset(preset_name);
  for (const auto& [spec, value] : overrides) spec->set(t, value, spec->flag);
  t.validate();
  return t;
}

void apply_resume_overrides(const OptionOverrides& overrides, const TrainOptions& t, RunOptions& run) {
  for (const auto& [spec, value] : overrides)
    if (!spec->resumable) throw Error(std::string(spec->flag) + " cannot change on --resume (the checkpoint's setting is used)", ErrorKind::usage);
  for (const auto& [spec, value] : overrides) {
    const std::string key = spec->key;
    if (key == "epochs") run.epochs = t.epochs;
    else if (key == "threads") run.threads = t.threads;
    else if (key == "checkpoint_every") run.checkpoint_every = t.checkpoint_every;
  }
}

}  // namespace seisinr::train
