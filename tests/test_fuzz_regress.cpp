// tests/test_fuzz_regress.cpp — every seed of the fuzz corpus (fuzz/corpus/<target>/) and every
// input a fuzzer ever crashed on (tests/fuzz-crashes/<target>/) through the same targets the
// fuzzers run (fuzz/targets.h). In the sanitizer build (-DSEISINR_SANITIZE=ON) this is where an
// old crash would show up again as an ASan or UBSan report.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/io/npy.h"
#include "targets.h"

namespace fs = std::filesystem;

namespace {

using Target = int (*)(const std::uint8_t*, std::size_t);

// Runs every file under the two folders for `name`; returns how many ran.
int run_all(const std::string& name, Target target) {
  int ran = 0;
  for (const std::string& dir : {std::string(SEISINR_SOURCE_DIR "/fuzz/corpus/") + name,
                                std::string(SEISINR_SOURCE_DIR "/tests/fuzz-crashes/") + name}) {
    if (!fs::exists(dir)) continue;
    for (const auto& e : fs::directory_iterator(dir)) {
      if (!e.is_regular_file()) continue;
      std::ifstream in(e.path(), std::ios::binary);
      const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      SCOPED_TRACE(e.path().string());
      EXPECT_EQ(target(bytes.data(), bytes.size()), 0);
      ++ran;
    }
  }
  return ran;
}

}  // namespace

TEST(FuzzRegress, Npy) { EXPECT_GE(run_all("npy", seisinr::fuzz::npy), 5); }
TEST(FuzzRegress, Sinr) { EXPECT_GE(run_all("sinr", seisinr::fuzz::sinr), 6); }
TEST(FuzzRegress, JsonConfig) { EXPECT_GE(run_all("json_config", seisinr::fuzz::json_config), 3); }

// The seeds must be valid files, or every fuzzer run would start at the door: each .npy seed
// parses, and each .sinr seed parses in both its raw and its structured form.
TEST(FuzzRegress, SeedsAreValidFiles) {
  int npy = 0, sinr = 0;
  for (const auto& e : fs::directory_iterator(SEISINR_SOURCE_DIR "/fuzz/corpus/npy")) {
    EXPECT_NO_THROW(seisinr::io::read_velocity_npy(e.path().string()));
    ++npy;
  }
  for (const auto& e : fs::directory_iterator(SEISINR_SOURCE_DIR "/fuzz/corpus/sinr")) {
    if (e.path().extension() != ".raw") continue;
    std::ifstream in(e.path(), std::ios::binary);
    const std::vector<std::uint8_t> b((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(b.size(), 1u);
    ASSERT_EQ(b[0], 0) << "mode byte of a raw seed";
    const auto f = seisinr::codec::parse_sinr(b.data() + 1, b.size() - 1, e.path().string());
    const auto s = seisinr::fuzz::structured_input(f);
    EXPECT_EQ(s[0], 2);
    ++sinr;
  }
  EXPECT_GE(npy, 5);
  EXPECT_GE(sinr, 5);
}

TEST(FuzzRegress, EmptyAndOneByteInputsAreHarmless) {
  const std::uint8_t none[1] = {0};
  for (Target t : {seisinr::fuzz::npy, seisinr::fuzz::sinr, seisinr::fuzz::json_config}) {
    EXPECT_EQ(t(none, 0), 0);
    EXPECT_EQ(t(none, 1), 0);
  }
}
