// tests/test_npy.cpp — the .npy reader against files NumPy wrote, our writer read back by NumPy,
// and rejection of malformed files.
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "seisinr/io/atomic_file.h"
#include "seisinr/io/npy.h"
#include "test_util.h"

namespace seisinr::io {
namespace {

std::string fixture(const std::string& name) { return std::string(SEISINR_FIXTURE_DIR) + "/npy/" + name; }

// ---- files written by NumPy ----------------------------------------------------------------

class NumpyFixture : public ::testing::TestWithParam<std::tuple<const char*, const char*, const char*, int>> {};

TEST_P(NumpyFixture, ReadsNumPyFileExactly) {
  const auto [shape_name, dtype_name, order, version] = GetParam();
  const std::string name = std::string(shape_name) + "_" + dtype_name + "_" + order + "_v" + std::to_string(version) + ".npy";
  NpyArray a = read_npy(fixture(name));
  std::vector<std::int64_t> want_shape = std::string(shape_name) == "n1hw" ? std::vector<std::int64_t>{3, 1, 5, 4}
                                         : std::string(shape_name) == "nhw" ? std::vector<std::int64_t>{3, 5, 4}
                                                                            : std::vector<std::int64_t>{5, 4};
  ASSERT_EQ(a.shape, want_shape) << name;
  EXPECT_EQ(a.source_fortran_order, std::string(order) == "F");
  ASSERT_EQ(a.values.size(), want_shape.size() == 2 ? 20u : 60u);
  for (std::size_t k = 0; k < a.values.size(); ++k) ASSERT_EQ(a.values[k], 1500.0f + 0.25f * static_cast<float>(k)) << name << " k=" << k;

  MapStack m = read_velocity_npy(fixture(name));
  EXPECT_EQ(m.n, want_shape.size() == 2 ? 1 : 3);
  EXPECT_EQ(m.h, 5);
  EXPECT_EQ(m.w, 4);
  if (m.n > 1) {
    EXPECT_EQ(m.map(1)[0], 1500.0f + 0.25f * 20) << "second map starts after H*W values";
  }
  // Reading a subset of the maps (sharded loading) gives exactly those maps of the full read.
  std::int64_t total = 0;
  MapStack odd = read_velocity_npy_maps(fixture(name), [](std::int64_t i) { return i % 2 == 1; }, &total);
  EXPECT_EQ(total, m.n);
  ASSERT_EQ(odd.n, m.n / 2);
  for (std::int64_t i = 0; i < odd.n; ++i)
    EXPECT_TRUE(std::equal(odd.map(i), odd.map(i) + 20, m.map(2 * i + 1))) << name << " map " << 2 * i + 1;
}

INSTANTIATE_TEST_SUITE_P(AllLayouts, NumpyFixture,
                         ::testing::Combine(::testing::Values("n1hw", "nhw", "hw"),
                                            ::testing::Values("lt_f4", "gt_f4", "lt_f8", "gt_f8"),
                                            ::testing::Values("C", "F"), ::testing::Values(1, 2, 3)),
                         [](const auto& info) {
                           return std::string(std::get<0>(info.param)) + "_" + std::get<1>(info.param) + "_" +
                                  std::get<2>(info.param) + "_v" + std::to_string(std::get<3>(info.param));
                         });

// ---- our writer, read by NumPy ----------------------------------------------------------------

TEST(NpyWriter, NumPyReadsWhatWeWrite) {
  test::TempDir dir;
  for (const std::vector<std::int64_t>& shape : {std::vector<std::int64_t>{2, 1, 3, 5}, {4, 3, 2}, {7, 6}, {9}}) {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    std::vector<float> v(static_cast<std::size_t>(n));
    for (std::size_t k = 0; k < v.size(); ++k) v[k] = 1500.0f + 0.25f * static_cast<float>(k);
    const std::string path = dir.file("w.npy");
    write_npy(path, v.data(), shape);
    // Data must start on a 64-byte boundary, as NumPy writes it.
    auto bytes = read_file(path);
    const std::size_t header_len = bytes[8] | bytes[9] << 8;
    EXPECT_EQ((10 + header_len) % 64, 0u);
    std::string args;
    for (auto d : shape) args += " " + std::to_string(d);
    auto r = test::run_command(std::string(SEISINR_PYTHON) + " " SEISINR_SOURCE_DIR "/tests/py/check_npy.py " + path + args);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    // And our reader agrees.
    NpyArray back = read_npy(path);
    EXPECT_EQ(back.shape, shape);
    EXPECT_EQ(back.values, v);
  }
}

TEST(NpyWriter, VelocityMapsDefaultToOpenFWIShape) {
  test::TempDir dir;
  MapStack m;
  m.n = 2, m.h = 3, m.w = 4;
  m.values.assign(24, 2000.0f);
  write_velocity_npy(dir.file("a.npy"), m);
  EXPECT_EQ(read_npy(dir.file("a.npy")).shape, (std::vector<std::int64_t>{2, 1, 3, 4}));
  write_velocity_npy(dir.file("b.npy"), m, /*channel_axis=*/false);
  EXPECT_EQ(read_npy(dir.file("b.npy")).shape, (std::vector<std::int64_t>{2, 3, 4}));
}

// ---- malformed files ------------------------------------------------------------------------

// A v1 .npy with the given header text (padded and newline-terminated here) and data bytes.
std::vector<unsigned char> make_npy(std::string header, const std::vector<unsigned char>& data, int major = 1,
                                    bool pad = true) {
  if (pad) {
    header.append((64 - (10 + header.size() + 1) % 64) % 64, ' ');
    header += '\n';
  }
  std::vector<unsigned char> out = {0x93, 'N', 'U', 'M', 'P', 'Y', static_cast<unsigned char>(major), 0,
                                    static_cast<unsigned char>(header.size() & 0xff),
                                    static_cast<unsigned char>(header.size() >> 8)};
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

std::vector<unsigned char> floats(std::vector<float> v) {
  std::vector<unsigned char> b(v.size() * 4);
  std::memcpy(b.data(), v.data(), b.size());
  return b;
}

const std::string kGoodHeader = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }";
const std::vector<float> kGoodData = {1500, 1600, 1700, 1800};

void expect_rejected(const std::vector<unsigned char>& bytes, const std::string& text, bool as_maps = false) {
  if (as_maps) {
    EXPECT_ERROR_CONTAINS(to_map_stack(parse_npy(bytes.data(), bytes.size(), "bad.npy"), "bad.npy"), text);
  } else {
    EXPECT_ERROR_CONTAINS(parse_npy(bytes.data(), bytes.size(), "bad.npy"), text);
  }
}

TEST(NpyReader, AcceptsTheWellFormedBaseCase) {
  auto b = make_npy(kGoodHeader, floats(kGoodData));
  MapStack m = to_map_stack(parse_npy(b.data(), b.size(), "good.npy"), "good.npy");
  EXPECT_EQ(m.values, kGoodData);
}

TEST(NpyReader, RejectsBadMagic) {
  auto b = make_npy(kGoodHeader, floats(kGoodData));
  b[1] = 'X';
  expect_rejected(b, "bad magic");
}

TEST(NpyReader, RejectsTooShortFile) { expect_rejected({0x93, 'N', 'U'}, "too short"); }

TEST(NpyReader, RejectsUnknownVersion) { expect_rejected(make_npy(kGoodHeader, floats(kGoodData), 4), "version 4.0"); }

TEST(NpyReader, RejectsHeaderLengthPastEnd) {
  auto b = make_npy(kGoodHeader, floats(kGoodData));
  b[8] = 0xff, b[9] = 0xff;
  expect_rejected(b, "runs past the end");
}

TEST(NpyReader, RejectsHeaderWithoutNewline) {
  expect_rejected(make_npy(kGoodHeader, floats(kGoodData), 1, /*pad=*/false), "newline");
}

TEST(NpyReader, RejectsHeaderThatIsNotADict) {
  expect_rejected(make_npy("['descr', '<f4']", floats(kGoodData)), "expected '{'");
}

TEST(NpyReader, RejectsMissingKey) {
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, }", floats(kGoodData)), "must have the keys");
}

TEST(NpyReader, RejectsUnexpectedKey) {
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'x': 1}", floats(kGoodData)),
                  "unexpected key 'x'");
}

