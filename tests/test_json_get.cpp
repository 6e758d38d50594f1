// tests/test_json_get.cpp — range-checked JSON field reads (io/json_get.h). The first case is the
// json_config fuzzer's finding: a float too large for an integer field was cast (undefined).
#include <gtest/gtest.h>

#include "seisinr/io/json_get.h"
#include "seisinr/model/siren_options.h"
#include "seisinr/train/options.h"
#include "test_util.h"

using seisinr::io::json_as;
using seisinr::io::json_get;
using seisinr::io::json_require;
using nlohmann::json;

TEST(JsonGet, IntegersMustFitExactly) {
  EXPECT_EQ(json_as<std::int64_t>(json(42), "x"), 42);
  EXPECT_EQ(json_as<std::int64_t>(json(3.0), "x"), 3) << "a float with an integral value is an integer";
  EXPECT_ERROR_CONTAINS(json_as<std::int64_t>(json(6.66e25), "config.seed"), "config.seed: expected an integer");
  EXPECT_ERROR_CONTAINS(json_as<std::int64_t>(json(9223372036854775808.0), "x"), "expected an integer");  // 2^63
  EXPECT_ERROR_CONTAINS(json_as<std::int64_t>(json(2.5), "x"), "expected an integer");
  EXPECT_ERROR_CONTAINS(json_as<std::int64_t>(json(18446744073709551615ull), "x"), "expected an integer");
  EXPECT_ERROR_CONTAINS(json_as<std::uint64_t>(json(-1), "x"), "expected an integer");
  EXPECT_ERROR_CONTAINS(json_as<int>(json(4294967296ll), "x"), "expected an integer in [-2147483648, 2147483647]");
  EXPECT_ERROR_CONTAINS(json_as<int>(json("7"), "x"), "expected an integer");
  EXPECT_EQ(json_as<std::uint64_t>(json(18446744073709551615ull), "x"), 18446744073709551615ull);
}

TEST(JsonGet, FloatsMustBeFiniteAndInRange) {
  EXPECT_FLOAT_EQ(json_as<float>(json(1500.5), "v"), 1500.5f);
  EXPECT_ERROR_CONTAINS(json_as<float>(json(1e300), "meta.normalisation.vmin"), "meta.normalisation.vmin: expected a finite number");
  EXPECT_DOUBLE_EQ(json_as<double>(json(1e300), "v"), 1e300);
  EXPECT_ERROR_CONTAINS(json_as<double>(json(true), "v"), "expected a finite number");
}

TEST(JsonGet, OtherTypesAndMissingKeys) {
  const json j = {{"b", true}, {"s", "x"}, {"a", {"p", "q"}}, {"bad", {1, 2}}};
  EXPECT_TRUE(json_get(j, "b", false, "o"));
  EXPECT_EQ(json_get(j, "missing", 7, "o"), 7);
  EXPECT_EQ(json_get(j, "s", std::string("d"), "o"), "x");
  EXPECT_EQ((json_as<std::vector<std::string>>(j["a"], "o.a")), (std::vector<std::string>{"p", "q"}));
  EXPECT_ERROR_CONTAINS(json_as<std::vector<std::string>>(j["bad"], "o.bad"), "o.bad[]: expected a string");
  EXPECT_ERROR_CONTAINS(json_get(j, "s", 1, "o"), "o.s: expected an integer");
  EXPECT_ERROR_CONTAINS(json_require<int>(j, "epoch", "meta"), "meta.epoch is missing");
  EXPECT_ERROR_CONTAINS(json_get(json::array(), "k", 1, "config"), "config: expected a JSON object");
}

TEST(JsonGet, OptionsNameTheBadField) {
  EXPECT_ERROR_CONTAINS(json::parse(R"({"seed": 66666666666666666666666666})").get<seisinr::train::TrainOptions>(),
                        "config.seed: expected an integer");
  EXPECT_ERROR_CONTAINS(json::parse(R"({"model": {"hidden": "wide"}})").get<seisinr::train::TrainOptions>(),
                        "model.hidden: expected an integer");
  EXPECT_ERROR_CONTAINS(json::parse(R"({"omega0": true})").get<seisinr::model::SirenOptions>(), "model.omega0: expected a finite number");
}
