// seisinr/train/options.cpp — presets, validation and JSON for TrainOptions.
#include "seisinr/train/options.h"

#include "seisinr/io/json_get.h"
#include "seisinr/train/option_table.h"

#include "seisinr/error.h"
#include "seisinr/parallel.h"

namespace seisinr::train {

namespace {

// A preset is a row: its name, the preset it starts from, and the settings it changes, by their
// keys in the option table (option_table.h) — the same words config.json uses.
struct PresetRow {
  const char* name;
  const char* base;      // nullptr: TrainOptions' defaults, which are the paper's
  const char* settings;  // JSON object: option-table key → value
};

const PresetRow kPresets[] = {
    {"paper", nullptr, "{}"},
    // Measured on 2 CPU cores (docs/training.md): a 256-wide, 3-hidden-layer decoder, 490 random
    // points per map per step (10% of 70×70), coordinate columns initialised U(±1/2), latents at
    // 10× the decoder's learning rate; 1,000 maps × 300 epochs fit in under an hour.
    {"small", "paper",
     R"({"model.hidden": 256, "model.layers": 3, "model.first_layer_init": "coord_half", "epochs": 300, "points": 490,
         "lr": 2e-4, "latent_lr": 2e-3, "checkpoint_every": 50})"},
    // `small`'s decoder with a linear path from the code to the output, started at the PCA of
    // the trained maps (encode/code_init.h); the network learns what PCA leaves. Measured on the
    // 600 real maps (docs/fidelity.md): from that start, Adam at the network's rate on the
    // linear path and codes (which sit at the linear optimum, gradients ~0) only adds noise,
    // so they move 200x and 20x slower, after a warm-up of 300 steps.
    {"fidelity", "small",
     R"({"model.linear_path": true, "code_init": "linear", "epochs": 2000, "linear_lr": 1e-6, "latent_lr": 1e-5,
         "warmup_steps": 300})"},
    // The code is PCA's (the linear path at the trained maps' PCA, codes nearly frozen); the
    // decoder is that image refined by a small convolutional network (model/refiner.h), with no
    // SIREN, trained by cross-fitting (cross_folds) so that it learns to repair the projections
    // of maps it never saw. Measured on the 600 real maps (docs/fidelity.md).
    {"refined", "paper",
     R"({"model.linear_path": true, "model.refiner": "conv", "model.refiner_width": 16, "model.siren": false,
         "code_init": "linear", "cross_folds": 5, "epochs": 200, "batch": 16, "points": 0, "lr": 1e-3, "linear_lr": 1e-6,
         "latent_lr": 1e-5, "warmup_steps": 100, "lr_schedule": "cosine", "flip_x": true, "amp": false,
         "checkpoint_every": 10})"},
    {"tiny", "paper",
     R"({"model.latent_dim": 16, "model.hidden": 32, "model.layers": 2, "model.first_layer_init": "coord_half", "epochs": 100,
         "batch": 8, "lr": 1e-3, "latent_lr": 1e-2, "amp": false, "checkpoint_every": 25})"},
};

const PresetRow* find_preset(const std::string& name) {
  for (const PresetRow& row : kPresets)
    if (name == row.name) return &row;
  return nullptr;
}

void apply_preset(const PresetRow& row, TrainOptions& o) {
  if (row.base != nullptr) apply_preset(*find_preset(row.base), o);
  const nlohmann::json settings = nlohmann::json::parse(row.settings);
  for (const auto& [key, value] : settings.items()) {
    const OptionSpec* spec = nullptr;
    for (const OptionSpec& s : option_table())
      if (key == s.key) spec = &s;
    if (spec == nullptr) throw Error(std::string("preset ") + row.name + ": unknown setting '" + key + "'");  // a bug in kPresets
    spec->set(o, value, std::string("preset ") + row.name + "." + key);
  }
}

}  // namespace

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const PresetRow& row : kPresets) n.emplace_back(row.name);
    return n;
  }();
  return names;
}

bool is_preset(const std::string& name) { return find_preset(name) != nullptr; }

