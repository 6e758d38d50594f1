// seisinr/codec/tiles.cpp — see tiles.h.
#include "seisinr/codec/tiles.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "seisinr/error.h"

namespace seisinr::codec {

TileAxis tile_axis(std::int64_t samples, std::int64_t decoder_samples, std::int64_t scale, std::int64_t overlap) {
  if (samples < 2) throw Error("tiles: a model needs at least 2 samples per axis, got " + std::to_string(samples), ErrorKind::usage);
  if (decoder_samples < 2) throw Error("tiles: the decoder's grid needs at least 2 samples per axis", ErrorKind::usage);
  if (scale < 1) throw Error("tiles: --tile-scale must be at least 1, got " + std::to_string(scale), ErrorKind::usage);
  if (overlap < 1 || overlap >= decoder_samples - 1)  // at least one shared sample, so every position has a tile
    throw Error("tiles: --tile-overlap must be 1 to " + std::to_string(decoder_samples - 2) + " decoder samples, got " +
                    std::to_string(overlap), ErrorKind::usage);
  TileAxis a;
  a.samples = samples;
  a.footprint = (decoder_samples - 1) * scale + 1;
  a.overlap = overlap * scale;
  if (samples <= a.footprint) {
    a.footprint = samples;
    a.overlap = std::min(a.overlap, samples - 1);
    a.starts = {0};
    return a;
  }
  const std::int64_t stride = a.footprint - a.overlap;
  for (std::int64_t p = 0; p + a.footprint < samples; p += stride) a.starts.push_back(p);
  a.starts.push_back(samples - a.footprint);
  return a;
}

TileLayout make_tile_layout(std::int64_t height, std::int64_t width, std::int64_t decoder_height, std::int64_t decoder_width,
                            std::int64_t scale, std::int64_t overlap) {
  TileLayout l;
  l.decoder_height = decoder_height, l.decoder_width = decoder_width, l.scale = scale, l.overlap = overlap;
  l.z = tile_axis(height, decoder_height, scale, overlap);
  l.x = tile_axis(width, decoder_width, scale, overlap);
  return l;
}

double tile_weight(const TileAxis& a, std::int64_t start, double u) {
  const double r = u - static_cast<double>(start), o1 = static_cast<double>(a.overlap + 1);
  return std::max(0.0, std::min({1.0, (r + 1.0) / o1, (static_cast<double>(a.footprint) - r) / o1}));
}

namespace {

// Positions of an axis' T decoder samples in tile starting at p.
std::vector<double> decoder_positions(const TileAxis& a, std::int64_t p, std::int64_t t) {
  std::vector<double> u(static_cast<std::size_t>(t));
  for (std::int64_t k = 0; k < t; ++k)
    u[k] = static_cast<double>(p) + static_cast<double>(k) * static_cast<double>(a.footprint - 1) / static_cast<double>(t - 1);
  return u;
}

struct Lerp {
  std::int64_t i0;
  double t;
};
Lerp lerp_at(double u, std::int64_t n) {
  const std::int64_t i0 = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(u)), 0, n - 2);
  return {i0, std::clamp(u - static_cast<double>(i0), 0.0, 1.0)};
}

}  // namespace

void sample_tile(const float* model, std::int64_t height, std::int64_t width, const TileLayout& l, std::int64_t tile, float* out) {
  const std::int64_t ti = tile / l.columns(), tj = tile % l.columns();
  const std::vector<double> zu = decoder_positions(l.z, l.z.starts[ti], l.decoder_height),
                            xu = decoder_positions(l.x, l.x.starts[tj], l.decoder_width);
  for (std::size_t r = 0; r < zu.size(); ++r) {
    const Lerp a = lerp_at(zu[r], height);
    for (std::size_t q = 0; q < xu.size(); ++q) {
      const Lerp b = lerp_at(xu[q], width);
      const float* p = model + a.i0 * width + b.i0;
      const double v = (1 - a.t) * ((1 - b.t) * p[0] + b.t * p[1]) + a.t * ((1 - b.t) * p[width] + b.t * p[width + 1]);
      out[r * xu.size() + q] = static_cast<float>(v);
    }
  }
}

namespace {
// The positions of `s` that a tile starting at p covers ([p, p + F − 1]), as the index range
// [first, last) of `s`, their coordinates in the tile's [-1, 1] and their blend weights.
struct TileSpan {
  std::size_t first = 0, last = 0;
  std::vector<double> coord, weight;
};

TileSpan tile_span(const std::vector<double>& s, const TileAxis& a, std::int64_t p) {
  TileSpan t;
  t.first = static_cast<std::size_t>(std::lower_bound(s.begin(), s.end(), static_cast<double>(p)) - s.begin());
  t.last = static_cast<std::size_t>(std::upper_bound(s.begin(), s.end(), static_cast<double>(p + a.footprint - 1)) - s.begin());
  for (std::size_t i = t.first; i < t.last; ++i) {
    t.coord.push_back(-1.0 + 2.0 * (s[i] - static_cast<double>(p)) / static_cast<double>(a.footprint - 1));
    t.weight.push_back(tile_weight(a, p, s[i]));
  }
  return t;
}
}  // namespace

