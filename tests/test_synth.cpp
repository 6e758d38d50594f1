// tests/test_synth.cpp — each synthetic family's defining property, and determinism.
#include <algorithm>
#include <cmath>
#include <set>

#include "seisinr/data/synth.h"
#include "test_util.h"

namespace seisinr::data {
namespace {

constexpr std::int64_t kCount = 40;

bool rows_constant(const float* m, std::int64_t h, std::int64_t w) {
  for (std::int64_t z = 0; z < h; ++z)
    for (std::int64_t x = 1; x < w; ++x)
      if (m[z * w + x] != m[z * w]) return false;
  return true;
}

bool integer_valued(const float* m, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k)
    if (std::floor(m[k]) != m[k]) return false;
  return true;
}

bool nondecreasing_with_depth(const float* m, std::int64_t h, std::int64_t w) {
  for (std::int64_t z = 1; z < h; ++z)
    for (std::int64_t x = 0; x < w; ++x)
      if (m[z * w + x] < m[(z - 1) * w + x]) return false;
  return true;
}

float max_horizontal_jump(const float* m, std::int64_t h, std::int64_t w) {
  float j = 0;
  for (std::int64_t z = 0; z < h; ++z)
    for (std::int64_t x = 1; x < w; ++x) j = std::max(j, std::fabs(m[z * w + x] - m[z * w + x - 1]));
  return j;
}

std::size_t distinct(const float* m, std::size_t n) { return std::set<float>(m, m + n).size(); }

TEST(Synth, EveryFamilyStaysInTheVelocityRange) {
  for (Family f : all_families()) {
    io::MapStack s = synthesize(f, kCount, 7);
    auto [lo, hi] = std::minmax_element(s.values.begin(), s.values.end());
    EXPECT_GE(*lo, 1500.0f) << family_name(f);
    EXPECT_LE(*hi, 4500.0f) << family_name(f);
    EXPECT_EQ(s.n, kCount);
    EXPECT_EQ(s.h, 70);
    EXPECT_EQ(s.w, 70);
  }
}

TEST(Synth, FlatVelHasConstantRowsIncreasingWithDepth) {
  io::MapStack s = synthesize(Family::flat_vel, kCount, 1);
  for (std::int64_t i = 0; i < s.n; ++i) {
    EXPECT_TRUE(rows_constant(s.map(i), s.h, s.w)) << i;
    EXPECT_TRUE(integer_valued(s.map(i), s.map_size())) << i;
    EXPECT_TRUE(nondecreasing_with_depth(s.map(i), s.h, s.w)) << i;
    const std::size_t layers = distinct(s.map(i), s.map_size());
    EXPECT_GE(layers, 3u) << i;  // OpenFWI FlatVel-A: 3–8 layers
    EXPECT_LE(layers, 8u) << i;
  }
}

TEST(Synth, CurveVelIsBentLayersIncreasingWithDepth) {
  io::MapStack s = synthesize(Family::curve_vel, kCount, 2);
  int bent = 0;
  for (std::int64_t i = 0; i < s.n; ++i) {
    EXPECT_TRUE(integer_valued(s.map(i), s.map_size())) << i;
    EXPECT_TRUE(nondecreasing_with_depth(s.map(i), s.h, s.w)) << i;
    EXPECT_LE(distinct(s.map(i), s.map_size()), 8u) << i;
    bent += !rows_constant(s.map(i), s.h, s.w);
  }
  EXPECT_GE(bent, kCount * 9 / 10) << "nearly every CurveVel map must have bent interfaces";
}

// A fault offsets layers sideways: somewhere two horizontally adjacent pixels differ a lot,
// which never happens in a flat stack; values near the fault are smoothed (not integers).
void expect_faulted(Family f) {
  io::MapStack s = synthesize(f, kCount, 3);
  int discontinuous = 0, smoothed = 0;
  for (std::int64_t i = 0; i < s.n; ++i) {
    discontinuous += max_horizontal_jump(s.map(i), s.h, s.w) > 100.0f;
    smoothed += !integer_valued(s.map(i), s.map_size());
    EXPECT_GT(distinct(s.map(i), s.map_size()), 8u) << "smoothing near the fault adds values";
  }
  EXPECT_GE(discontinuous, kCount * 8 / 10) << family_name(f);
  EXPECT_GE(smoothed, kCount * 9 / 10) << family_name(f);
}

TEST(Synth, FlatFaultIsDiscontinuousAcrossFaults) { expect_faulted(Family::flat_fault); }
TEST(Synth, CurveFaultIsDiscontinuousAcrossFaults) { expect_faulted(Family::curve_fault); }

TEST(Synth, FlatFaultAwayFromFaultsIsFlat) {
  // In FlatFault maps, the left- and right-most columns are flat layer stacks: constant within
  // layers, increasing downward, so each edge column is non-decreasing in depth where unsmoothed.
  io::MapStack s = synthesize(Family::flat_fault, kCount, 4);
  int flat_edges = 0;
  for (std::int64_t i = 0; i < s.n; ++i) {
    bool ok = true;
    for (std::int64_t z = 1; z < s.h; ++z) ok = ok && s.map(i)[z * s.w] >= s.map(i)[(z - 1) * s.w] - 1.0f;
    flat_edges += ok;
  }
  EXPECT_GE(flat_edges, kCount / 2);
}

TEST(Synth, StyleIsSmoothAndNotPiecewiseConstant) {
  io::MapStack s = synthesize(Family::style, kCount, 5);
  for (std::int64_t i = 0; i < s.n; ++i) {
    EXPECT_GT(distinct(s.map(i), s.map_size()), s.map_size() * 9 / 10) << i;
    EXPECT_LT(max_horizontal_jump(s.map(i), s.h, s.w), 300.0f) << i << ": no sharp interfaces";
    float lo = *std::min_element(s.map(i), s.map(i) + s.map_size());
    float hi = *std::max_element(s.map(i), s.map(i) + s.map_size());
    EXPECT_GT(hi - lo, 300.0f) << i << ": a realistic spread of velocities";
  }
}

TEST(Synth, SameSeedSameBytesDifferentSeedDifferentMaps) {
  for (Family f : all_families()) {
    io::MapStack a = synthesize(f, 10, 42), b = synthesize(f, 10, 42), c = synthesize(f, 10, 43);
    EXPECT_EQ(a.values, b.values) << family_name(f);
    EXPECT_NE(a.values, c.values) << family_name(f);
  }
}

TEST(Synth, EachMapDependsOnlyOnSeedFamilyAndIndex) {
  for (Family f : all_families()) {
    io::MapStack few = synthesize(f, 3, 9), many = synthesize(f, 12, 9);
    EXPECT_TRUE(std::equal(few.values.begin(), few.values.end(), many.values.begin())) << family_name(f);
    std::vector<float> one(70 * 70);
    synthesize_map(f, 9, 7, {}, one.data());
    EXPECT_TRUE(std::equal(one.begin(), one.end(), many.map(7))) << family_name(f);
  }
}

TEST(Synth, MapsWithinAFamilyDiffer) {
  for (Family f : all_families()) {
    io::MapStack s = synthesize(f, 10, 11);
    std::set<std::vector<float>> unique;
    for (std::int64_t i = 0; i < s.n; ++i) unique.insert(std::vector<float>(s.map(i), s.map(i) + s.map_size()));
    EXPECT_EQ(unique.size(), 10u) << family_name(f);
  }
}

TEST(Synth, OtherSizes) {
  SynthOptions o;
  o.h = 140, o.w = 100;
  io::MapStack s = synthesize(Family::flat_vel, 3, 1, o);
  EXPECT_EQ(s.values.size(), 3u * 140 * 100);
  EXPECT_TRUE(rows_constant(s.map(0), 140, 100));
  o.h = 1;
  EXPECT_ERROR_CONTAINS(synthesize(Family::style, 1, 1, o), "at least 2x2");
}

TEST(Synth, DeterministicSineMatchesLibm) {
  for (double x = -200.0; x < 200.0; x += 0.0137) ASSERT_NEAR(det_sin(x), std::sin(x), 1e-9) << x;
}

TEST(Synth, FamilyNames) {
  for (Family f : all_families()) EXPECT_EQ(family_from_name(family_name(f)), f);
  EXPECT_ERROR_CONTAINS(family_from_name("Flat"), "unknown family 'Flat'");
}

}  // namespace
}  // namespace seisinr::data
