// seisinr/model/siren.h — the shared decoder f(x, z; latent) of the auto-decoder (paper §3.2).
//
//   h0 = σ(ω0 (W_c·c + W_z·z_i + b0))      c = (x, z) ∈ [-1, 1]² (or its Fourier features)
//   h_k = σ(ω0 (W_k h_{k-1} + b_k)),  k = 1..L
//   v̂  = W_out h_L + b_out                  normalised velocity, 2 (v − vmin)/(vmax − vmin) − 1
// σ = sin for SIREN (ω0 = 30); for "relu"/"relu_ff" σ = ReLU and ω0 is not applied.
//
// Codes (SirenOptions::code). Global (the paper): z_i ∈ R^d enters through W_z·z_i above. Grid:
// z_i is a lattice Z_i of C channels on G×G nodes spanning [-1, 1]² (node (r, q) at
// x = −1 + 2q/(G−1), z = −1 + 2r/(G−1)); the first layer sees its bilinear sample
// s_i(x, z) = Σ_nodes hat(x, z) Z_i (PyTorch's grid_sample, align_corners = true) in place of
// z_i:  h0 = σ(ω0 (W_c·c + W_z·s_i(x, z) + b0)), W_z of shape (H, C).
//
// Linear path (SirenOptions::linear_path), added to v̂:
//   global:  m(x, z) + Σ_k z_ik φ_k(x, z)   a mean map m and d basis fields φ_k (a learned,
//            continuous PCA; the trainer can start them at the training maps' PCA)
//   grid:    m(x, z) + Σ_c a_c s_ic(x, z)   a readout a ∈ R^C of the sampled code
// Refiner (SirenOptions::refiner = conv, model/refiner.h): the global path's field
// F = m + Σ_k z_ik φ_k is replaced by F + R(F), a convolutional network on the basis grid, before
// it is sampled. Without the SIREN (SirenOptions::siren = false) v̂ is that sample alone.
// m and φ_k are fields on a basis_height × basis_width grid over [-1, 1]², sampled bilinearly,
// so the path is defined at every resolution. With it the decoder contains PCA's (or a coarse
// lattice's) reconstruction as a special case: the network only has to learn the remainder.
//
// The first layer's product is split: W_z·z_i + b0 is computed once per map and broadcast over
// that map's points, instead of concatenating (x, z, z_i) for every point; `forward_concat`
// computes the concatenated form for tests.
//
// Init (SIREN, Sitzmann et al. 2020): first layer U(±1/d_in), d_in = 2 + d (option
// "coord_half" draws the two coordinate columns U(±1/2) instead); hidden and output layers
// U(±√(6/d_in)/ω0). Biases: U(±1/√d_in), PyTorch nn.Linear's default, which the SIREN reference
// code keeps. ReLU variants use Kaiming-uniform weights (nn.Linear's default) instead.
//
// Precision (model/precision.h): float32; bf16 products (the hidden layers' products in bfloat16
// with float32 master weights; bias add, sine and the output layer in float32); or bf16, which
// also stores the activations between layers in bfloat16 (sine decoders only).
#pragma once

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

#include "seisinr/model/precision.h"
#include "seisinr/model/siren_options.h"

namespace seisinr::model {

class SirenDecoder {
 public:
  // Parameters are created on `device`, initialised from `generator_seed`.
  SirenDecoder(const SirenOptions& options, std::uint64_t seed, torch::Device device = torch::kCPU);

  const SirenOptions& options() const { return options_; }

  // coords: (P, 2) shared by every map, or (B, P, 2); latents: (B, d). Returns (B, P).
  torch::Tensor forward(const torch::Tensor& coords, const torch::Tensor& latents,
                        Precision precision = Precision::kFloat32) const;
  // The same function with (x, z, latent) concatenated per point (no split). For tests.
  torch::Tensor forward_concat(const torch::Tensor& coords, const torch::Tensor& latents) const;

