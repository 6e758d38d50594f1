// tests/test_crash.cpp — crash safety of `seisinr train` and `seisinr compress`: the real command
// is killed with SIGKILL at random moments and at the start of its file writes (seen through
// inotify the instant the temporary file appears, so the kill lands while the file is being
// written and fsynced), over and over. Then:
//   train:    every checkpoint left behind reads back intact, --resume always continues, and the
//             finished run equals an uninterrupted one bit for bit (loss curve and model tensors);
//   compress: the output either does not exist or is complete and decompresses within its bound.
#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>
#include <torch/types.h>

#include "seisinr/codec/sinr_format.h"
#include "seisinr/io/npy.h"
#include "seisinr/model/model_file.h"
#include "test_util.h"

namespace fs = std::filesystem;
using namespace seisinr;

namespace {

// Starts the CLI with `args` (stdout and stderr to `log`); returns its pid.
pid_t spawn_cli(const std::string& args, const std::string& log) {
  const std::string command = "exec " + std::string(SEISINR_CLI) + " " + args + " >>" + log + " 2>&1";
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Waits for the process; returns its exit code, or −signal when a signal ended it.
int reap(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

struct Kill {
  bool killed = false;     // false: the process had already finished
  bool mid_write = false;  // the kill landed while `target`'s temporary existed
};

bool exited(pid_t pid, int& code) {
  int status = 0;
  if (::waitpid(pid, &status, WNOHANG) != pid) return false;
  code = WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
  return true;
}

bool temp_exists(const std::string& dir, const std::string& target) {
  for (const auto& e : fs::directory_iterator(dir))
    if (e.path().filename().string().rfind(target + ".tmp-", 0) == 0) return true;
  return false;
}

// Waits until a temporary of `target` (TARGET.tmp-*) is created in `dir`, or `delay` seconds
// pass when `delay` > 0, whichever comes first; false when the process exited before (its exit
// code in `code`).
bool await_moment(pid_t pid, int inotify_fd, const std::string& target, double delay, int& code) {
  const auto t0 = std::chrono::steady_clock::now();
  alignas(struct inotify_event) char buf[4096];
  while (true) {
    if (exited(pid, code)) return false;
    if (inotify_fd >= 0) {
      struct pollfd p = {inotify_fd, POLLIN, 0};
      if (::poll(&p, 1, 2) > 0) {
        const ssize_t n = ::read(inotify_fd, buf, sizeof buf);
        bool hit = false;
        for (ssize_t off = 0; off < n;) {
          const auto* ev = reinterpret_cast<const struct inotify_event*>(buf + off);
          if (ev->len && std::string(ev->name).rfind(target + ".tmp-", 0) == 0) hit = true;
          off += static_cast<ssize_t>(sizeof(struct inotify_event) + ev->len);
        }
        if (hit) break;
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    if (delay > 0 && std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count() >= delay) break;
  }
  return true;
}

// SIGKILLs `pid` at the moment await_moment() waits for.
Kill kill_process(pid_t pid, int inotify_fd, const std::string& dir, const std::string& target, double delay) {
  Kill k;
  int code = 0;
  if (!await_moment(pid, inotify_fd, target, delay, code)) return k;
  ::kill(pid, SIGKILL);
  k.killed = reap(pid) == -SIGKILL;
  k.mid_write = k.killed && temp_exists(dir, target);
  return k;
}

int watch(const std::string& dir) {
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd >= 0) ::inotify_add_watch(fd, dir.c_str(), IN_CREATE);
  return fd;
}

// Run folders `a` (uninterrupted) and `b` (stopped and resumed) hold the very same run: every
// logged loss, every tensor of the model, and its PSNR estimate, bit for bit.
void expect_same_run(const std::string& a, const std::string& b, std::size_t epochs) {
  const auto la = test::log_losses(a), lb = test::log_losses(b);
  ASSERT_EQ(la.size(), epochs);
  ASSERT_EQ(lb.size(), la.size());
  for (std::size_t e = 0; e < la.size(); ++e) ASSERT_EQ(lb[e], la[e]) << "epoch " << e;
  const auto ma = model::load_model(a + "/model.sinr"), mb = model::load_model(b + "/model.sinr");
  EXPECT_TRUE(torch::equal(ma.latents, mb.latents));
  const auto pa = ma.decoder->parameters(), pb = mb.decoder->parameters();
  ASSERT_EQ(pa.size(), pb.size());
  for (std::size_t k = 0; k < pa.size(); ++k) EXPECT_TRUE(torch::equal(pa[k], pb[k])) << "decoder parameter " << k;
  EXPECT_EQ(ma.meta.at("training").at("psnr_estimate"), mb.meta.at("training").at("psnr_estimate"));
}

void make_maps(const test::TempDir& dir) {
  auto r = test::run_cli("synth --out " + dir.file("maps") + " --count 4 --size 16x16 --families FlatVel CurveFault --seed 5");
  ASSERT_EQ(r.exit_code, 0) << r.output;
}

}  // namespace

TEST(Crash, KilledTrainingResumesToTheUninterruptedResult) {
  test::TempDir dir;
  make_maps(dir);
  // A resumed run takes its settings from the checkpoint; only these may be repeated.
  const std::string common = "--data " + dir.file("maps") + " --epochs 2500 --checkpoint-every 2 --threads 1";
  const std::string fresh = common + " --preset tiny --holdout 0";
  auto a = test::run_cli("train " + fresh + " --out " + dir.file("a"));
  ASSERT_EQ(a.exit_code, 0) << a.output;

  const std::string run = dir.file("b"), log = dir.file("b.log");
  fs::create_directories(run);
  std::mt19937 rng(20261129);
  std::uniform_real_distribution<double> when(0.3, 1.2);
  int kills = 0, mid_write = 0, attempts = 0;
  while (kills < 12 && attempts++ < 40) {
    const bool resume = fs::exists(run + "/checkpoint.sinr");
    const int fd = watch(run);
    const bool at_write = attempts % 2 == 0;  // alternate: the start of a checkpoint write, a random moment
    const pid_t pid = spawn_cli("train " + (resume ? common + " --resume" : fresh + " --force") + " --out " + run, log);
    const Kill k = kill_process(pid, at_write ? fd : -1, run, "checkpoint.sinr", at_write ? 0 : when(rng));
    ::close(fd);
    if (!k.killed) break;  // finished before the kill: the loop has run long enough
    ++kills;
    mid_write += k.mid_write;
    if (fs::exists(run + "/checkpoint.sinr")) {
      EXPECT_NO_THROW(codec::read_sinr(run + "/checkpoint.sinr")) << "kill " << kills << " left a damaged checkpoint";
    }
  }
  EXPECT_GE(kills, 10);
  EXPECT_GE(mid_write, 3) << "kills that landed while a checkpoint was being written";
  // Once more at the model file's write, then to the end.
  {
    const int fd = watch(run);
    const pid_t pid = spawn_cli("train " + common + " --out " + run + " --resume", log);
    const Kill k = kill_process(pid, fd, run, "model.sinr", 0);
    ::close(fd);
    // Killed during the write: no model file. Killed just after the rename (a loaded machine
    // may deliver the signal late): a complete one.
    if (k.killed && fs::exists(run + "/model.sinr")) {
      EXPECT_NO_THROW(model::load_model(run + "/model.sinr")) << "a model file from a killed write";
    }
  }
  auto b = test::run_cli("train " + common + " --out " + run + " --resume");
  ASSERT_EQ(b.exit_code, 0) << b.output;
  EXPECT_FALSE(temp_exists(run, "checkpoint.sinr")) << "stale temporaries are removed";

  expect_same_run(dir.file("a"), run, 2500);
  std::cerr << "[ crash    ] train: " << kills << " kills, " << mid_write << " during a checkpoint write\n";
}

TEST(Crash, KilledCompressionLeavesNoPartialOutput) {
  test::TempDir dir;
  make_maps(dir);
  auto t = test::run_cli("train --data " + dir.file("maps") + " --preset tiny --epochs 30 --threads 1 --holdout 0 --out " +
                         dir.file("run"));
  ASSERT_EQ(t.exit_code, 0) << t.output;
  const std::string out_dir = dir.file("out"), out = out_dir + "/maps.sinr";
  fs::create_directories(out_dir);
  const std::string args = "compress --data " + dir.file("maps/FlatVel.npy") + " --data " + dir.file("maps/CurveFault.npy") + " --model " + dir.file("run/model.sinr") +
                           " --max-error 5 --encode-steps 300 --threads 1 --out " + out;
  auto original = io::read_velocity_npy(dir.file("maps/FlatVel.npy"));
  const auto second = io::read_velocity_npy(dir.file("maps/CurveFault.npy"));
  original.values.insert(original.values.end(), second.values.begin(), second.values.end());
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> when(0.05, 1.0);
  int kills = 0, mid_write = 0, complete = 0;
  for (int attempt = 0; attempt < 30 && kills < 12; ++attempt) {
    // Start clean: the output and the temporaries earlier kills left (OUT.tmp-XXXXXXXX).
    for (const auto& e : fs::directory_iterator(out_dir)) fs::remove(e.path());
    const int fd = watch(out_dir);
    const bool at_write = attempt % 2 == 0;
    const pid_t pid = spawn_cli(args, dir.file("c.log"));
    const Kill k = kill_process(pid, at_write ? fd : -1, out_dir, "maps.sinr", at_write ? 0 : when(rng));
    ::close(fd);
    if (!k.killed) continue;
    ++kills;
    mid_write += k.mid_write;
    if (!fs::exists(out)) continue;  // absent: fine
    ++complete;                      // present: must be whole and valid
    auto d = test::run_cli("decompress " + out + " --model " + dir.file("run/model.sinr") + " --out " + dir.file("back.npy") + " --threads 1");
    EXPECT_EQ(d.exit_code, 0) << "kill " << kills << " left an output that does not decompress: " << d.output;
  }
  EXPECT_GE(kills, 10);
  EXPECT_GE(mid_write, 3) << "kills that landed while the output was being written";
  auto c = test::run_cli(args);
  ASSERT_EQ(c.exit_code, 0) << c.output;
  auto d = test::run_cli("decompress " + out + " --model " + dir.file("run/model.sinr") + " --out " + dir.file("back.npy") + " --threads 1");
  ASSERT_EQ(d.exit_code, 0) << d.output;
  const auto back = io::read_velocity_npy(dir.file("back.npy"));
  ASSERT_EQ(back.n, 8);
  ASSERT_EQ(back.values.size(), original.values.size());
  for (std::size_t k = 0; k < original.values.size(); ++k) ASSERT_LE(std::fabs(back.values[k] - original.values[k]), 5.0f);
  std::cerr << "[ crash    ] compress: " << kills << " kills, " << mid_write << " during the write, " << complete
            << " left a complete output\n";
}

// SIGTERM and SIGINT (issue 15): at random moments and at the start of checkpoint writes, a
// training run finishes its step, writes a checkpoint at the step it reached, says so and exits
// 143 / 130; resumed each time, the run ends bit-identical to an uninterrupted one. Batches of 2
// of the 8 maps, so most signals land mid-epoch (4 steps per epoch).
TEST(Crash, SignalledTrainingCheckpointsAndResumesToTheUninterruptedResult) {
  test::TempDir dir;
  make_maps(dir);
  // Long enough that 20 stops land before the end even on a fast machine (each stop lets the
  // run advance by its start-up plus at most 0.35 s).
  const std::string common = "--data " + dir.file("maps") + " --epochs 3000 --checkpoint-every 40 --threads 1";
  const std::string fresh = common + " --preset tiny --batch 2 --holdout 0";
  auto a = test::run_cli("train " + fresh + " --out " + dir.file("a"));
  ASSERT_EQ(a.exit_code, 0) << a.output;

  const std::string run = dir.file("b");
  fs::create_directories(run);
  std::mt19937 rng(20261202);
  std::uniform_real_distribution<double> when(0.02, 0.35);
  int sent[2] = {0, 0}, mid_write = 0, mid_epoch = 0, attempts = 0;
  std::int64_t last_position = -1;  // epoch * 4 + step of the previous stop
  while ((sent[0] < 10 || sent[1] < 10) && attempts++ < 60) {
    const bool resume = fs::exists(run + "/checkpoint.sinr");
    const int sig = sent[0] <= sent[1] ? SIGTERM : SIGINT;
    const bool at_write = attempts % 3 == 0;  // every third: as a checkpoint write starts
    const std::string log = dir.file("b" + std::to_string(attempts) + ".log");
    // The handlers are installed before training starts: wait for its first line ("seisinr train: ...").
    const int fd = watch(run);
    const pid_t pid = spawn_cli("train " + (resume ? common + " --resume" : fresh + " --force") + " --out " + run, log);
    int code = 0;
    bool started = false;
    for (int k = 0; k < 5000 && !exited(pid, code); ++k) {
      std::ifstream f(log);
      const std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
      if ((started = text.find("seisinr train:") != std::string::npos)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_TRUE(started) << "the run did not start";
    if (!await_moment(pid, at_write ? fd : -1, "checkpoint.sinr", at_write ? 0 : when(rng), code)) {
      ::close(fd);
      ASSERT_EQ(code, 0) << "the run failed";
      break;  // it finished first: enough signals have landed
    }
    const bool writing = temp_exists(run, "checkpoint.sinr");
    ::kill(pid, sig);
    code = reap(pid);
    ::close(fd);
    std::ifstream lf(log);
    const std::string said((std::istreambuf_iterator<char>(lf)), std::istreambuf_iterator<char>());
    if (code == 0) break;  // the signal landed as the run completed its last epoch
    ASSERT_EQ(code, 128 + sig) << said;
    ++sent[sig == SIGTERM ? 0 : 1];
    mid_write += writing;
    EXPECT_NE(said.find("(checkpoint written); continue with --resume"), std::string::npos) << said;
    // The checkpoint is the one written at the stop: the position the message names, and the log
    // holds exactly its completed epochs.
    const auto meta = codec::read_sinr(run + "/checkpoint.sinr").meta;
    const std::int64_t epoch = meta.at("epoch").get<std::int64_t>(), step = meta.value("step", std::int64_t{0});
    mid_epoch += step > 0;
    EXPECT_NE(said.find("interrupted at epoch " + std::to_string(epoch + 1) + " "), std::string::npos) << said;
    EXPECT_EQ(static_cast<std::int64_t>(test::log_losses(run).size()), epoch);
    EXPECT_GT(epoch * 4 + step, last_position) << "every stop made progress";
    last_position = epoch * 4 + step;
  }
  EXPECT_GE(sent[0], 10) << "SIGTERMs that stopped the run";
  EXPECT_GE(sent[1], 10) << "SIGINTs that stopped the run";
  EXPECT_GE(mid_write, 2) << "signals sent while a checkpoint was being written";
  EXPECT_GE(mid_epoch, 5) << "stops in the middle of an epoch";
  auto b = test::run_cli("train " + common + " --out " + run + " --resume");
  ASSERT_EQ(b.exit_code, 0) << b.output;

  expect_same_run(dir.file("a"), run, 3000);
  std::cerr << "[ crash    ] train: " << sent[0] << " SIGTERM, " << sent[1] << " SIGINT, " << mid_write
            << " during a checkpoint write, " << mid_epoch << " mid-epoch\n";
}


// forward stops within a time step of a SIGTERM (it once finished the map first: ~30 s), exit 143,
// nothing written; and a second signal right after the first leaves no temporary either (issue 27).
TEST(Crash, ForwardStopsWithinAStepAndLeavesNothing) {
  test::TempDir dir;
  ASSERT_EQ(test::run_cli("synth --out " + dir.file("d") + " --count 3 --size 300x300 --families FlatVel").exit_code, 0);
  const std::string out = dir.file("o.npy");
  for (const bool twice : {false, true}) {
    SCOPED_TRACE(twice ? "two signals" : "one signal");
    const pid_t pid = spawn_cli("forward --velocity " + dir.file("d/FlatVel.npy") + " --acquisition openfwi --threads 1 --out " + out,
                                dir.file("f.log"));
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // inside the first map's time loop
    ::kill(pid, SIGTERM);
    if (twice) ::kill(pid, SIGTERM);
    const auto t0 = std::chrono::steady_clock::now();
    const int code = reap(pid);
    EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 1.0);
    EXPECT_EQ(code, 143);
    for (const auto& e : fs::directory_iterator(dir.path()))
      EXPECT_EQ(e.path().filename().string().rfind("o.npy", 0), std::string::npos) << "left behind: " << e.path();
  }
}
