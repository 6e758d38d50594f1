// tests/test_slips.cpp — issue 15's slips, through the real command line: an output that is an
// input (by name, symlink or hard link) or that holds another kind of file is refused before any
// work, with both paths named and the input unchanged byte for byte; two trainings in one run
// folder cannot run at once, and a lock left by a killed run does not block --resume.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <thread>

#include "seisinr/codec/sinr_format.h"
#include "test_util.h"

namespace fs = std::filesystem;

namespace seisinr {
namespace {

std::string bytes_of(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Maps, a tiny trained model and a compressed file, shared by the tests of this file.
class Slips : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir;
    auto r = test::run_cli("synth --out " + dir_->file("d") + " --count 4 --size 16x16 --families FlatVel --seed 3");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    r = test::run_cli("train --data " + maps() + " --out " + dir_->file("run") + " --preset tiny --epochs 2 --holdout 0.25 --threads 1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
    r = test::run_cli("compress --model " + model() + " --data " + maps() + " --out " + packed() + " --encode-steps 2 --threads 1");
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string maps() { return dir_->file("d/FlatVel.npy"); }
  static std::string model() { return dir_->file("run/model.sinr"); }
  static std::string packed() { return dir_->file("c.sinr"); }
  static test::TempDir* dir_;
};
test::TempDir* Slips::dir_ = nullptr;

TEST_F(Slips, OutputsOntoTheirInputsAreRefusedAndTheInputsKept) {
  const std::string m = model(), d = maps(), c = packed(), log = dir_->file("run/log.jsonl");
  const std::string soft = dir_->file("soft.npy"), hard = dir_->file("hard.sinr");
  fs::remove(soft), fs::remove(hard);
  ASSERT_EQ(::symlink(c.c_str(), soft.c_str()), 0);
  ASSERT_EQ(::link(m.c_str(), hard.c_str()), 0);
  const std::string before_m = bytes_of(m), before_d = bytes_of(d), before_c = bytes_of(c), before_log = bytes_of(log);
  struct Case {
    std::string args, out, in;
  };
  const std::vector<Case> cases = {
      {"decode --model " + m + " --all --out " + m, m, m},
      {"decompress " + c + " --out " + c, c, c},
      {"compress --data " + d + " --out " + d + " --max-error 1", d, d},  // no --model: refused before training
      {"compress --model " + m + " --data " + d + " --out " + m, m, m},
      {"encode --model " + m + " --data " + d + " --out " + d, d, d},
      {"eval --model " + m + " --data " + d + " --save " + d, d, d},
      {"eval --model " + m + " --data " + d + " --json " + m, m, m},
      {"report --model " + m + " --data " + d + " --out " + m, m, m},
      {"interp --model " + m + " --from 0 --to 1 --out " + m, m, m},
      {"interp --model " + m + " --from 0 --to 1 --out " + dir_->file("i.npy") + " --png " + m, m, m},
      {"decompress " + c + " --out " + soft, soft, c},                 // a symlink to the input
      {"decode --model " + m + " --all --out " + hard, hard, m},       // a hard link to an input
      {"compress --data " + dir_->file("d") + " --out " + d, d, d},    // an input inside a --data folder
      {"decode --model " + m + " --all --out " + m + " --force", m, m},  // --force never allows an input
  };
  for (const Case& k : cases) {
    const auto r = test::run_cli(k.args + " --threads 1");
    EXPECT_EQ(r.exit_code, 2) << k.args << " exited " << r.exit_code << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, "refusing to write " + k.out)) << k.args << "\n" << r.output;
    EXPECT_TRUE(contains(r.output, "it is the input " + k.in)) << k.args << "\n" << r.output;
  }
  EXPECT_EQ(bytes_of(m), before_m) << "the model changed";
  EXPECT_EQ(bytes_of(d), before_d) << "the maps changed";
  EXPECT_EQ(bytes_of(c), before_c) << "the compressed file changed";
  EXPECT_EQ(bytes_of(log), before_log);
  EXPECT_TRUE(fs::is_symlink(soft));
  EXPECT_FALSE(fs::exists(d + ".run")) << "compress started training before refusing";
}

TEST_F(Slips, AnotherKindOfFileIsReplacedOnlyWithForce) {
  const std::string m = model(), d = maps();
  const std::string victim = dir_->file("victim.sinr"), arrays = dir_->file("arrays.npy");
  fs::copy_file(packed(), victim, fs::copy_options::overwrite_existing);
  fs::copy_file(d, arrays, fs::copy_options::overwrite_existing);
  const std::string before = bytes_of(victim), before_arrays = bytes_of(arrays);
  auto r = test::run_cli("decompress " + packed() + " --out " + victim + " --threads 1");  // .sinr → .npy
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, victim) && contains(r.output, "holds a .sinr file") && contains(r.output, "--force")) << r.output;
  EXPECT_EQ(bytes_of(victim), before);
  r = test::run_cli("encode --model " + m + " --data " + d + " --out " + arrays + " --encode-steps 1 --threads 1");  // .npy → .sinr
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_TRUE(contains(r.output, "holds an .npy array")) << r.output;
  EXPECT_EQ(bytes_of(arrays), before_arrays);
  // Same kind: replaced, as before.
  r = test::run_cli("decode --model " + m + " --maps 0 --out " + arrays + " --threads 1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(bytes_of(arrays), before_arrays);
  // --force: the other kind is replaced.
  r = test::run_cli("decompress " + packed() + " --model " + m + " --out " + victim + " --force --threads 1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(bytes_of(victim).substr(0, 6), "\x93NUMPY");
}

// Polls until `pred` holds (true) or `seconds` pass (false).
template <typename P>
bool wait_for(P pred, double seconds) {
  const auto t0 = std::chrono::steady_clock::now();
  while (!pred()) {
    if (std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() > seconds) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

TEST_F(Slips, TwoTrainingsInOneFolderCannotRunAtOnce) {
  const std::string run = dir_->file("locked");
  const std::string args = "train --data " + maps() + " --out " + run + " --preset tiny --epochs 1000000 --checkpoint-every 1 --threads 1";
  const pid_t first = ::fork();
  if (first == 0) {
    const std::string cmd = "exec " + std::string(SEISINR_CLI) + " " + args + " >/dev/null 2>&1";
    ::execl("/bin/sh", "sh", "-c", cmd.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ASSERT_TRUE(wait_for([&] { return fs::exists(run + "/checkpoint.sinr"); }, 60)) << "the first run never wrote a checkpoint";
  // A requeued copy (--resume) and a fresh start (--force) are both refused while it runs.
  for (const std::string& second : {"train --data " + maps() + " --out " + run + " --resume --threads 1", args + " --force"}) {
    const auto r = test::run_cli(second);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_TRUE(contains(r.output, "is in use")) << r.output;
    EXPECT_TRUE(contains(r.output, "PID " + std::to_string(first))) << "the holder is named\n" << r.output;
  }
  int status = 0;
  EXPECT_EQ(::waitpid(first, &status, WNOHANG), 0) << "the first run was disturbed";
  // SIGKILL leaves the lock file behind; --resume takes it over.
  ::kill(first, SIGKILL);
  ::waitpid(first, &status, 0);
  ASSERT_TRUE(fs::exists(run + "/lock"));
  const auto epoch = codec::read_sinr(run + "/checkpoint.sinr").meta.at("epoch").get<std::int64_t>();
  const auto r = test::run_cli("train --data " + maps() + " --out " + run + " --resume --epochs " + std::to_string(epoch + 2) + " --threads 1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(contains(r.output, "took over the lock")) << r.output;
  EXPECT_TRUE(contains(r.output, "PID " + std::to_string(first))) << r.output;
  EXPECT_FALSE(fs::exists(run + "/lock")) << "a finished run releases its lock";
}

}  // namespace
}  // namespace seisinr
