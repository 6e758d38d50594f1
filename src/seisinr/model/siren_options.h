// seisinr/model/siren_options.h — the decoder's architecture, torch-free so the CLI, file
// headers and configuration code can use it without libtorch.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

namespace seisinr::model {

struct SirenOptions {
  std::int64_t latent_dim = 256;  // d: size of each map's latent code
  std::int64_t hidden = 512;      // width of every hidden layer
  std::int64_t layers = 4;        // L: hidden sine layers after the input layer
  double omega0 = 30.0;           // ω0 in sin(ω0 (W x + b))
  // "sine" (SIREN), "relu" (plain MLP), "relu_ff" (ReLU on Fourier features of (x, z)): the
  // paper's spectral-bias comparison (its Figure 2).
  std::string activation = "sine";
  // First-layer init of the two coordinate columns: "paper" U(±1/d_in) with d_in = 2 + d, or
  // "coord_half" U(±1/2) — what a 2-D SIREN gives its coordinates (see DESIGN.md: measured).
  std::string first_layer_init = "paper";
  std::int64_t fourier_features = 128;  // relu_ff: number of frequencies m (inputs 2m)
  double fourier_scale = 10.0;          // relu_ff: B ~ N(0, scale²)

  std::int64_t coord_features() const { return activation == "relu_ff" ? 2 * fourier_features : 2; }
  void validate() const;  // throws seisinr::Error naming the bad field
};

void to_json(nlohmann::json& j, const SirenOptions& o);
void from_json(const nlohmann::json& j, SirenOptions& o);

}  // namespace seisinr::model
