// seisinr/model/refiner.h — the convolutional refiner of the linear path (SirenOptions::refiner
// = conv): its layers, in one table, and a portable forward. Torch-free.
//
// The global code's linear path gives each map a field on the basis grid (Hb × Wb),
//   F = m + Σ_k z_k φ_k            (PCA's reconstruction when the path starts at PCA),
// which is blurred and rings where the map has sharp interfaces the d components cannot hold.
// The refiner is a small U-Net R with ReLU activations, and the decoder samples F + R(F):
//   level 0 (Hb × Wb):      a  = ρ(C1(ρ(C0(F))))                      C0: 1 → w,   C1: w → w
//   level 1 (⌊Hb/2⌋, k4 s2): b  = ρ(C3(ρ(C2(a))))                      C2: w → 2w,  C3: 2w → 2w
//   level 2 (k3 s2):         c  = ρ(C7(ρ(C6(ρ(C5(ρ(C4(b))))))))        C4: 2w → 4w, C5/C6 dilated 2/4
//   up to level 1:           b' = ρ(C9(ρ(C8([b, U(c)]))))              C8: 6w → 2w, C9: 2w → 2w
//   up to level 0:           a' = ρ(C11(ρ(C10([a, U(b')]))))           C10: 3w → w, C11: w → w
//   R(F) = C12(a')                                                     C12: w → 1, zero at the start
// ρ = ReLU; C_k(x) = b_k + W_k ⋆ x (cross-correlation, zero padding); U = bilinear resize to the
// finer level's size with half-pixel centres (PyTorch's align_corners = false: source position
// (i + ½)·n_in/n_out − ½, clamped at 0). C12 starts at zero, so a decoder starts at its linear
// path's reconstruction and training can only move it from there.
//
// Why a convolution on the PCA image rather than the SIREN on the code: the SIREN maps the
// 256 code numbers to a map, a global function learned from a few hundred examples, and
// memorises them; R is local and shares its weights over every position, so it learns what a
// blurred interface looks like from every pixel of every map and carries over to maps never seen
// (docs/fidelity.md, "The refiner").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace seisinr::model {

struct ConvSpec {
  const char* name;  // parameters "refiner.<name>.weight" (out, in, k, k) and ".bias" (out)
  int in, out;       // channels, in units of the width w (0 = one channel)
  int kernel, stride, pad, dilation;
};

// The 13 convolutions C0..C12 above, in order.
const std::vector<ConvSpec>& refiner_layers();
// Channels of a spec's input or output for width w (a multiple m of w, or 1 for m = 0).
inline std::int64_t refiner_channels(int mult, std::int64_t w) { return mult == 0 ? 1 : mult * w; }
// Output size of a convolution along one axis.
inline std::int64_t conv_out_size(std::int64_t n, const ConvSpec& s) {
  return (n + 2 * s.pad - s.dilation * (s.kernel - 1) - 1) / s.stride + 1;
}

// R(F) — the wiring of the levels above, the one place it is spelled — for any tensor type T
// and operations `ops` with conv(x, k, relu) (layer k of refiner_layers()), resize_like(x, like)
// (U: x resized to like's spatial size) and cat(a, b) (channels of a, then b). SirenDecoder
// (libtorch) and refine_portable (below) both run it.
template <class T, class Ops>
T refiner_residual(const T& f, const Ops& ops) {
  const T a = ops.conv(ops.conv(f, 0, true), 1, true);
  const T b = ops.conv(ops.conv(a, 2, true), 3, true);
  const T c = ops.conv(ops.conv(ops.conv(ops.conv(b, 4, true), 5, true), 6, true), 7, true);
  const T b2 = ops.conv(ops.conv(ops.cat(b, ops.resize_like(c, b)), 8, true), 9, true);
  const T a2 = ops.conv(ops.conv(ops.cat(a, ops.resize_like(b2, a)), 10, true), 11, true);
  return ops.conv(a2, 12, false);
}

// The refiner evaluated without libtorch, with fixed rules (model/portable_decoder.h): float32,
// sums in ascending (input channel, kernel row, kernel column) order after the bias, no FMA.
// `weights`/`biases`: per layer of refiner_layers(), row-major as the sections store them.
// field: (h, w) row-major, refined in place: field ← field + R(field).
void refine_portable(const std::vector<std::vector<float>>& weights, const std::vector<std::vector<float>>& biases,
                     std::int64_t width, float* field, std::int64_t h, std::int64_t w);

}  // namespace seisinr::model
