// tests/test_cli.cpp — the command-line tool: help shows defaults, exit codes, synth and info.
#include <filesystem>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/io/npy.h"
#include "test_util.h"

namespace seisinr {
namespace {

TEST(Cli, TopLevelHelpListsCommands) {
  auto r = test::run_cli("--help");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* c : {"info", "synth", "demo"}) EXPECT_NE(r.output.find(c), std::string::npos) << c;
}

TEST(Cli, SubcommandHelpShowsDefaults) {
  auto r = test::run_cli("synth --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("--count"), std::string::npos);
  EXPECT_NE(r.output.find("=100"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("=70x70"), std::string::npos) << r.output;
  r = test::run_cli("demo --help");
  EXPECT_NE(r.output.find("=seisinr-demo"), std::string::npos) << r.output;
}

TEST(Cli, UsageErrorsExit2AndRuntimeErrorsExit1) {
  EXPECT_EQ(test::run_cli("").exit_code, 2);
  EXPECT_EQ(test::run_cli("no-such-command").exit_code, 2);
  EXPECT_EQ(test::run_cli("synth").exit_code, 2) << "--out is required";
  test::TempDir dir;
  EXPECT_EQ(test::run_cli("synth --out " + dir.file("s") + " --size 70by70").exit_code, 2);
  EXPECT_EQ(test::run_cli("synth --out " + dir.file("s") + " --families Nope").exit_code, 2);
  std::string junk = dir.file("junk.npy");
  FILE* f = std::fopen(junk.c_str(), "w");
  std::fputs("not numpy", f);
  std::fclose(f);
  auto r = test::run_cli("info " + junk);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("seisinr: reading " + junk), std::string::npos) << r.output;
}

TEST(Cli, SynthWritesFamiliesAndInfoDescribesThem) {
  test::TempDir dir;
  auto r = test::run_cli("synth --out " + dir.file("d") + " --count 4 --seed 3 --size 30x20");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* fam : {"FlatVel", "CurveVel", "FlatFault", "CurveFault", "Style"}) {
    io::MapStack m = io::read_velocity_npy(dir.file(std::string("d/") + fam + ".npy"));
    EXPECT_EQ(m.n, 4);
    EXPECT_EQ(m.h, 30);
    EXPECT_EQ(m.w, 20);
  }
  r = test::run_cli("info " + dir.file("d/FlatVel.npy"));
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("4 maps of 30x20"), std::string::npos) << r.output;
  r = test::run_cli("info --json " + dir.file("d/Style.npy"));
  EXPECT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.output);
  EXPECT_EQ(j[0]["family"], "Style");
}

TEST(Cli, InfoDescribesSinrFiles) {
  test::TempDir dir;
  codec::SinrFile f;
  f.meta = {{"kind", "test"}};
  std::vector<float> v(6, 1.0f);
  f.sections.push_back(codec::make_float_section("decoder.layer0.weight", {2, 3}, v.data()));
  codec::write_sinr(dir.file("m.sinr"), f);
  auto r = test::run_cli("info " + dir.file("m.sinr"));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("decoder.layer0.weight"), std::string::npos);
  EXPECT_NE(r.output.find("2x3"), std::string::npos);
}

}  // namespace
}  // namespace seisinr