TEST(NpyReader, RejectsDuplicateKey) {
  expect_rejected(make_npy("{'descr': '<f4', 'descr': '<f4', 'fortran_order': False, 'shape': (2, 2)}", floats(kGoodData)),
                  "duplicate key");
}

TEST(NpyReader, RejectsIntegerDtype) {
  expect_rejected(make_npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 1), }", floats(kGoodData)),
                  "expected float32 or float64 (descr '<f4', '>f4', '<f8' or '>f8'), found '<i8'");
}

TEST(NpyReader, RejectsHalfPrecisionAndStructuredDtypes) {
  expect_rejected(make_npy("{'descr': '<f2', 'fortran_order': False, 'shape': (4,), }", floats({1, 2})), "found '<f2'");
  expect_rejected(make_npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (4,), }", floats(kGoodData)),
                  "expected a quoted string");
}

TEST(NpyReader, RejectsBadFortranOrderValue) {
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 2), }", floats(kGoodData)), "True or False");
}

TEST(NpyReader, RejectsNegativeDimension) {
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (-2, 2), }", floats(kGoodData)),
                  "non-negative integers");
}

TEST(NpyReader, RejectsShapeWhoseProductOverflows) {
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 4294967296, 16), }",
                           floats(kGoodData)),
                  "more elements than 64 bits");
  expect_rejected(make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904,), }", floats(kGoodData)),
                  "overflows the byte count");
}

