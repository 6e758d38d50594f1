// seisinr/codec/tiles.h — a large model as overlapping tiles, each one latent code, blended
// without seams. Torch-free and model-free (the decoder comes in as a callback).
//
// Geometry, per axis, in model samples (z = rows, x = columns). The decoder was trained on maps
// of T samples per side; a tile spans F = (T − 1)·S + 1 model samples (S = scale, model samples
// per decoder sample), so its T decoder samples fall on every S-th model sample. Tiles start
// every F − O samples (O = S · overlap, the overlap in decoder samples), the last one flush
// with the end: every sample is covered, whatever the model's size. A model no larger than F
// along an axis is one tile of its own size there (its decoder samples then fall between model
// samples and are read bilinearly).
//
// Inside tile t starting at p, model position u (continuous) has normalised coordinate
//   ξ = −1 + 2 (u − p) / (F − 1)
// and weight w_t(u) = min(1, (u − p + 1)/(O + 1), (p + F − u)/(O + 1)) along each axis (the
// product of both axes in 2-D). Two tiles that overlap by exactly O samples have weights that sum
// to 1 across the overlap (linear cross-fade); the blended value is
//   v(z, x) = Σ_t w_t v_t(ξ_t, ζ_t) / Σ_t w_t,
// summed in tile order (row-major), in double, so the result is the same on every machine.
//
// A tiled model's value anywhere: the blend is evaluated on a lattice of nodes every s samples
// (s = the file's prediction_stride, by default the tile scale S, so the nodes are where the
// decoder has its own samples) plus the last sample of each axis, and is bilinear in between:
//   v(z, x) = Σ_{a,b ∈ {0,1}} (1 − |z − z_a|/Δz)(1 − |x − x_b|/Δx) V(z_a, x_b)
// for the nodes z_0 ≤ z ≤ z_1, x_0 ≤ x ≤ x_1 around the position. With s = 1 every sample is a
// node; a window at a finer spacing is bilinear between samples.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

namespace seisinr::codec {

struct TileAxis {
  std::int64_t samples = 0;     // model samples along the axis
  std::int64_t footprint = 0;   // F
  std::int64_t overlap = 0;     // O, model samples
  std::vector<std::int64_t> starts;
};

// Throws (usage) on a non-positive size, T < 2, S < 1 or an overlap that leaves no stride.
TileAxis tile_axis(std::int64_t samples, std::int64_t decoder_samples, std::int64_t scale, std::int64_t overlap);

struct TileLayout {
  std::int64_t decoder_height = 0, decoder_width = 0;  // T along z and x
  std::int64_t scale = 1, overlap = 0;                 // S, and the overlap in decoder samples
  TileAxis z, x;
  std::int64_t count() const { return static_cast<std::int64_t>(z.starts.size() * x.starts.size()); }
  std::int64_t columns() const { return static_cast<std::int64_t>(x.starts.size()); }
};
TileLayout make_tile_layout(std::int64_t height, std::int64_t width, std::int64_t decoder_height, std::int64_t decoder_width,
                            std::int64_t scale, std::int64_t overlap);

double tile_weight(const TileAxis& a, std::int64_t start, double u);

// Tile t's decoder samples (T_z × T_x, row-major) read from a model of height × width values
// (row-major): bilinear at positions p + k (F − 1)/(T − 1), exact when those are whole samples.
void sample_tile(const float* model, std::int64_t height, std::int64_t width, const TileLayout& layout, std::int64_t tile,
                 float* out);

// Decodes tile `tile` on the grid of normalised coordinates zn × xn (row-major) into out.
using TileDecoder = std::function<void(std::int64_t tile, const std::vector<double>& zn, const std::vector<double>& xn, float* out)>;

// The blended value on the grid zs × xs (model-sample positions, each ascending) into out
// (|zs|·|xs| floats, row-major). Only the tiles that reach the grid are decoded.
void blend_tiles(const TileLayout& layout, const std::vector<double>& zs, const std::vector<double>& xs, const TileDecoder& decode,
                 float* out);

// The lattice along an axis of n samples with spacing s (0, s, 2s, ... and n − 1): the nodes from
// the last one ≤ lo to the first one ≥ hi (0 ≤ lo ≤ hi ≤ n − 1).
std::vector<double> lattice_nodes(std::int64_t n, std::int64_t s, double lo, double hi);

// Bilinear from values on nodes zn × xn (row-major) to positions zs × xs (row-major out), each
// position within the nodes' span; in double, in a fixed order.
void interpolate_nodes(const std::vector<double>& zn, const std::vector<double>& xn, const float* nodes, const std::vector<double>& zs,
                       const std::vector<double>& xs, float* out);

}  // namespace seisinr::codec
