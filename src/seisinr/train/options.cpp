// seisinr/train/options.cpp — presets, validation and JSON for TrainOptions.
#include "seisinr/train/options.h"

#include "seisinr/error.h"

namespace seisinr::train {

const std::vector<std::string>& preset_names() {
  static const std::vector<std::string> names = {"paper", "small", "tiny"};
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
  throw Error("unknown preset '" + name + "' (expected paper, small or tiny)");
}

void TrainOptions::validate() const {
  model.validate();
  auto positive = [](double v, const char* name) {
    if (!(v > 0)) throw Error(std::string(name) + " must be positive, got " + std::to_string(v));
  };
  positive(static_cast<double>(epochs), "epochs");
  positive(static_cast<double>(batch), "batch");
  positive(lr, "lr");
  positive(latent_lr, "latent_lr");
  positive(static_cast<double>(checkpoint_every), "checkpoint_every");
  positive(static_cast<double>(plateau_patience) + 1, "plateau_patience + 1");
  if (points < 0) throw Error("points must be 0 (all) or positive, got " + std::to_string(points));
  if (lambda < 0) throw Error("lambda must be non-negative");
  if (latent_init_std < 0) throw Error("latent_init_std must be non-negative");
  if (!(plateau_factor > 0 && plateau_factor < 1)) throw Error("plateau_factor must be in (0, 1)");
  if (!(holdout >= 0 && holdout < 1)) throw Error("holdout must be in [0, 1)");
  if (device != "cpu" && device != "cuda") throw Error("device must be cpu or cuda, got '" + device + "'");
  if (threads < 0) throw Error("threads must be 0 (all cores) or positive");
  if (!(vmin < vmax)) throw Error("vmin must be below vmax");
}

void to_json(nlohmann::json& j, const TrainOptions& o) {
  j = {{"preset", o.preset},
       {"model", o.model},
       {"epochs", o.epochs},
       {"batch", o.batch},
       {"points", o.points},
       {"lr", o.lr},
       {"latent_lr", o.latent_lr},
       {"lambda", o.lambda},
       {"latent_init_std", o.latent_init_std},
       {"plateau_patience", o.plateau_patience},
       {"plateau_factor", o.plateau_factor},
       {"plateau_threshold", o.plateau_threshold},
       {"amp", o.amp},
       {"device", o.device},
       {"threads", o.threads},
       {"seed", o.seed},
       {"checkpoint_every", o.checkpoint_every},
       {"holdout", o.holdout},
       {"vmin", o.vmin},
       {"vmax", o.vmax},
       {"optimizer", {{"name", "Adam"}, {"betas", {0.9, 0.999}}, {"eps", 1e-8}}}};
}

void from_json(const nlohmann::json& j, TrainOptions& o) {
  o = preset(j.value("preset", std::string("paper")));
  if (j.contains("model")) o.model = j["model"].get<model::SirenOptions>();
  o.epochs = j.value("epochs", o.epochs);
  o.batch = j.value("batch", o.batch);
  o.points = j.value("points", o.points);
  o.lr = j.value("lr", o.lr);
  o.latent_lr = j.value("latent_lr", o.latent_lr);
  o.lambda = j.value("lambda", o.lambda);
  o.latent_init_std = j.value("latent_init_std", o.latent_init_std);
  o.plateau_patience = j.value("plateau_patience", o.plateau_patience);
  o.plateau_factor = j.value("plateau_factor", o.plateau_factor);
  o.plateau_threshold = j.value("plateau_threshold", o.plateau_threshold);
  o.amp = j.value("amp", o.amp);
  o.device = j.value("device", o.device);
  o.threads = j.value("threads", o.threads);
  o.seed = j.value("seed", o.seed);
  o.checkpoint_every = j.value("checkpoint_every", o.checkpoint_every);
  o.holdout = j.value("holdout", o.holdout);
  o.vmin = j.value("vmin", o.vmin);
  o.vmax = j.value("vmax", o.vmax);
}

}  // namespace seisinr::train
