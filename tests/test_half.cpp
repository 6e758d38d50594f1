// tests/test_half.cpp — float16/bfloat16 conversions against IEEE 754 facts.
#include <cmath>
#include <limits>

#include "seisinr/codec/half.h"
#include "test_util.h"

namespace seisinr::codec {
namespace {

TEST(Half, KnownFloat16Encodings) {
  EXPECT_EQ(float_to_f16(1.0f), 0x3c00);
  EXPECT_EQ(float_to_f16(-2.0f), 0xc000);
  EXPECT_EQ(float_to_f16(65504.0f), 0x7bff);                       // largest finite half
  EXPECT_EQ(float_to_f16(65520.0f), 0x7c00);                       // rounds up to inf
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -24)), 0x0001);          // smallest subnormal
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -25)), 0x0000);          // tie to even: zero
  EXPECT_EQ(float_to_f16(std::ldexp(1.5f, -24)), 0x0002);          // tie to even: 2
  EXPECT_EQ(float_to_f16(std::ldexp(1.0f, -14)), 0x0400);          // smallest normal
  EXPECT_EQ(float_to_f16(2049.0f), float_to_f16(2048.0f));         // spacing 2 at 2048: tie to even
  EXPECT_EQ(f16_to_float(float_to_f16(2051.0f)), 2052.0f);         // tie to even (up)
  EXPECT_EQ(f16_to_float(float_to_f16(4500.0f)), 4500.0f);
  EXPECT_TRUE(std::isnan(f16_to_float(float_to_f16(std::numeric_limits<float>::quiet_NaN()))));
}

TEST(Half, EveryFloat16SurvivesARoundTrip) {
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float f = f16_to_float(static_cast<std::uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(float_to_f16(f), h) << std::hex << h;
  }
}

TEST(Half, Float16RoundsToNearest) {
  // For floats between two adjacent halves, the result is the nearer one.
  for (std::uint32_t h = 0x0400; h < 0x7bff; h += 97) {
    const float a = f16_to_float(static_cast<std::uint16_t>(h)), b = f16_to_float(static_cast<std::uint16_t>(h + 1));
    EXPECT_EQ(float_to_f16(a + 0.3f * (b - a)), h);
    EXPECT_EQ(float_to_f16(a + 0.7f * (b - a)), h + 1);
  }
}

TEST(Half, BFloat16) {
  EXPECT_EQ(float_to_bf16(1.0f), 0x3f80);
  EXPECT_EQ(float_to_bf16(1.0f + std::ldexp(1.0f, -8)), 0x3f80);                           // tie to even
  EXPECT_EQ(float_to_bf16(1.0f + 3 * std::ldexp(1.0f, -8)), 0x3f82);                       // tie to even (up)
  EXPECT_EQ(bf16_to_float(float_to_bf16(1.0f + std::ldexp(1.0f, -7))), 1.0f + std::ldexp(1.0f, -7));
  EXPECT_TRUE(std::isnan(bf16_to_float(float_to_bf16(std::numeric_limits<float>::quiet_NaN()))));
  EXPECT_EQ(float_to_bf16(std::numeric_limits<float>::max()), 0x7f80) << "the largest float rounds up to infinity";
  EXPECT_EQ(float_to_bf16(-std::numeric_limits<float>::infinity()), 0xff80);
  for (std::uint32_t h = 0; h < 65536; ++h) {
    const float f = bf16_to_float(static_cast<std::uint16_t>(h));
    if (std::isnan(f)) continue;
    ASSERT_EQ(float_to_bf16(f), h);
  }
}

}  // namespace
}  // namespace seisinr::codec
