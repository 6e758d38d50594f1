// seisinr/model/siren_options.h — the decoder's architecture, torch-free so the CLI, file
// headers and configuration code can use it without libtorch.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "seisinr/names.h"

namespace seisinr::model {

// How a map's code of `latent_dim` numbers reaches the decoder (DESIGN.md, "Codes").
enum class CodeKind {
  kGlobal,  // the paper's: one vector concatenated to (x, z) at every point
  kGrid,    // a lattice of C channels on G×G cells over the map, sampled bilinearly at (x, z)
};

// What refines the linear path's map before it is sampled (model/refiner.h).
enum class RefinerKind {
  kNone,  // the linear path's field is sampled as it is
  kConv,  // a small convolutional network on the basis grid: F ← F + R(F)
};

// The hidden layers' nonlinearity: the paper's spectral-bias comparison (its Figure 2).
enum class Activation {
  sine,     // SIREN
  relu,     // a plain MLP
  relu_ff,  // ReLU on Fourier features of (x, z)
};

// First-layer init of the two coordinate columns (see DESIGN.md: measured).
enum class FirstLayerInit {
  paper,       // U(±1/d_in) with d_in = 2 + d
  coord_half,  // U(±1/2): what a 2-D SIREN gives its coordinates
};

struct SirenOptions {
  std::int64_t latent_dim = 256;  // d: size of each map's latent code
  std::int64_t hidden = 512;      // width of every hidden layer
  std::int64_t layers = 4;        // L: hidden sine layers after the input layer
  double omega0 = 30.0;           // ω0 in sin(ω0 (W x + b))
  Activation activation = Activation::sine;
  FirstLayerInit first_layer_init = FirstLayerInit::paper;
  std::int64_t fourier_features = 128;  // relu_ff: number of frequencies m (inputs 2m)
  double fourier_scale = 10.0;          // relu_ff: B ~ N(0, scale²)
  CodeKind code = CodeKind::kGlobal;
  // grid: cells per side G; the code is laid out [channel][row (z)][column (x)], C = d / G².
  std::int64_t code_grid = 8;
  // A linear path from the code to the output, added to the network's output (model/siren.h):
  // a mean map plus a learned basis (global code) or a readout of the sampled channels (grid).
  bool linear_path = false;
  // linear_path: the grid of the mean map and basis fields, sampled bilinearly at (x, z);
  // the trainer sets it to the training maps' grid.
  std::int64_t basis_height = 0, basis_width = 0;
  // conv (needs the global code's linear path): the linear field m + Σ_k z_k φ_k on the basis grid
  // is refined by a convolutional network before it is sampled (model/refiner.h), so a map's
  // code reaches the output through a local, translation-equivariant function of its PCA image.
  RefinerKind refiner = RefinerKind::kNone;
  std::int64_t refiner_width = 16;  // channels of the refiner's first level (2× and 4× below)
  // The point-wise SIREN network f(x, z; code). Off (needs the refiner): the decoder is the
  // linear path and its refiner alone.
  bool siren = true;

  std::int64_t coord_features() const { return activation == Activation::relu_ff ? 2 * fourier_features : 2; }
  // Numbers of the code that enter the first layer at a point: d (global) or C (grid).
  std::int64_t code_features() const { return code == CodeKind::kGrid ? latent_dim / (code_grid * code_grid) : latent_dim; }
  void validate() const;  // throws seisinr::Error naming the bad field
};

void to_json(nlohmann::json& j, const SirenOptions& o);
void from_json(const nlohmann::json& j, SirenOptions& o);

}  // namespace seisinr::model

// The words of each setting (seisinr/names.h), as files, flags and errors spell them.
template <>
struct seisinr::Names<seisinr::model::CodeKind> {
  static constexpr const char* what = "code";
  static constexpr NamedValue<model::CodeKind> table[] = {{model::CodeKind::kGlobal, "global"}, {model::CodeKind::kGrid, "grid"}};
};
template <>
struct seisinr::Names<seisinr::model::RefinerKind> {
  static constexpr const char* what = "refiner";
  static constexpr NamedValue<model::RefinerKind> table[] = {{model::RefinerKind::kNone, "none"}, {model::RefinerKind::kConv, "conv"}};
};
template <>
struct seisinr::Names<seisinr::model::Activation> {
  static constexpr const char* what = "activation";
  static constexpr NamedValue<model::Activation> table[] = {
      {model::Activation::sine, "sine"}, {model::Activation::relu, "relu"}, {model::Activation::relu_ff, "relu_ff"}};
};
template <>
struct seisinr::Names<seisinr::model::FirstLayerInit> {
  static constexpr const char* what = "first_layer_init";
  static constexpr NamedValue<model::FirstLayerInit> table[] = {{model::FirstLayerInit::paper, "paper"},
                                                                {model::FirstLayerInit::coord_half, "coord_half"}};
};

namespace seisinr::model {
inline const char* code_kind_name(CodeKind k) { return name_of(k); }
inline CodeKind parse_code_kind(const std::string& name) { return parse_name<CodeKind>(name); }  // throws naming the value
inline const char* refiner_kind_name(RefinerKind k) { return name_of(k); }
inline RefinerKind parse_refiner_kind(const std::string& name) { return parse_name<RefinerKind>(name); }
}  // namespace seisinr::model
