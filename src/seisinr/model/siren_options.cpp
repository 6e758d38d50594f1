// seisinr/model/siren_options.cpp — validation and JSON for SirenOptions.
#include "seisinr/model/siren_options.h"

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
  o.latent_dim = j.value("latent_dim", d.latent_dim);
  o.hidden = j.value("hidden", d.hidden);
  o.layers = j.value("layers", d.layers);
  o.omega0 = j.value("omega0", d.omega0);
  o.activation = j.value("activation", d.activation);
  o.first_layer_init = j.value("first_layer_init", d.first_layer_init);
  o.fourier_features = j.value("fourier_features", d.fourier_features);
  o.fourier_scale = j.value("fourier_scale", d.fourier_scale);
}

}  // namespace seisinr::model
