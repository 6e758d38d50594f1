// seisinr/model/siren_options.cpp — validation and JSON for SirenOptions.
#include "seisinr/model/siren_options.h"

#include "seisinr/io/json_get.h"

#include "seisinr/error.h"

namespace seisinr::model {

void SirenOptions::validate() const {
  if (latent_dim < 1) throw Error("latent_dim must be at least 1, got " + std::to_string(latent_dim));
  if (hidden < 1) throw Error("hidden must be at least 1, got " + std::to_string(hidden));
  if (layers < 0) throw Error("layers must be non-negative, got " + std::to_string(layers));
  if (!(omega0 > 0)) throw Error("omega0 must be positive");
  if (activation != "sine" && activation != "relu" && activation != "relu_ff")
    throw Error("activation must be sine, relu or relu_ff, got '" + activation + "'");
  if (first_layer_init != "paper" && first_layer_init != "coord_half")
    throw Error("first_layer_init must be paper or coord_half, got '" + first_layer_init + "'");
  if (activation == "relu_ff" && fourier_features < 1) throw Error("fourier_features must be at least 1");
}

void to_json(nlohmann::json& j, const SirenOptions& o) {
  j = {{"latent_dim", o.latent_dim},   {"hidden", o.hidden},
       {"layers", o.layers},           {"omega0", o.omega0},
       {"activation", o.activation},   {"first_layer_init", o.first_layer_init},
       {"fourier_features", o.fourier_features}, {"fourier_scale", o.fourier_scale}};
}

void from_json(const nlohmann::json& j, SirenOptions& o) {
  SirenOptions d;
  o.latent_dim = io::json_get(j, "latent_dim", d.latent_dim, "model");
  o.hidden = io::json_get(j, "hidden", d.hidden, "model");
  o.layers = io::json_get(j, "layers", d.layers, "model");
  o.omega0 = io::json_get(j, "omega0", d.omega0, "model");
  o.activation = io::json_get(j, "activation", d.activation, "model");
  o.first_layer_init = io::json_get(j, "first_layer_init", d.first_layer_init, "model");
  o.fourier_features = io::json_get(j, "fourier_features", d.fourier_features, "model");
  o.fourier_scale = io::json_get(j, "fourier_scale", d.fourier_scale, "model");
}

}  // namespace seisinr::model
