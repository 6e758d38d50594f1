// Tiles of a large model (codec/tiles.h) and the tiled file (codec/tiled_file.h): coverage of
// odd sizes, positions, the blend's partition of unity, and a hostile header.
#include <gtest/gtest.h>

#include <cmath>

#include "seisinr/codec/tiled_file.h"
#include "seisinr/codec/tiles.h"
#include "seisinr/error.h"

using namespace seisinr;
using namespace seisinr::codec;

TEST(Tiles, EverySampleOfAnOddSizedAxisIsCoveredAndNeighboursOverlap) {
  for (std::int64_t n : {2801, 13601, 301, 457, 70, 69, 71, 139, 140}) {
    for (std::int64_t scale : {1, 2, 8}) {
      const TileAxis a = tile_axis(n, 70, scale, 6);
      ASSERT_FALSE(a.starts.empty());
      EXPECT_EQ(a.starts.front(), 0) << n;
      EXPECT_EQ(a.starts.back() + a.footprint, n) << n << " scale " << scale;  // flush with the end
      if (n > 69 * scale + 1) {
        EXPECT_EQ(a.footprint, 69 * scale + 1);
      }
      for (std::size_t i = 1; i < a.starts.size(); ++i) {
        EXPECT_GT(a.starts[i], a.starts[i - 1]);
        EXPECT_GE(a.starts[i - 1] + a.footprint - a.starts[i], a.overlap) << "tiles " << i - 1 << ", " << i << " of " << n;
      }
    }
  }
}

TEST(Tiles, RefusesLayoutsWithoutStride) {
  EXPECT_THROW(tile_axis(1000, 70, 1, 69), Error);
  EXPECT_THROW(tile_axis(1000, 70, 1, 0), Error);
  EXPECT_THROW(tile_axis(1000, 70, 0, 6), Error);
  EXPECT_THROW(tile_axis(1, 70, 1, 6), Error);
}

TEST(Tiles, WeightsOfAnExactOverlapSumToOne) {
  const TileAxis a = tile_axis(1000, 70, 1, 6);  // footprint 70, stride 64: tiles overlap by 6
  ASSERT_EQ(a.starts[1] - a.starts[0], 64);
  for (int j = 0; j < 6; ++j) {
    const double u = 64.0 + j;
    EXPECT_DOUBLE_EQ(tile_weight(a, a.starts[0], u) + tile_weight(a, a.starts[1], u), 1.0) << j;
    EXPECT_DOUBLE_EQ(tile_weight(a, a.starts[1], u), (j + 1) / 7.0);
  }
  EXPECT_DOUBLE_EQ(tile_weight(a, a.starts[0], 30.0), 1.0);
  EXPECT_EQ(tile_weight(a, a.starts[1], 63.0), 0.0);  // before the tile: no weight
}

// A decoder that knows the true field f(z, x) = 3z + 0.01 x² − 2zx/1000: each tile maps its
// normalised coordinates back to model positions. Blending such tiles must give f at every
// sample, whatever the size (nothing missing, nothing shifted), and between samples too.
TEST(Tiles, BlendPutsEveryValueInPlaceOnOddSizes) {
  auto f = [](double z, double x) { return 3 * z + 0.01 * x * x - 2 * z * x / 1000; };
  for (auto [h, w, scale] : {std::tuple<int, int, int>{301, 457, 1}, {2801 / 10, 13601 / 10, 2}, {37, 53, 1}, {150, 700, 3}}) {
    const TileLayout l = make_tile_layout(h, w, 70, 70, scale, 6);
    const TileDecoder dec = [&](std::int64_t tile, const std::vector<double>& zn, const std::vector<double>& xn, float* out) {
      const std::int64_t pz = l.z.starts[tile / l.columns()], px = l.x.starts[tile % l.columns()];
      for (std::size_t r = 0; r < zn.size(); ++r)
        for (std::size_t q = 0; q < xn.size(); ++q)
          out[r * xn.size() + q] = static_cast<float>(f(pz + (zn[r] + 1) / 2 * (l.z.footprint - 1), px + (xn[q] + 1) / 2 * (l.x.footprint - 1)));
    };
    std::vector<double> zs, xs;
    for (int i = 0; i < h; ++i) zs.push_back(i);
    for (int j = 0; j < w; ++j) xs.push_back(j);
    std::vector<float> out(zs.size() * xs.size());
    blend_tiles(l, zs, xs, dec, out.data());
    double worst = 0;
    for (int i = 0; i < h; ++i)
      for (int j = 0; j < w; ++j) worst = std::max(worst, std::fabs(out[i * w + j] - f(i, j)) / (1 + std::fabs(f(i, j))));
    EXPECT_LT(worst, 1e-6) << h << "x" << w;
    // Half-sample positions, across every tile border.
    std::vector<double> zh = {0.5, h / 2.0 + 0.25, h - 1.5}, xh;
    for (double x = 0.5; x < w - 1; x += 7.25) xh.push_back(x);
    std::vector<float> o2(zh.size() * xh.size());
    blend_tiles(l, zh, xh, dec, o2.data());
    for (std::size_t r = 0; r < zh.size(); ++r)
      for (std::size_t q = 0; q < xh.size(); ++q) EXPECT_NEAR(o2[r * xh.size() + q], f(zh[r], xh[q]), 1e-6 * (1 + std::fabs(f(zh[r], xh[q]))));
  }
}

