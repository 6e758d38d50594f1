// seisinr/model/siren_options.cpp — validation and JSON for SirenOptions.
#include "seisinr/model/siren_options.h"

#include "seisinr/io/json_get.h"

#include "seisinr/error.h"

namespace seisinr::model {

void SirenOptions::validate() const {
  if (latent_dim < 1) throw Error("latent_dim must be at least 1, got " + std::to_string(latent_dim), ErrorKind::usage);
  if (hidden < 1) throw Error("hidden must be at least 1, got " + std::to_string(hidden), ErrorKind::usage);
  if (layers < 0) throw Error("layers must be non-negative, got " + std::to_string(layers), ErrorKind::usage);
  if (!(omega0 > 0)) throw Error("omega0 must be positive", ErrorKind::usage);
  if (activation == Activation::relu_ff && fourier_features < 1) throw Error("fourier_features must be at least 1", ErrorKind::usage);
  if (code == CodeKind::kGrid) {
    if (code_grid < 2 || code_grid > 1024) throw Error("code_grid must be in [2, 1024], got " + std::to_string(code_grid), ErrorKind::usage);
    if (latent_dim % (code_grid * code_grid) != 0)
      throw Error("code grid: latent_dim " + std::to_string(latent_dim) + " is not a multiple of code_grid² = " +
                  std::to_string(code_grid * code_grid), ErrorKind::usage);
  }
  if (refiner != RefinerKind::kNone) {
    if (!linear_path || code != CodeKind::kGlobal)
      throw Error("refiner conv needs the global code with a linear path (--code global --linear-path)", ErrorKind::usage);
    if (refiner_width < 1 || refiner_width > 256)
      throw Error("refiner_width must be in [1, 256], got " + std::to_string(refiner_width), ErrorKind::usage);
  }
  if (!siren && refiner == RefinerKind::kNone)
    throw Error("a decoder without the SIREN network needs a refiner (--refiner conv)", ErrorKind::usage);
  if (linear_path && (basis_height != 0 || basis_width != 0) && (basis_height < 2 || basis_width < 2 || basis_height > 65536 || basis_width > 65536 ||
                      basis_height * basis_width * (latent_dim + 1) > (std::int64_t{1} << 31)))
    throw Error("linear_path: basis grid " + std::to_string(basis_height) + "x" + std::to_string(basis_width) +
                " out of range (each side 2..65536, (d + 1)·H·W under 2^31; 0x0 = the training maps' grid)", ErrorKind::usage);
}

void to_json(nlohmann::json& j, const SirenOptions& o) {
  j = {{"latent_dim", o.latent_dim},   {"hidden", o.hidden},
       {"layers", o.layers},           {"omega0", o.omega0},
       {"activation", name_of(o.activation)}, {"first_layer_init", name_of(o.first_layer_init)},
       {"fourier_features", o.fourier_features}, {"fourier_scale", o.fourier_scale},
       {"code", name_of(o.code)}, {"code_grid", o.code_grid},
       {"linear_path", o.linear_path}, {"basis_height", o.basis_height}, {"basis_width", o.basis_width},
       {"refiner", name_of(o.refiner)}, {"refiner_width", o.refiner_width}, {"siren", o.siren}};
}

void from_json(const nlohmann::json& j, SirenOptions& o) {
  SirenOptions d;
  o.latent_dim = io::json_get(j, "latent_dim", d.latent_dim, "model");
  o.hidden = io::json_get(j, "hidden", d.hidden, "model");
  o.layers = io::json_get(j, "layers", d.layers, "model");
  o.omega0 = io::json_get(j, "omega0", d.omega0, "model");
  o.activation = parse_name<Activation>(io::json_get(j, "activation", std::string(name_of(d.activation)), "model"));
  o.first_layer_init = parse_name<FirstLayerInit>(io::json_get(j, "first_layer_init", std::string(name_of(d.first_layer_init)), "model"));
  o.fourier_features = io::json_get(j, "fourier_features", d.fourier_features, "model");
  o.fourier_scale = io::json_get(j, "fourier_scale", d.fourier_scale, "model");
  o.code = parse_name<CodeKind>(io::json_get(j, "code", std::string(name_of(d.code)), "model"));
  o.code_grid = io::json_get(j, "code_grid", d.code_grid, "model");
  o.linear_path = io::json_get(j, "linear_path", d.linear_path, "model");
  o.basis_height = io::json_get(j, "basis_height", d.basis_height, "model");
  o.basis_width = io::json_get(j, "basis_width", d.basis_width, "model");
  o.refiner = parse_name<RefinerKind>(io::json_get(j, "refiner", std::string(name_of(d.refiner)), "model"));
  o.refiner_width = io::json_get(j, "refiner_width", d.refiner_width, "model");
  o.siren = io::json_get(j, "siren", d.siren, "model");
}

}  // namespace seisinr::model
