// tests/test_sinr_format.cpp — the .sinr container: round trips of every dtype, and rejection of
// truncated, bit-flipped, future-version and lying files.
#include <sys/resource.h>
#include <xxhash.h>

#include <cstring>
#include <fstream>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/io/atomic_file.h"
#include "test_util.h"

namespace seisinr::codec {
namespace {

SinrFile sample() {
  SinrFile f;
  f.meta = {{"architecture", {{"hidden", 512}, {"layers", 4}}}, {"families", {"FlatVel", "Style"}}};
  std::vector<float> w(3 * 5);
  for (std::size_t k = 0; k < w.size(); ++k) w[k] = 0.1f * static_cast<float>(k) - 0.7f;
  f.sections.push_back(make_float_section("decoder.w", {3, 5}, w.data()));
  f.sections.push_back(make_float_section("latents.f16", {5, 3}, w.data(), DType::float16));
  f.sections.push_back(make_float_section("latents.bf16", {15}, w.data(), DType::bfloat16, Compression::zstd));
  std::vector<std::int8_t> i8 = {-128, -1, 0, 1, 127};
  f.sections.push_back(make_raw_section("codes.i8", DType::int8, {5}, i8.data()));
  std::vector<std::uint8_t> u8(4096, 7);  // compressible
  f.sections.push_back(make_raw_section("codes.u8", DType::uint8, {64, 64}, u8.data(), Compression::zstd));
  std::vector<std::int32_t> i32 = {-2147483647 - 1, 2147483647, 42};
  f.sections.push_back(make_raw_section("index", DType::int32, {3}, i32.data()));
  f.sections.push_back(make_raw_section("empty", DType::float32, {0, 4}, nullptr));
  float scalar = 4500.0f;
  f.sections.push_back(make_raw_section("scalar", DType::float32, {}, &scalar));
  return f;
}

TEST(SinrFormat, RoundTripsEveryDtypeAndShape) {
  test::TempDir dir;
  const SinrFile f = sample();
  write_sinr(dir.file("m.sinr"), f);
  const SinrFile g = read_sinr(dir.file("m.sinr"));
  EXPECT_EQ(g.meta, f.meta);
  EXPECT_EQ(g.format_version, kSinrFormatVersion);
  EXPECT_NE(g.producer.find("seisinr"), std::string::npos);
  ASSERT_EQ(g.sections.size(), f.sections.size());
  for (std::size_t i = 0; i < f.sections.size(); ++i) {
    EXPECT_EQ(g.sections[i].name, f.sections[i].name);
    EXPECT_EQ(g.sections[i].dtype, f.sections[i].dtype);
    EXPECT_EQ(g.sections[i].shape, f.sections[i].shape);
    EXPECT_EQ(g.sections[i].bytes, f.sections[i].bytes) << f.sections[i].name;
  }
  EXPECT_EQ(g.find("codes.u8")->compression, Compression::zstd);
  EXPECT_LT(g.find("codes.u8")->stored_bytes, 4096u);
  EXPECT_EQ(g.find("codes.i8")->compression, Compression::none);
  // Half-precision sections convert back within their precision.
  auto w = g.find("decoder.w")->to_floats(), h = g.find("latents.f16")->to_floats(), b = g.find("latents.bf16")->to_floats();
  for (std::size_t k = 0; k < w.size(); ++k) {
    EXPECT_NEAR(h[k], w[k], 1e-3);
    EXPECT_NEAR(b[k], w[k], 1e-2);
  }
  EXPECT_THROW(g.find("codes.i8")->to_floats(), Error);
}

TEST(SinrFormat, SectionsAreAligned) {
  const auto bytes = serialize_sinr(sample());
  const SinrFile g = parse_sinr(bytes.data(), bytes.size(), "mem");
  // Offsets are in the header; check through a re-parse of the JSON.
  std::uint64_t hl;
  std::memcpy(&hl, bytes.data() + 16, 8);
  auto h = nlohmann::json::parse(bytes.begin() + 32, bytes.begin() + 32 + static_cast<long>(hl));
  for (const auto& s : h["sections"]) EXPECT_EQ(s["offset"].get<std::uint64_t>() % 64, 0u) << s["name"];
}

TEST(SinrFormat, RequireChecksShape) {
  const auto bytes = serialize_sinr(sample());
  const SinrFile g = parse_sinr(bytes.data(), bytes.size(), "model.sinr");
  EXPECT_NO_THROW(g.require("decoder.w", "model.sinr", {3, 5}));
  EXPECT_ERROR_CONTAINS(g.require("decoder.w", "model.sinr", {5, 3}), "model.sinr: section 'decoder.w' has shape [3, 5]");
  EXPECT_ERROR_CONTAINS(g.require("nope", "model.sinr"), "missing section 'nope'");
}

TEST(SinrFormat, WriterRejectsInconsistentSections) {
  SinrFile f;
  Section s;
  s.name = "x";
  s.shape = {2, 2};
  s.bytes.resize(3);
  f.sections.push_back(s);
  EXPECT_ERROR_CONTAINS(serialize_sinr(f), "holds 3 bytes");
  f.sections[0].bytes.resize(16);
  f.sections.push_back(f.sections[0]);
  EXPECT_ERROR_CONTAINS(serialize_sinr(f), "duplicate section name 'x'");
}

TEST(SinrFormat, TheHeaderAloneIsReadAndChecked) {
  test::TempDir dir;
  const SinrFile f = sample();
  const auto bytes = serialize_sinr(f);
  auto save = [&](const std::string& name, const std::vector<unsigned char>& b) {
    std::ofstream(dir.file(name), std::ios::binary).write(reinterpret_cast<const char*>(b.data()), static_cast<std::streamsize>(b.size()));
    return dir.file(name);
  };
  const SinrFile g = read_sinr_header(save("m.sinr", bytes));
  EXPECT_EQ(g.meta, f.meta);
  EXPECT_TRUE(g.sections.empty());
  EXPECT_EQ(g.file_bytes, bytes.size());
  EXPECT_EQ(g.header_bytes, read_sinr(dir.file("m.sinr")).header_bytes);
  EXPECT_NE(g.producer.find("seisinr"), std::string::npos);
  // A flipped bit in the header, a header cut short, another kind of file, a missing one.
  auto flipped = bytes;
  flipped[40] ^= 1;
  EXPECT_ERROR_CONTAINS(read_sinr_header(save("flip.sinr", flipped)), "flip.sinr: header checksum mismatch");
  EXPECT_ERROR_CONTAINS(read_sinr_header(save("cut.sinr", {bytes.begin(), bytes.begin() + 60})), "cut.sinr: header length");
  EXPECT_ERROR_CONTAINS(read_sinr_header(save("x.npy", std::vector<unsigned char>(100, 'x'))), "x.npy: not a .sinr file");
  EXPECT_ERROR_CONTAINS(read_sinr_header(dir.file("absent.sinr")), "absent.sinr");
}

TEST(SinrFormat, EveryTruncationIsRejected) {
  const auto bytes = serialize_sinr(sample());
  for (std::size_t n = 0; n < bytes.size(); n += (n < 64 ? 1 : 37)) {
    EXPECT_THROW(parse_sinr(bytes.data(), n, "cut.sinr"), Error) << n;
  }
  EXPECT_ERROR_CONTAINS(parse_sinr(bytes.data(), bytes.size() - 1, "cut.sinr"), "cut.sinr: end marker missing");
}

TEST(SinrFormat, EveryBitFlipIsDetected) {
  auto bytes = serialize_sinr(sample());
  for (std::size_t pos = 0; pos < bytes.size(); pos += 13) {
    for (int bit : {0, 5}) {
      bytes[pos] ^= static_cast<unsigned char>(1 << bit);
      EXPECT_THROW(parse_sinr(bytes.data(), bytes.size(), "flip.sinr"), Error) << "byte " << pos << " bit " << bit;
      bytes[pos] ^= static_cast<unsigned char>(1 << bit);
    }
  }
  EXPECT_NO_THROW(parse_sinr(bytes.data(), bytes.size(), "ok.sinr"));
}

TEST(SinrFormat, CorruptedFileOnDiskNamesTheFile) {
  test::TempDir dir;
  auto bytes = serialize_sinr(sample());
  bytes[bytes.size() / 2] ^= 0x10;
  io::write_file_atomic(dir.file("bad.sinr"), bytes.data(), bytes.size());
  EXPECT_ERROR_CONTAINS(read_sinr(dir.file("bad.sinr")), "reading " + dir.file("bad.sinr") + ": file checksum mismatch");
}

// ---- hand-built files with valid checksums, so the checks behind the checksums are reached ---

void reseal(std::vector<unsigned char>& b) {
  const std::uint64_t body = b.size() - 16, sum = XXH3_64bits(b.data(), body);
  std::memcpy(b.data() + body, &sum, 8);
}

// Builds a file whose header is `header` (JSON text) followed by `payload` at offset `data_at`.
std::vector<unsigned char> build(const std::string& header, const std::vector<unsigned char>& payload, std::uint32_t version = 1,
                                 std::size_t data_at = 0) {
  if (data_at == 0) data_at = (32 + header.size() + 63) / 64 * 64;
  std::vector<unsigned char> b(data_at + payload.size() + 16, 0);
  std::memcpy(b.data(), "SEISINR\0", 8);
  std::memcpy(b.data() + 8, &version, 4);
  const std::uint64_t hl = header.size(), hs = XXH3_64bits(header.data(), header.size());
  std::memcpy(b.data() + 16, &hl, 8);
  std::memcpy(b.data() + 24, &hs, 8);
  std::memcpy(b.data() + 32, header.data(), header.size());
  std::memcpy(b.data() + data_at, payload.data(), payload.size());
  std::memcpy(b.data() + b.size() - 8, "SINR_END", 8);
  reseal(b);
  return b;
}

std::string header_with(const nlohmann::json& section, int version = 1) {
  nlohmann::json h = {{"format", "seisinr"}, {"format_version", version}, {"producer", "test"}, {"meta", nlohmann::json::object()},
                      {"sections", nlohmann::json::array({section})}};
  return h.dump();
}

const std::vector<unsigned char> kPayload(16, 0x3f);

nlohmann::json good_section() {
  return {{"name", "w"},          {"dtype", "float32"},        {"shape", {2, 2}},
          {"offset", 512},        {"stored_bytes", 16},        {"raw_bytes", 16},
          {"compression", "none"}, {"xxh3", xxh3_hex(kPayload.data(), 16)}};
}

void expect_bad_section(nlohmann::json section, const std::string& text) {
  const auto b = build(header_with(section), kPayload, 1, 512);
  EXPECT_ERROR_CONTAINS(parse_sinr(b.data(), b.size(), "h.sinr"), text);
}

TEST(SinrFormat, ClaimsPastTheMemoryLimitFailBeforeAllocating) {
  auto s = good_section();
  s["shape"] = {1024, 1024, 1024, 1024, 4};  // 16 TiB
  s["raw_bytes"] = 17592186044416ull;
  const auto b = build(header_with(s), kPayload, 1, 512);
  ReadLimits unlimited;
  unlimited.max_raw_bytes = UINT64_MAX;  // past the memory check, the per-section limit still holds
  EXPECT_ERROR_CONTAINS(parse_sinr(b.data(), b.size(), "h.sinr", unlimited), "exceeds the 16 GiB section limit");
  // A small file whose zstd section claims 1 GiB: refused at a 64 MiB limit, with the limit named.
  s = good_section();
  s["shape"] = {1u << 28};
  s["dtype"] = "float32";
  s["raw_bytes"] = 1ull << 30;
  s["compression"] = "zstd";
  const auto c = build(header_with(s), kPayload, 1, 512);
  ReadLimits small;
  small.max_raw_bytes = 64u << 20;
  EXPECT_ERROR_CONTAINS(parse_sinr(c.data(), c.size(), "h.sinr", small), "claim 1 GiB after decompression, more than the 0.0625 GiB");
  struct rusage usage {};
  ::getrusage(RUSAGE_SELF, &usage);
  EXPECT_LT(usage.ru_maxrss / 1024, 1024) << "nothing of the claimed size was allocated (peak RSS in MiB)";
}

TEST(SinrFormat, HandBuiltBaseCaseIsAccepted) {
  const auto b = build(header_with(good_section()), kPayload, 1, 512);
  const SinrFile f = parse_sinr(b.data(), b.size(), "h.sinr");
  EXPECT_EQ(f.find("w")->bytes, kPayload);
}

TEST(SinrFormat, FutureVersionIsRefusedClearly) {
  const auto b = build(header_with(good_section(), 2), kPayload, 2, 512);
  EXPECT_ERROR_CONTAINS(parse_sinr(b.data(), b.size(), "new.sinr"),
                        "new.sinr: format version 2 was written by a newer seisinr; this one reads up to 1");
}

TEST(SinrFormat, PrefixAndHeaderMustAgree) {
  const auto b = build(header_with(good_section(), 1), kPayload, 0, 512);
  EXPECT_ERROR_CONTAINS(parse_sinr(b.data(), b.size(), "v0.sinr"), "format version 0");
  auto c = build(header_with(good_section()), kPayload, 1, 512);
  c[12] = 1;  // unknown flag
  reseal(c);
  EXPECT_ERROR_CONTAINS(parse_sinr(c.data(), c.size(), "f.sinr"), "unknown flags");
  auto d = build("{\"format\": \"other\"}", kPayload, 1, 512);
  EXPECT_ERROR_CONTAINS(parse_sinr(d.data(), d.size(), "o.sinr"), "'format' is not \"seisinr\"");
  auto e = build("not json", kPayload, 1, 512);
  EXPECT_ERROR_CONTAINS(parse_sinr(e.data(), e.size(), "j.sinr"), "not valid JSON");
}

TEST(SinrFormat, HeaderLengthOverflowIsRefused) {
  auto b = build(header_with(good_section()), kPayload, 1, 512);
  const std::uint64_t huge = ~std::uint64_t(0) - 8;
  std::memcpy(b.data() + 16, &huge, 8);
  reseal(b);
  EXPECT_ERROR_CONTAINS(parse_sinr(b.data(), b.size(), "h.sinr"), "runs past the end");
}

TEST(SinrFormat, LyingSectionEntriesAreRefused) {
  auto s = good_section();
  s["offset"] = 100000;
  expect_bad_section(s, "lies outside the data area");
  s = good_section();
  s["offset"] = 0;
  expect_bad_section(s, "lies outside the data area");
  s = good_section();
  s["stored_bytes"] = ~std::uint64_t(0);
  expect_bad_section(s, "lies outside the data area");
  s = good_section();
  s["raw_bytes"] = 12;
  expect_bad_section(s, "does not match its shape and dtype");
  s = good_section();
  s["shape"] = {4294967296ull, 4294967296ull, 16};
  expect_bad_section(s, "overflow");
  s = good_section();
  s["shape"] = {1024, 1024, 1024, 1024, 4};  // 16 TiB: refused before any allocation
  s["raw_bytes"] = 17592186044416ull;
  expect_bad_section(s, "after decompression, more than the");  // the memory check comes first

  s = good_section();
  s["dtype"] = "float64";
  expect_bad_section(s, "unknown dtype 'float64'");
  s = good_section();
  s["compression"] = "lz4";
  expect_bad_section(s, "unknown compression 'lz4'");
  s = good_section();
  s["xxh3"] = "0000000000000000";
  expect_bad_section(s, "checksum mismatch");
  s = good_section();
  s["compression"] = "zstd";
  expect_bad_section(s, "zstd frame size");
  s = good_section();
  s.erase("dtype");
  expect_bad_section(s, "missing field 'dtype'");
  s = good_section();
  s["shape"] = {-2, 2};
  expect_bad_section(s, "non-negative integers");
  s = good_section();
  s["name"] = "";
  expect_bad_section(s, "empty name");
}

TEST(SinrFormat, OverlappingAndDuplicateSectionsAreRefused) {
  nlohmann::json h = {{"format", "seisinr"}, {"format_version", 1}, {"meta", nlohmann::json::object()},
                      {"sections", {good_section(), good_section()}}};
  auto b = build(h.dump(), kPayload, 1, 512);
  EXPECT_ERROR_CONTAINS(parse_sinr(b.data(), b.size(), "d.sinr"), "duplicate section name 'w'");
  auto second = good_section();
  second["name"] = "w2";
  second["offset"] = 520;
  second["stored_bytes"] = 8;
  second["raw_bytes"] = 8;
  second["shape"] = {2};
  second["xxh3"] = xxh3_hex(kPayload.data() + 8, 8);
  h["sections"] = {good_section(), second};
  b = build(h.dump(), kPayload, 1, 512);
  EXPECT_ERROR_CONTAINS(parse_sinr(b.data(), b.size(), "o.sinr"), "two sections overlap");
}

}  // namespace
}  // namespace seisinr::codec