TrainOptions preset(const std::string& name) {
  const PresetRow* row = find_preset(name);
  if (row == nullptr) {
    std::string known;
    for (const std::string& n : preset_names()) known += (known.empty() ? "" : n == preset_names().back() ? " or " : ", ") + n;
    throw Error("unknown preset '" + name + "' (expected " + known + ")", ErrorKind::usage);
  }
  TrainOptions o;
  apply_preset(*row, o);
  o.preset = name;
  return o;
}

void TrainOptions::validate() const {
  model.validate();
  resolve_threads(threads, "threads");
  auto positive = [](double v, const char* name) {
    if (!(v > 0)) throw Error(std::string(name) + " must be positive, got " + std::to_string(v), ErrorKind::usage);
  };
  positive(static_cast<double>(epochs), "epochs");
  positive(static_cast<double>(batch), "batch");
  positive(lr, "lr");
  positive(latent_lr, "latent_lr");
  if (!(linear_lr >= 0)) throw Error("linear_lr must be 0 (= lr) or positive", ErrorKind::usage);
  positive(static_cast<double>(checkpoint_every), "checkpoint_every");
  positive(static_cast<double>(plateau_patience) + 1, "plateau_patience + 1");
  if (points < 0) throw Error("points must be 0 (all) or positive, got " + std::to_string(points), ErrorKind::usage);
  if (lambda < 0) throw Error("lambda must be non-negative", ErrorKind::usage);
  if (warmup_steps < 0) throw Error("warmup_steps must be non-negative, got " + std::to_string(warmup_steps), ErrorKind::usage);
  if (latent_init_std < 0) throw Error("latent_init_std must be non-negative", ErrorKind::usage);
  if (!(plateau_factor > 0 && plateau_factor < 1)) throw Error("plateau_factor must be in (0, 1)", ErrorKind::usage);
  if (!(holdout >= 0 && holdout < 1)) throw Error("holdout must be in [0, 1)", ErrorKind::usage);
  if (code_init == CodeInit::linear && !model.linear_path) throw Error("code_init linear needs the linear path (linear_path)", ErrorKind::usage);
  if (flip_x && (model.refiner == model::RefinerKind::kNone || model.siren || points != 0))
    throw Error("flip_x needs a refiner without the SIREN and all points (--refiner conv --no-siren --points 0)", ErrorKind::usage);
  if (cross_folds != 0) {
    if (cross_folds < 2) throw Error("cross_folds must be 0 (off) or at least 2, got " + std::to_string(cross_folds), ErrorKind::usage);
    if (model.refiner == model::RefinerKind::kNone || model.siren || code_init != CodeInit::linear)
      throw Error("cross_folds needs a refiner without the SIREN and code_init linear (--refiner conv --no-siren --code-init linear)",
                  ErrorKind::usage);
  }
  if (threads < 0) throw Error("threads must be 0 (all cores) or positive", ErrorKind::usage);
  if (!(vmin < vmax)) throw Error("vmin must be below vmax", ErrorKind::usage);
}

// The non-model settings through the option table (option_table.h); the decoder's through
// SirenOptions' own JSON, which model files share.
void to_json(nlohmann::json& j, const TrainOptions& o) {
  j = {{"preset", o.preset}, {"model", o.model}};
  for (const OptionSpec& spec : option_table())
    if (std::string(spec.key).rfind("model.", 0) != 0) j[spec.key] = spec.get(o);
  j["optimizer"] = {{"name", "Adam"}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}};
}

void from_json(const nlohmann::json& j, TrainOptions& o) {
  o = preset(io::json_get(j, "preset", std::string("paper"), "config"));
  if (j.contains("model")) from_json(j["model"], o.model);
  for (const OptionSpec& spec : option_table()) {
    if (std::string(spec.key).rfind("model.", 0) == 0) continue;
    const auto it = j.find(spec.key);
    if (it != j.end()) spec.set(o, *it, std::string("config.") + spec.key);
  }
}

}  // namespace seisinr::train
