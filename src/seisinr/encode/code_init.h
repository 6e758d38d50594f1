// seisinr/encode/code_init.h — a data-driven start for codes and the decoder's linear path
// (TrainOptions::code_init = "linear"). Torch.
//
// With targets V (n maps × P points, normalised, on the basis grid) the linear path is set to
// the least-squares answer a linear code gives, and the network's output layer to zero, so
// training starts at that reconstruction and can only improve its loss from there:
//   global code:  m = mean_i V_i;  V − m = U S Wᵀ (thin SVD);  φ_k = √P · W_k (row k of Wᵀ,
//                 on the Hb×Wb grid);  z_ik = (V_i − m)·W_k / √P   for k < min(d, rank),
//                 i.e. PCA with d components. The √P scaling keeps basis values O(1) and codes
//                 small against the λ‖z‖² term. Components past the data's rank keep their
//                 random start and a zero code. The network's first-layer code weights W_z
//                 are divided column by column by each code's spread over the maps, so the
//                 network sees unit-variance inputs.
//   grid code:    channel 0 of each lattice = argmin_L ‖H L − V_i‖² (H: P × G² bilinear hats,
//                 a ridge of 1e-6 for lattices finer than the map), other channels 0, m = 0,
//                 readout (1, 0, …).
// Encoding a new map (encode/encoder.h, init "project") solves the same least squares against
// the trained basis: z = argmin_z ‖Φᵀ z + m − v‖² + ε‖z‖².
#pragma once

#include <torch/types.h>

#include "seisinr/model/siren.h"

namespace seisinr::encode {

// targets: (n, h·w) on the decoder's device, h × w equal to the basis grid. Returns the codes
// (n, d) and sets the decoder's linear path and output layer.
torch::Tensor init_codes_linear(model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t h, std::int64_t w);

// Cross-fitted reconstructions (TrainOptions::cross_folds): rows split into `folds` folds by a
// permutation seeded with `seed`; each row's reconstruction is the d-component PCA of the rows
// of the other folds, m_f + (V_i − m_f) W_fᵀ W_f. (n, h·w) float32 on targets' device. These are
// the trained maps as a linear code fitted without them sees them: what a new map looks like
// through the linear path. Needs 2 ≤ folds ≤ n (the trainer uses min(cross_folds, n) folds and
// none for a single map).
torch::Tensor cross_fitted_fields(const torch::Tensor& targets, std::int64_t d, std::int64_t folds, std::uint64_t seed);

// Each code's spread over the rows of `codes` (n, d): its standard deviation, floored at 1e-3 of
// the largest (so a code that never varies still has a scale). (d), float64.
torch::Tensor code_spread(const torch::Tensor& codes);

// Least-squares codes (n, d) of `targets` (n, h·w) on an h × w grid through the decoder's linear
// path alone (the network's part is ignored): the "project" start of encoding.
torch::Tensor project_codes(const model::SirenDecoder& decoder, const torch::Tensor& targets, std::int64_t h, std::int64_t w);

}  // namespace seisinr::encode