void blend_tiles(const TileLayout& l, const std::vector<double>& zs, const std::vector<double>& xs, const TileDecoder& decode, float* out) {
  const std::size_t nz = zs.size(), nx = xs.size();
  std::vector<double> acc(nz * nx, 0.0), wsum(nz * nx, 0.0);
  std::vector<float> v;
  std::vector<TileSpan> x_spans;
  for (std::int64_t px : l.x.starts) x_spans.push_back(tile_span(xs, l.x, px));
  for (std::size_t ti = 0; ti < l.z.starts.size(); ++ti) {
    const TileSpan z = tile_span(zs, l.z, l.z.starts[ti]);
    if (z.coord.empty()) continue;
    for (std::size_t tj = 0; tj < l.x.starts.size(); ++tj) {
      const TileSpan& x = x_spans[tj];
      if (x.coord.empty()) continue;
      v.resize(z.coord.size() * x.coord.size());
      decode(static_cast<std::int64_t>(ti * l.x.starts.size() + tj), z.coord, x.coord, v.data());
      for (std::size_t r = 0; r < z.coord.size(); ++r)
        for (std::size_t q = 0; q < x.coord.size(); ++q) {
          const double w = z.weight[r] * x.weight[q];
          const std::size_t o = (z.first + r) * nx + x.first + q;
          acc[o] += w * static_cast<double>(v[r * x.coord.size() + q]);
          wsum[o] += w;
        }
    }
  }
  for (std::size_t o = 0; o < nz * nx; ++o) {
    if (!(wsum[o] > 0)) throw Error("tiles: a grid point outside the model (position beyond its samples)", ErrorKind::usage);
    out[o] = static_cast<float>(acc[o] / wsum[o]);
  }
}

std::vector<double> lattice_nodes(std::int64_t n, std::int64_t s, double lo, double hi) {
  if (s < 1 || n < 2 || !(lo >= 0) || !(hi >= lo) || hi > static_cast<double>(n - 1))
    throw Error("tiles: positions " + std::to_string(lo) + ".." + std::to_string(hi) + " outside the model's " + std::to_string(n) + " samples",
                ErrorKind::usage);
  const auto last = (n - 1) / s;  // last multiple of s inside the axis: node last·s
  auto k0 = static_cast<std::int64_t>(std::floor(lo / static_cast<double>(s)));
  auto k1 = static_cast<std::int64_t>(std::ceil(hi / static_cast<double>(s)));
  std::vector<double> nodes;
  for (std::int64_t k = std::min(k0, last); k <= std::min(k1, last); ++k) nodes.push_back(static_cast<double>(k * s));
  if (last * s != n - 1 && hi > static_cast<double>(last * s)) nodes.push_back(static_cast<double>(n - 1));
  return nodes;
}

void interpolate_nodes(const std::vector<double>& zn, const std::vector<double>& xn, const float* nodes, const std::vector<double>& zs,
                       const std::vector<double>& xs, float* out) {
  auto locate = [](const std::vector<double>& s, double u) {
    if (s.size() == 1) return std::pair<std::size_t, double>(0, 0.0);
    std::size_t i = static_cast<std::size_t>(std::upper_bound(s.begin(), s.end(), u) - s.begin());
    i = std::clamp<std::size_t>(i, 1, s.size() - 1) - 1;
    return std::pair<std::size_t, double>(i, std::clamp((u - s[i]) / (s[i + 1] - s[i]), 0.0, 1.0));
  };
  const std::size_t nx = xn.size();
  std::vector<std::pair<std::size_t, double>> cx;
  for (double x : xs) cx.push_back(locate(xn, x));
  for (std::size_t r = 0; r < zs.size(); ++r) {
    const auto [i, a] = locate(zn, zs[r]);
    const std::size_t i1 = std::min(i + 1, zn.size() - 1);
    for (std::size_t q = 0; q < xs.size(); ++q) {
      const auto [j, b] = cx[q];
      const std::size_t j1 = std::min(j + 1, nx - 1);
      const double v = (1 - a) * ((1 - b) * nodes[i * nx + j] + b * nodes[i * nx + j1]) + a * ((1 - b) * nodes[i1 * nx + j] + b * nodes[i1 * nx + j1]);
      out[r * xs.size() + q] = static_cast<float>(v);
    }
  }
}

}  // namespace seisinr::codec