TEST(Tiles, SampleTileReadsTheTilesDecoderSamples) {
  const std::int64_t h = 200, w = 333;
  std::vector<float> v(h * w);
  for (std::int64_t i = 0; i < h; ++i)
    for (std::int64_t j = 0; j < w; ++j) v[i * w + j] = static_cast<float>(1000 * i + j);
  const TileLayout l = make_tile_layout(h, w, 10, 12, 3, 2);  // footprints 28 and 34
  ASSERT_GT(l.count(), 4);
  std::vector<float> t(10 * 12);
  for (std::int64_t tile : {std::int64_t{0}, l.count() - 1, l.columns() + 1}) {
    sample_tile(v.data(), h, w, l, tile, t.data());
    const std::int64_t pz = l.z.starts[tile / l.columns()], px = l.x.starts[tile % l.columns()];
    for (int r = 0; r < 10; ++r)
      for (int q = 0; q < 12; ++q) EXPECT_EQ(t[r * 12 + q], 1000 * (pz + 3 * r) + (px + 3 * q)) << tile;
  }
}

TEST(Tiles, LatticeNodesCoverAnyRangeAndEndOnTheLastSample) {
  EXPECT_EQ(lattice_nodes(27, 4, 0, 26), (std::vector<double>{0, 4, 8, 12, 16, 20, 24, 26}));
  EXPECT_EQ(lattice_nodes(27, 4, 9, 13), (std::vector<double>{8, 12, 16}));
  EXPECT_EQ(lattice_nodes(27, 4, 12, 12), (std::vector<double>{12}));
  EXPECT_EQ(lattice_nodes(27, 4, 25, 25.5), (std::vector<double>{24, 26}));
  EXPECT_EQ(lattice_nodes(25, 4, 23, 24), (std::vector<double>{20, 24}));  // 24 = n − 1 is a multiple: no extra node
  EXPECT_EQ(lattice_nodes(5, 1, 0, 4), (std::vector<double>{0, 1, 2, 3, 4}));
  EXPECT_THROW(lattice_nodes(27, 4, 0, 26.5), Error);
}

TEST(Tiles, InterpolationIsExactOnNodesAndLinearBetween) {
  const auto zn = lattice_nodes(27, 4, 10, 26), xn = lattice_nodes(19, 4, 5, 18);
  std::vector<float> nodes;
  for (double z : zn)
    for (double x : xn) nodes.push_back(static_cast<float>(2 * z - x));
  std::vector<double> zs, xs;
  for (double z = 10; z <= 26; z += 0.5) zs.push_back(z);
  for (double x = 5; x <= 18; x += 1) xs.push_back(x);
  std::vector<float> out(zs.size() * xs.size());
  interpolate_nodes(zn, xn, nodes.data(), zs, xs, out.data());
  for (std::size_t r = 0; r < zs.size(); ++r)
    for (std::size_t q = 0; q < xs.size(); ++q) EXPECT_FLOAT_EQ(out[r * xs.size() + q], 2 * zs[r] - xs[q]);
}

namespace {
TiledModel small_tiled() {
  TiledModel t;
  t.height = 150, t.width = 301;
  t.decoder.model = {{"latent_dim", 4}};
  t.decoder.hash = "0123456789abcdef";
  t.layout = make_tile_layout(t.height, t.width, 70, 70, 1, 6);
  t.latents.quant = LatentQuantizer::fit(std::vector<float>(t.layout.count() * 4, 0.5f).data(), t.layout.count(), 4, 8);
  t.latents.count = t.layout.count();
  t.latents.codes.assign(t.layout.count() * 4, 3);
  t.max_error = 2;
  t.block = 128;
  for (std::int64_t b = 0; b < t.block_count(); ++b) {
    t.path.push_back(MapPath::plain);
    t.integer.push_back(0);
    t.check.push_back(0);
    t.residual.push_back({1, 2, static_cast<unsigned char>(b)});
  }
  return t;
}
}  // namespace

TEST(TiledFile, RoundTripsAndRefusesAHeaderThatDoesNotAddUp) {
  const TiledModel t = small_tiled();
  const TiledModel back = tiled_from_sinr(parse_sinr(serialize_sinr(to_sinr(t)).data(), serialize_sinr(to_sinr(t)).size(), "t.sinr"), "t.sinr");
  EXPECT_EQ(back.layout.count(), t.layout.count());
  EXPECT_EQ(back.block_count(), 6);
  EXPECT_EQ(back.residual, t.residual);
  EXPECT_EQ(back.latents.codes, t.latents.codes);

  SinrFile f = to_sinr(t);
  f.meta["grid"]["width"] = 601;  // more tiles than codes
  try {
    tiled_from_sinr(f, "bad.sinr");
    FAIL() << "accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.sinr"), std::string::npos) << e.what();
  }
  f = to_sinr(t);
  f.meta["tiles"]["overlap"] = 69;
  EXPECT_THROW(tiled_from_sinr(f, "bad.sinr"), Error);
  f = to_sinr(t);
  f.meta["kind"] = "dataset";
  EXPECT_THROW(tiled_from_sinr(f, "bad.sinr"), Error);
}
