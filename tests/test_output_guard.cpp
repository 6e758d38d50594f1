// tests/test_output_guard.cpp — io/output_guard.h: outputs never replace inputs.
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "seisinr/io/output_guard.h"
#include "test_util.h"

namespace seisinr {
namespace {

void put(const std::string& path, const std::string& bytes) { std::ofstream(path, std::ios::binary) << bytes; }
const std::string kNpy = std::string("\x93NUMPY\x01\x00", 8) + "v0";
const std::string kSinr = std::string("SEISINR\0", 8) + "rest";

TEST(OutputGuard, KindsComeFromTheBytesNotTheName) {
  test::TempDir t;
  put(t.file("a.sinr"), kNpy);  // an array under a .sinr name is an array
  put(t.file("b.npy"), kSinr);
  put(t.file("c.json"), "  {\"x\": 1}");
  put(t.file("d.txt"), "hello\n");
  put(t.file("e"), "");
  put(t.file("f.png"), std::string("\x89PNG\r\n\x1a\n", 8));
  put(t.file("g.bin"), std::string("\x01\x02\x03\x00", 4));
  EXPECT_EQ(io::file_kind(t.file("a.sinr")), io::FileKind::npy);
  EXPECT_EQ(io::file_kind(t.file("b.npy")), io::FileKind::sinr);
  EXPECT_EQ(io::file_kind(t.file("c.json")), io::FileKind::json);
  EXPECT_EQ(io::file_kind(t.file("d.txt")), io::FileKind::text);
  EXPECT_EQ(io::file_kind(t.file("e")), io::FileKind::missing);  // empty: nothing to lose
  EXPECT_EQ(io::file_kind(t.file("f.png")), io::FileKind::png);
  EXPECT_EQ(io::file_kind(t.file("g.bin")), io::FileKind::other);
  EXPECT_EQ(io::file_kind(t.file("absent")), io::FileKind::missing);
  EXPECT_EQ(io::file_kind(t.path().string()), io::FileKind::directory);
}

TEST(OutputGuard, RefusesTheInputUnderAnyName) {
  test::TempDir t;
  const std::string in = t.file("maps.npy");
  put(in, kNpy);
  ASSERT_EQ(::symlink(in.c_str(), t.file("soft.npy").c_str()), 0);
  ASSERT_EQ(::link(in.c_str(), t.file("hard.npy").c_str()), 0);
  for (const std::string& out : {in, t.file("soft.npy"), t.file("hard.npy"), t.path().string() + "/./sub/../maps.npy"}) {
    std::filesystem::create_directories(t.file("sub"));
    EXPECT_ERROR_CONTAINS(io::check_outputs({in}, {{out, io::FileKind::npy}}, true), "it is the input " + in);
    EXPECT_ERROR_CONTAINS(io::check_outputs({in}, {{out, io::FileKind::npy}}, true), "refusing to write " + out);
  }
  // Other paths, and options not given, pass.
  EXPECT_NO_THROW(io::check_outputs({in, ""}, {{t.file("other.npy"), io::FileKind::npy}, {"", io::FileKind::json}}, false));
}

TEST(OutputGuard, RefusesAnotherKindUnlessForced) {
  test::TempDir t;
  put(t.file("model.sinr"), kSinr);
  put(t.file("maps.npy"), kNpy);
  EXPECT_ERROR_CONTAINS(io::check_outputs({}, {{t.file("model.sinr"), io::FileKind::npy}}, false), "holds a .sinr file");
  EXPECT_ERROR_CONTAINS(io::check_outputs({}, {{t.file("maps.npy"), io::FileKind::sinr}}, false), "--force");
  EXPECT_ERROR_CONTAINS(io::check_outputs({}, {{t.path().string(), io::FileKind::npy}}, false), "holds a folder");
  EXPECT_ERROR_CONTAINS(io::check_outputs({}, {{t.file("maps.npy"), io::FileKind::directory}}, false), "holds an .npy array");
  EXPECT_NO_THROW(io::check_outputs({}, {{t.file("model.sinr"), io::FileKind::npy}}, true));
  EXPECT_NO_THROW(io::check_outputs({}, {{t.file("maps.npy"), io::FileKind::npy}}, false));  // same kind: replaced
  EXPECT_NO_THROW(io::check_outputs({}, {{t.file("new.npy"), io::FileKind::npy}}, false));
}

TEST(OutputGuard, RefusesTwoOutputsThatAreOneFile) {
  test::TempDir t;
  EXPECT_ERROR_CONTAINS(io::check_outputs({}, {{t.file("x.npy"), io::FileKind::npy}, {t.file("x.npy"), io::FileKind::json}}, true),
                        "they are the same file");
}

}  // namespace
}  // namespace seisinr
