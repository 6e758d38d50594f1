// seisinr/train/options.cpp — presets, validation and JSON for TrainOptions.
#include "seisinr/train/options.h"

#include "seisinr/io/json_get.h"
#include "seisinr/train/option_table.h"

#include "seisinr/error.h"
#include "seisinr/parallel.h"

namespace seisinr::train {

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = {"paper", "small", "fidelity", "refined", "tiny"};
  return names;
}

TrainOptions preset(const std::string& name) {
  TrainOptions o;  // the defaults are the paper's
  o.preset = name;
  if (name == "paper") return o;
  if (name == "small") {
    // Measured on 2 CPU cores (docs/training.md): a 256-wide, 3-hidden-layer decoder, 490 random
    // points per map per step (10% of 70×70), coordinate columns initialised U(±1/2), latents at
    // 10× the decoder's learning rate; 1,000 maps × 300 epochs fit in under an hour.
    o.model.hidden = 256;
    o.model.layers = 3;
    o.model.first_layer_init = "coord_half";
    o.epochs = 300;
    o.points = 490;
    o.lr = 2e-4;
    o.latent_lr = 2e-3;
    o.checkpoint_every = 50;
    return o;
  }
  if (name == "fidelity") {
    // `small`'s decoder with a linear path from the code to the output, started at the PCA of
    // the trained maps (encode/code_init.h); the network learns what PCA leaves. Measured on the
    // 600 real maps (docs/fidelity.md): from that start, Adam at the network's rate on the
    // linear path and codes (which sit at the linear optimum, gradients ~0) only adds noise,
    // so they move 200x and 20x slower, after a warm-up of 300 steps.
    o.model.hidden = 256;
    o.model.layers = 3;
    o.model.first_layer_init = "coord_half";
    o.model.linear_path = true;
    o.code_init = "linear";
    o.epochs = 2000;
    o.points = 490;
    o.lr = 2e-4;
    o.linear_lr = 1e-6;
    o.latent_lr = 1e-5;
    o.warmup_steps = 300;
    o.checkpoint_every = 50;
    return o;
  }
  if (name == "refined") {
    // The code is PCA's (the linear path at the trained maps' PCA, codes nearly frozen); the
    // decoder is that image refined by a small convolutional network (model/refiner.h), with no
    // SIREN, trained by cross-fitting (cross_folds) so that it learns to repair the projections
    // of maps it never saw. Measured on the 600 real maps (docs/fidelity.md).
    o.model.linear_path = true;
    o.model.refiner = model::RefinerKind::kConv;
    o.model.refiner_width = 16;
    o.model.siren = false;
    o.code_init = "linear";
    o.cross_folds = 5;
    o.epochs = 200;
    o.batch = 16;
    o.points = 0;
    o.lr = 1e-3;
    o.linear_lr = 1e-6;
    o.latent_lr = 1e-5;
    o.warmup_steps = 100;
    o.lr_schedule = "cosine";
    o.flip_x = true;
    o.amp = false;
    o.checkpoint_every = 10;
    return o;
  }
  if (name == "tiny") {
    o.model.latent_dim = 16;
    o.model.hidden = 32;
    o.model.layers = 2;
    o.model.first_layer_init = "coord_half";
    o.epochs = 100;
    o.batch = 8;
    o.lr = 1e-3;
    o.latent_lr = 1e-2;
    o.amp = false;
    o.checkpoint_every = 25;
    return o;
  }
  throw Error("unknown preset '" + name + "' (expected paper, small, fidelity, refined or tiny)", ErrorKind::usage);
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
  if (code_init != "random" && code_init != "linear")
    throw Error("code_init must be random or linear, got '" + code_init + "'", ErrorKind::usage);
  if (code_init == "linear" && !model.linear_path) throw Error("code_init linear needs the linear path (linear_path)", ErrorKind::usage);
  if (lr_schedule != "plateau" && lr_schedule != "cosine")
    throw Error("lr_schedule must be plateau or cosine, got '" + lr_schedule + "'", ErrorKind::usage);
  if (flip_x && (model.refiner == model::RefinerKind::kNone || model.siren || points != 0))
    throw Error("flip_x needs a refiner without the SIREN and all points (--refiner conv --no-siren --points 0)", ErrorKind::usage);
  if (cross_folds != 0) {
    if (cross_folds < 2) throw Error("cross_folds must be 0 (off) or at least 2, got " + std::to_string(cross_folds), ErrorKind::usage);
    if (model.refiner == model::RefinerKind::kNone || model.siren || code_init != "linear")
      throw Error("cross_folds needs a refiner without the SIREN and code_init linear (--refiner conv --no-siren --code-init linear)",
                  ErrorKind::usage);
  }
  if (amp_activations != "float32" && amp_activations != "bf16")
    throw Error("amp_activations must be float32 or bf16, got '" + amp_activations + "'", ErrorKind::usage);
  if (device != "cpu" && device != "cuda") throw Error("device must be cpu or cuda, got '" + device + "'", ErrorKind::usage);
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
