// tests/test_metrics.cpp — PSNR and SSIM against scikit-image, and their edge cases.
#include <cmath>
#include <filesystem>
#include <random>

#include <nlohmann/json.hpp>

#include "seisinr/data/synth.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/io/npy.h"
#include "test_util.h"

namespace seisinr::eval {
namespace {

// [[psnr, ssim], ...] from scikit-image for the maps in two .npy files.
nlohmann::json skimage_reference(const std::string& truth, const std::string& estimate) {
  auto r = test::run_command(std::string(SEISINR_PYTHON) + " " SEISINR_SOURCE_DIR "/tests/py/skimage_metrics.py " + truth + " " + estimate);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return r.exit_code == 0 ? nlohmann::json::parse(r.output) : nlohmann::json::array();
}

TEST(Metrics, AgreeWithScikitImage) {
  test::TempDir dir;
  // Pairs: synthetic maps of every family against noisy, blurred or shifted versions, pure noise,
  // a non-square map, and real OpenFWI maps when available.
  std::mt19937 rng(5);
  std::normal_distribution<float> noise(0.0f, 1.0f);
  io::MapStack truth, est;
  truth.h = est.h = 70;
  truth.w = est.w = 70;
  for (data::Family f : data::all_families()) {
    io::MapStack s = data::synthesize(f, 4, 21);
    for (std::int64_t i = 0; i < s.n; ++i) {
      const float* m = s.map(i);
      truth.values.insert(truth.values.end(), m, m + s.map_size());
      for (std::size_t k = 0; k < s.map_size(); ++k) {
        const float sigma = 5.0f + 60.0f * static_cast<float>(i);
        est.values.push_back(i == 3 ? m[(k + 1) % s.map_size()] : m[k] + sigma * noise(rng));
      }
    }
  }
  const std::string real = std::string(SEISINR_OPENFWI_DIR) + "/FaultA_200.npy";
  if (std::filesystem::exists(real)) {
    io::MapStack r = io::read_velocity_npy(real);
    for (std::int64_t i = 0; i < 6; ++i) {
      truth.values.insert(truth.values.end(), r.map(i), r.map(i) + r.map_size());
      est.values.insert(est.values.end(), r.map(i + 6), r.map(i + 6) + r.map_size());  // another real map
    }
  }
  truth.n = est.n = static_cast<std::int64_t>(truth.values.size() / 4900);
  io::write_velocity_npy(dir.file("t.npy"), truth);
  io::write_velocity_npy(dir.file("e.npy"), est);
  auto ref = skimage_reference(dir.file("t.npy"), dir.file("e.npy"));
  ASSERT_EQ(static_cast<std::int64_t>(ref.size()), truth.n);
  for (std::int64_t i = 0; i < truth.n; ++i) {
    const double p = psnr(truth.map(i), est.map(i), 4900), s = ssim(truth.map(i), est.map(i), 70, 70);
    const double rp = ref[i][0].get<double>(), rs = ref[i][1].get<double>();
    EXPECT_NEAR(p, rp, 1e-6 * std::fabs(rp)) << "map " << i;
    EXPECT_NEAR(s, rs, 1e-4) << "map " << i;
  }
}

TEST(Metrics, NonSquareMapsAgreeWithScikitImage) {
  test::TempDir dir;
  io::MapStack t = data::synthesize(data::Family::curve_fault, 2, 3, {40, 23});
  io::MapStack e = data::synthesize(data::Family::curve_fault, 2, 4, {40, 23});
  io::write_velocity_npy(dir.file("t.npy"), t);
  io::write_velocity_npy(dir.file("e.npy"), e);
  auto ref = skimage_reference(dir.file("t.npy"), dir.file("e.npy"));
  ASSERT_EQ(ref.size(), 2u);
  for (int i = 0; i < 2; ++i) EXPECT_NEAR(ssim(t.map(i), e.map(i), 40, 23), ref[i][1].get<double>(), 1e-4);
}

TEST(Metrics, EdgeCases) {
  std::vector<float> a(121, 2000.0f), b(121, 2000.0f);
  EXPECT_TRUE(std::isnan(psnr(a.data(), b.data(), a.size()))) << "a constant map has no range";
  EXPECT_TRUE(std::isnan(ssim(a.data(), b.data(), 11, 11)));
  a[5] = 2100.0f;
  b = a;
  EXPECT_TRUE(std::isinf(psnr(a.data(), b.data(), a.size())));
  EXPECT_DOUBLE_EQ(ssim(a.data(), b.data(), 11, 11), 1.0);
  b[5] = 2000.0f;  // one error of 100 m/s over 121 pixels, range 100: MSE = 100²/121
  EXPECT_NEAR(psnr(a.data(), b.data(), a.size()), 10 * std::log10(121.0), 1e-12);
  EXPECT_NEAR(mse(a.data(), b.data(), a.size()), 10000.0 / 121.0, 1e-9);
  EXPECT_ERROR_CONTAINS(ssim(a.data(), b.data(), 10, 12), "at least 11x11");
}

}  // namespace
}  // namespace seisinr::eval

namespace seisinr::eval {
namespace {
// A posterior's 90% interval mean ± 1.645 sd: cells on its edge count as inside.
TEST(Metrics, IntervalCoverageCountsCellsInsideTheCentral90PercentInterval) {
  const float truth[] = {0.0f, 1.0f, 1.6448f, 2.0f, -3.0f, 10.0f}, mean[] = {0, 0, 0, 0, 0, 0}, sd[] = {1, 1, 1, 1, 1, 10};
  EXPECT_DOUBLE_EQ(interval_coverage(truth, mean, sd, 6), 4.0 / 6.0);
  EXPECT_DOUBLE_EQ(interval_coverage(truth, mean, sd, 0), 0.0);
}
}  // namespace
}  // namespace seisinr::eval