TEST(NpyReader, RejectsShapeLargerThanFileWithoutAllocating) {
  // 10^12 maps of 70x70: must fail from the size check alone.
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000000, 1, 70, 70), }",
                           floats(kGoodData)),
                  "truncated");
}

TEST(NpyReader, RejectsTruncatedData) {
  auto b = make_npy(kGoodHeader, floats(kGoodData));
  b.pop_back();
  expect_rejected(b, "needs 16 bytes of data, the file has 15");
}

TEST(NpyReader, RejectsTrailingBytes) {
  auto b = make_npy(kGoodHeader, floats(kGoodData));
  b.push_back(0);
  expect_rejected(b, "1 unexpected bytes after the data");
}

TEST(NpyReader, RejectsNaNAndInfInVelocityMaps) {
  expect_rejected(make_npy(kGoodHeader, floats({1500, std::numeric_limits<float>::quiet_NaN(), 1700, 1800})),
                  "NaN in map 0 at z=0, x=1", true);
  expect_rejected(make_npy(kGoodHeader, floats({1500, 1600, 1700, std::numeric_limits<float>::infinity()})),
                  "infinite value in map 0 at z=1, x=1", true);
}

TEST(NpyReader, RejectsFloat64OutsideFloat32Range) {
  std::vector<double> d = {1500, 1e300, 1700, 1800};
  std::vector<unsigned char> b(32);
  std::memcpy(b.data(), d.data(), 32);
  expect_rejected(make_npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", b), "outside float32's range",
                  true);
}

TEST(NpyReader, RejectsShapesThatAreNotMapStacks) {
  const auto data = floats(std::vector<float>(8, 1500));
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2, 1, 2, 1), }", data),
                  "must be (N, 1, H, W), (N, H, W) or (H, W)", true);
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 2, 2), }", data),
                  "expected one channel", true);
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (8, 1, 1), }", data), "at least 2x2", true);
  expect_rejected(make_npy("{'descr': '<f4', 'fortran_order': False, 'shape': (0, 1, 70, 70), }", {}), "holds no maps",
                  true);
}

TEST(NpyReader, ErrorsNameTheFile) {
  test::TempDir dir;
  const std::string path = dir.file("FaultA_200.npy");
  auto b = make_npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", floats(kGoodData));
  write_file_atomic(path, b.data(), b.size());
  EXPECT_ERROR_CONTAINS(read_npy(path), "reading " + path + ": expected float32 or float64");
  EXPECT_ERROR_CONTAINS(read_npy(dir.file("missing.npy")), "missing.npy: No such file");
}

TEST(NpyReader, EveryTruncationOfAValidFileIsRejected) {
  auto b = make_npy(kGoodHeader, floats(kGoodData));
  for (std::size_t n = 0; n < b.size(); ++n) {
    EXPECT_THROW(parse_npy(b.data(), n, "cut.npy"), Error) << "prefix of " << n << " bytes";
  }
}

// ---- the real OpenFWI maps, when ../shared is beside the checkout ---------------------------

TEST(NpyReader, ReadsRealOpenFWIMaps) {
  const std::string path = std::string(SEISINR_OPENFWI_DIR) + "/FlatVelA_200.npy";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
  MapStack m = read_velocity_npy(path);
  EXPECT_EQ(m.n, 200);
  EXPECT_EQ(m.h, 70);
  EXPECT_EQ(m.w, 70);
  for (float v : m.values) {
    ASSERT_GE(v, 1500.0f);
    ASSERT_LE(v, 4500.0f);
  }
}

}  // namespace
}  // namespace seisinr::io