  // Trainable tensors with stable names ("first.coord_weight", "hidden.0.weight", ...).
  std::vector<std::pair<std::string, torch::Tensor>> named_parameters() const;
  // Non-trainable tensors saved with the model (the Fourier matrix for relu_ff).
  std::vector<std::pair<std::string, torch::Tensor>> named_buffers() const;
  std::vector<torch::Tensor> parameters() const;
  // The named parameter or buffer itself; throws when there is none of that name.
  torch::Tensor get(const std::string& name) const;
  // Replaces the value of a named parameter or buffer (shapes must match); throws otherwise.
  void set(const std::string& name, const torch::Tensor& value);
  std::int64_t parameter_count() const;
  // Hidden sine layers through model/sine_layer.h (default) or as plain autograd operations.
  void set_fused(bool fused) { fused_ = fused; }
  // Zeroes the network's output layer, so v̂ is the linear path alone until training moves it.
  void zero_output_layer();

  // The linear path at `coords` (P, 2) as v̂_lin = latents · Φ + m: returns {Φ (d, P), m (P)}.
  // Requires linear_path. For the grid code Φ[(c, node), p] = a_c hat_node(p).
  std::pair<torch::Tensor, torch::Tensor> linear_basis(const torch::Tensor& coords) const;

  // The decoder's output for maps given by their linear fields (B, Hb, Wb) on the basis grid
  // instead of codes: the refined field sampled at coords (P, 2) or (B, P, 2). Needs a refiner
  // and no SIREN (whose input is the code). The trainer feeds it the cross-fitted fields of the
  // trained maps (encode/code_init.h), which look like what a new map's projection gives.
  torch::Tensor forward_fields(const torch::Tensor& coords, const torch::Tensor& fields) const;
  // The global code's linear fields m + Σ_k z_k φ_k on the basis grid, before any refiner: (B, Hb, Wb).
  torch::Tensor linear_fields(const torch::Tensor& latents) const;

 private:
  torch::Tensor coord_features(const torch::Tensor& coords) const;
  torch::Tensor activate(const torch::Tensor& pre) const;
  // The grid code's sample s_i(x, z): latents (B, d), coords (P, 2) or (B, P, 2) → (B, P, C).
  torch::Tensor sample_code(const torch::Tensor& coords, const torch::Tensor& latents) const;
  // The linear path's contribution: (B, P).
  torch::Tensor linear_output(const torch::Tensor& coords, const torch::Tensor& latents, const torch::Tensor& code) const;
  // F + R(F) for fields (B, 1, Hb, Wb); F itself without a refiner.
  torch::Tensor refine(const torch::Tensor& fields) const;
  // Samples fields (B, 1, Hb, Wb) at coords (P, 2) or (B, P, 2): (B, P).
  torch::Tensor sample_maps(const torch::Tensor& fields, const torch::Tensor& coords) const;

  SirenOptions options_;
  torch::Tensor coord_weight_, latent_weight_, first_bias_;  // (H, c), (H, d), (H)
  std::vector<torch::Tensor> hidden_weight_, hidden_bias_;   // L × (H, H), (H)
  torch::Tensor out_weight_, out_bias_;                      // (1, H), (1)
  torch::Tensor fourier_;                                    // relu_ff: (m, 2)
  torch::Tensor basis_, mean_, readout_;  // linear path: (d, Hb, Wb) global, (Hb, Wb), (C) grid
  std::vector<torch::Tensor> refiner_weight_, refiner_bias_;  // refiner: per layer of refiner_layers()
  bool fused_ = true;
};

// Bilinear samples of fields (N, C, H, W) spanning [-1, 1]² at coords (N, P, 2) → (N, P, C)
// (grid_sample with align_corners = true; coordinates outside are clamped to the border).
torch::Tensor sample_fields(const torch::Tensor& fields, const torch::Tensor& coords);

// Regular grid of (x, z) in [-1, 1]², x along columns and z along rows, row-major: (H·W, 2).
torch::Tensor make_grid(std::int64_t h, std::int64_t w, torch::Device device = torch::kCPU);
// Rows [row0, row0 + rows) of make_grid(h, w): the same coordinates, a block at a time.
torch::Tensor make_grid_rows(std::int64_t h, std::int64_t w, std::int64_t row0, std::int64_t rows,
                             torch::Device device = torch::kCPU);

}  // namespace seisinr::model
