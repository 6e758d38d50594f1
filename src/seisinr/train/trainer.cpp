// seisinr/train/trainer.cpp — see trainer.h for the loss, the schedule and the run folder.
#include "seisinr/train/trainer.h"

#include <torch/types.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "seisinr/data/rng.h"
#include "seisinr/dist/comm.h"
#include "seisinr/error.h"
#include "seisinr/io/json_get.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/io/run_lock.h"
#include "seisinr/interrupt.h"
#include "seisinr/model/latent_table.h"
#include "seisinr/model/model_file.h"
#include "seisinr/optim/adam.h"
#include "seisinr/train/checkpoint.h"
#include "seisinr/encode/code_init.h"
#include "seisinr/optim/progress.h"
#include "seisinr/optim/schedule.h"
#include "seisinr/train/shards.h"
#include "seisinr/threads.h"
#include "seisinr/version.h"
#include "seisinr/data/split.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::train {
namespace fs = std::filesystem;
namespace {

const char* const kRunFiles[] = {"config.json", "log.jsonl", "checkpoint.sinr", "model.sinr"};

// Combines a stream key with a counter into a seed (SplitMix64's output function on a linear mix).
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return data::splitmix_finalize(a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull);
}

std::atomic<std::int64_t> g_host_reads{0};

// Every read of training values back to the host goes through here (host_reads() counts them):
// on a GPU each is a synchronisation, so the step makes none and an epoch one.
torch::Tensor to_host(const torch::Tensor& t) {
  ++g_host_reads;
  return t.to(torch::kCPU);
}

// Host-drawn indices onto the device without waiting for it: through pinned memory, asynchronous
// (libtorch keeps the pinned block until the copy is done). On the CPU the tensor itself.
torch::Tensor upload(const torch::Tensor& host, const torch::Device& device) {
  return device.is_cpu() ? host : host.pin_memory().to(device, /*non_blocking=*/true);
}

// A seeded permutation of 0..n-1 (Fisher–Yates on a SplitMix64 stream).
std::vector<std::int64_t> permutation(std::int64_t n, std::uint64_t seed) {
  std::vector<std::int64_t> p(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) p[static_cast<std::size_t>(i)] = i;
  std::uint64_t s = seed;
  for (std::size_t k = p.size(); k > 1; --k) {
    s = mix(s, k);
    std::swap(p[k - 1], p[s % k]);
  }
  return p;
}

// A writer killed mid-write (SIGKILL, power cut) leaves its temporary, RUN/NAME.tmp-XXXXXXXX
// (io/atomic_file.h), beside an intact previous file; the next run in the folder removes it.
void remove_stale_temporaries(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    for (const char* f : kRunFiles)
      if (name.rfind(std::string(f) + ".tmp-", 0) == 0) fs::remove(e.path(), ec);
  }
}

// Anything in the folder besides its lock (which this process holds by now).
bool holds_files(const std::string& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename() != io::kRunLockName) return true;
  return false;
}

// Called with the folder's lock held (io/run_lock.h).
void prepare_run_dir(const RunOptions& run) {
  std::error_code ec;
  if (fs::is_directory(run.dir, ec)) remove_stale_temporaries(run.dir);
  if (run.resume) {
    if (!fs::exists(fs::path(run.dir) / "checkpoint.sinr"))
      throw Error("train --resume: no checkpoint at " + (fs::path(run.dir) / "checkpoint.sinr").string());
    return;
  }
  if (fs::exists(run.dir) && holds_files(run.dir)) {
    if (!run.force)
      throw Error("train: " + run.dir + " is not empty (another run?); pass --resume to continue it or --force to start over");
    for (const char* f : kRunFiles) fs::remove(fs::path(run.dir) / f, ec);
  }
  fs::create_directories(run.dir);
}

// Keeps the log lines of epochs before `epoch` (a resumed run rewrites the rest).
void truncate_log(const std::string& path, std::int64_t epoch) {
  std::ifstream in(path);
  std::string line, kept;
  while (std::getline(in, line)) {
    try {
      if (io::json_require<std::int64_t>(nlohmann::json::parse(line), "epoch", "log line") < epoch) kept += line + "\n";
    } catch (const std::exception&) {
      break;  // a torn last line from a crash
    }
  }
  io::write_file_atomic(path, kept.data(), kept.size());
}

// ---- Phase 1: the run folder and the options this run trains with ----------------------------

struct Setup {
  TrainOptions o;                      // resolved: a resumed run's come from its checkpoint
  torch::Device device = torch::kCPU;  // o.device, checked (a GPU asked for and not there: refused before any work)
  std::optional<Checkpoint> resumed;
  std::string ckpt_path, log_path;
  io::RunLock lock;                    // rank 0: the run folder is ours until train() returns
};

Setup open_run(const data::Dataset& data, const TrainOptions& requested, const RunOptions& run, std::ostream& log) {
  requested.validate();
  if (data.size() == 0) throw Error("train: the dataset holds no maps");
  if (data.shard_count != 1 && (data.shard_count != dist::size() || data.shard_rank != dist::rank()))
    throw Error("train: the data were loaded for another rank count");
  if (run.dir.empty()) throw Error("train: no output folder (--out)");
  Setup s;
  if (dist::rank() == 0) {
    std::error_code ec;
    if (fs::exists(run.dir, ec) && !fs::is_directory(run.dir, ec)) throw Error("train: " + run.dir + " exists and is not a folder");
    s.lock = io::RunLock(run.dir, "train", &log);
    prepare_run_dir(run);
  }
  dist::barrier();
  s.ckpt_path = (fs::path(run.dir) / "checkpoint.sinr").string();
  s.log_path = (fs::path(run.dir) / "log.jsonl").string();
  s.o = requested;
  if (run.resume) {  // the checkpoint's options, with the few changes a resumed run may make
    s.resumed = read_checkpoint(s.ckpt_path);
    s.o = s.resumed->options;
  }
  if (run.epochs) s.o.epochs = *run.epochs;
  if (run.threads) s.o.threads = *run.threads;
  if (run.checkpoint_every) s.o.checkpoint_every = *run.checkpoint_every;
  if (s.o.model.linear_path && s.o.model.basis_height == 0 && s.o.model.basis_width == 0)  // the basis lives on the maps' grid
    s.o.model.basis_height = data.maps.h, s.o.model.basis_width = data.maps.w;
  s.o.validate();
  s.device = model::torch_device(s.o.device, "train");
  return s;
}

// ---- Phase 2: what the optimizer works on ------------------------------------------------------

struct State {
  torch::Device device = torch::kCPU;
  std::int64_t n = 0, h = 0, w = 0;  // trained rows (all ranks), map grid
  torch::Tensor targets;             // (local rows, h·w), normalised, on device
  torch::Tensor range;               // (local rows): each map's range, for the PSNR estimate
  torch::Tensor grid;                // (h·w, 2)
  std::unique_ptr<model::SirenDecoder> decoder;
  torch::Tensor latents;             // (local rows, d), requires grad
  torch::Tensor cross;               // (local rows, h·w): cross-fitted fields (TrainOptions::cross_folds), or undefined
  std::unique_ptr<optim::Adam> adam;        // decoder parameters, then the latents
  optim::PlateauSchedule schedule{1, 0.5, 0.0};
  std::int64_t start_epoch = 0;
  // A run interrupted mid-epoch resumes at step `start_step` of `start_epoch` with these sums.
  std::int64_t start_step = 0;
  double partial[3] = {0, 0, 0};  // loss, recon, reg
  torch::Tensor map_mse;          // (local rows) float64, the resumed epoch's so far
};

State build_state(const data::Dataset& data, Setup& setup, const ShardPlan& plan, const torch::Device device) {
  const TrainOptions& o = setup.o;
  const Shards& sh = plan.shards;
  State st;
  st.device = device;
  st.n = plan.rows(), st.h = data.maps.h, st.w = data.maps.w;
  const std::int64_t n_local = static_cast<std::int64_t>(sh.local_rows.size()), pts = st.h * st.w;
  const codec::Normalisation norm{o.vmin, o.vmax};
  torch::Tensor targets = torch::empty({n_local, pts}, torch::kFloat);
  float* t = targets.data_ptr<float>();
  for (std::int64_t r = 0; r < n_local; ++r) {
    const float* m = data.values(plan.trained[static_cast<std::size_t>(sh.local_rows[static_cast<std::size_t>(r)])]);
    for (std::int64_t k = 0; k < pts; ++k) t[r * pts + k] = norm.to_unit(m[k]);
  }
  st.range = std::get<0>(targets.max(1)) - std::get<0>(targets.min(1));  // constant maps: 0, left out
  st.targets = targets.to(device);
  st.grid = model::make_grid(st.h, st.w, device);

  st.decoder = std::make_unique<model::SirenDecoder>(o.model, o.seed, device);
  broadcast_decoder(*st.decoder);  // identical already (same seed); made certain
  const torch::Tensor local_rows = torch::tensor(sh.local_rows, torch::kLong);
  torch::Tensor latents = model::init_latents(st.n, o.model.latent_dim, o.latent_init_std, mix(o.seed, 1));
  if (!setup.resumed && o.code_init == CodeInit::linear)  // every rank fits all trained maps alike
    latents = encode::init_codes_linear(*st.decoder, gather_rows(st.targets, sh, st.n), st.h, st.w).to(torch::kCPU);
  if (sh.ranks > 1) latents = latents.index_select(0, local_rows);
  const std::int64_t folds = std::min(o.cross_folds, st.n);  // fewer maps than folds: one map a fold
  if (folds >= 2) {  // computed once from all trained maps, every rank alike; a resumed run reads them
    st.cross = setup.resumed ? torch::zeros({n_local, pts}, torch::kFloat)
                             : encode::cross_fitted_fields(gather_rows(st.targets, sh, st.n), o.model.latent_dim, folds, mix(o.seed, 5));
    if (!setup.resumed && sh.ranks > 1) st.cross = st.cross.index_select(0, local_rows.to(st.cross.device()));
    st.cross = st.cross.to(device);
  }
  st.latents = latents.to(device);
  st.latents.set_requires_grad(true);
  // Groups in parameter order (checkpoint.h): the network, the linear path (its own rate), the latents.
  std::vector<torch::Tensor> network, linear;
  for (const auto& [name, p] : st.decoder->named_parameters()) (name.rfind("linear.", 0) == 0 ? linear : network).push_back(p);
  std::vector<optim::Adam::Group> groups{{network, o.lr}};
  if (!linear.empty()) groups.push_back({linear, o.linear_lr > 0 ? o.linear_lr : o.lr});
  groups.push_back({{st.latents}, o.latent_lr});
  st.adam = std::make_unique<optim::Adam>(std::move(groups));
  st.schedule = optim::PlateauSchedule(o.plateau_patience, o.plateau_factor, o.plateau_threshold);
  if (setup.resumed) {
    restore_checkpoint(*setup.resumed, setup.ckpt_path, *st.decoder, st.latents, *st.adam, st.schedule,
                       sh.ranks > 1 ? local_rows : torch::Tensor(), st.cross.defined() ? &st.cross : nullptr);
    setup.resumed->file = {};  // the tensors are in place; free the copy
    st.start_epoch = setup.resumed->epoch;
    const Checkpoint& c = *setup.resumed;
    if (c.step > 0) {
      if (c.step >= (st.n + o.batch - 1) / o.batch || c.map_mse.size(0) != st.n)
        throw Error("checkpoint refused: reading " + setup.ckpt_path + ": meta.step or map_mse do not fit this run");
      st.start_step = c.step;
      st.partial[0] = c.partial_loss, st.partial[1] = c.partial_recon, st.partial[2] = c.partial_reg;
      st.map_mse = sh.ranks > 1 ? c.map_mse.index_select(0, local_rows) : c.map_mse;
    }
  }
  return st;
}

// The schedule's factor on every base learning rate in epoch `epoch`.
double lr_scale(const State& st, const TrainOptions& o, std::int64_t epoch) {
  return o.lr_schedule == LrSchedule::cosine ? optim::cosine_scale(epoch, o.epochs) : st.schedule.scale();
}

// ---- Phase 3: one optimizer step: forward, backward, optimizer step -----------------------------

struct StepSums {
  double loss = 0, recon = 0, reg = 0;  // sums over maps of each map's batch-mean terms
};

// The batch is rows order[b0, b0 + bn) of the global batch. This rank computes the ones it
// holds; the loss is normalised by the global batch, so summing gradients over ranks gives the
// gradient of the global batch's loss. `map_mse` (float64, on the device) receives each local
// map's mean squared error and `sums` (3 float64 on the device: loss, recon, reg) the step's
// StepSums terms: nothing is read back to the host.
void train_step(State& st, const TrainOptions& o, const Shards& sh, const std::vector<std::int64_t>& order, std::int64_t b0,
                std::int64_t epoch, std::int64_t step, torch::Tensor& map_mse, torch::Tensor& sums) {
  const std::int64_t pts = st.h * st.w, per_map = o.points > 0 ? std::min(o.points, pts) : pts;
  const std::int64_t bn = std::min(o.batch, st.n - b0);
  std::vector<std::int64_t> mine, pos;  // local rows, and their places in the batch
  for (std::int64_t j = 0; j < bn; ++j) {
    const std::int64_t l = sh.local_of[static_cast<std::size_t>(order[static_cast<std::size_t>(b0 + j)])];
    if (l >= 0) mine.push_back(l), pos.push_back(j);
  }
  const auto bl = static_cast<std::int64_t>(mine.size());
  st.adam->zero_grad();
  if (bl > 0) {
    // Forward: the batch's codes and targets, at every point or at random points per map.
    torch::Tensor idx = upload(torch::tensor(mine, torch::kLong), st.device);
    torch::Tensor z = st.latents.index_select(0, idx);
    torch::Tensor target = st.targets.index_select(0, idx);
    torch::Tensor coords = st.grid;
    if (per_map < pts) {  // the points of the whole batch are drawn on every rank; each keeps its rows'
      torch::Tensor pidx = torch::empty({bn, per_map}, torch::kLong);
      auto* p = pidx.data_ptr<std::int64_t>();
      std::uint64_t s = mix(mix(o.seed, static_cast<std::uint64_t>(epoch)), static_cast<std::uint64_t>(step) + 0x51);
      for (std::int64_t k = 0; k < bn * per_map; ++k) p[k] = static_cast<std::int64_t>((s = mix(s, 3)) % static_cast<std::uint64_t>(pts));
      if (bl < bn) pidx = pidx.index_select(0, torch::tensor(pos, torch::kLong));
      pidx = upload(pidx, st.device);
      coords = st.grid.index_select(0, pidx.reshape({-1})).reshape({bl, per_map, 2});
      target = target.gather(1, pidx);
    }
    // With flip_x each map is mirrored in x with probability ½: its target and the fields it enters
    // with (flip_x and cross-fitting need a refiner without SIREN, which decodes fields).
    torch::Tensor m3;
    if (o.flip_x) {
      torch::Tensor flip = torch::empty({bn}, torch::kBool);
      std::uint64_t s = mix(mix(o.seed, static_cast<std::uint64_t>(epoch)), static_cast<std::uint64_t>(step) + 0x71);
      for (std::int64_t j = 0; j < bn; ++j) flip[j] = ((s = mix(s, 5)) >> 63) != 0;
      if (bl < bn) flip = flip.index_select(0, torch::tensor(pos, torch::kLong));
      m3 = upload(flip, st.device).reshape({bl, 1, 1});
    }
    auto mirror = [&](const torch::Tensor& f) { return m3.defined() ? torch::where(m3, f.flip({2}), f) : f; };
    if (m3.defined()) target = mirror(target.reshape({bl, st.h, st.w})).reshape({bl, pts});
    torch::Tensor pred = m3.defined() ? st.decoder->forward_fields(coords, mirror(st.decoder->linear_fields(z)))
                                      : st.decoder->forward(coords, z, o.precision());
    torch::Tensor cross_pred;
    if (st.cross.defined())
      cross_pred = st.decoder->forward_fields(coords, mirror(st.cross.index_select(0, idx).reshape({bl, st.h, st.w})));
    torch::Tensor err = (pred - target).pow(2);
    torch::Tensor recon = err.sum() / static_cast<double>(bn * per_map);
    if (cross_pred.defined())  // the same maps as a linear code fitted without them sees them, same targets
      recon = (recon + (cross_pred - target).pow(2).sum() / static_cast<double>(bn * per_map)) * 0.5;
    torch::Tensor reg = z.pow(2).sum() * (o.lambda / static_cast<double>(bn));
    torch::Tensor loss = recon + reg;
    // Backward.
    loss.backward();
    sums += torch::stack({loss.detach(), recon.detach(), reg.detach()}).to(torch::kDouble) * static_cast<double>(bn);
    map_mse.index_copy_(0, idx, err.detach().mean(1).to(torch::kDouble));
  }
  // Optimizer step: decoder gradients summed over ranks; warm-up, then the plateau schedule.
  if (!st.latents.grad().defined()) st.latents.mutable_grad() = torch::zeros_like(st.latents);  // Adam still moves them
  allreduce_gradients(st.decoder->parameters());
  const std::int64_t global_step = epoch * ((st.n + o.batch - 1) / o.batch) + step;
  const double warm = o.warmup_steps > 0 ? std::min(1.0, static_cast<double>(global_step + 1) / static_cast<double>(o.warmup_steps)) : 1.0;
  st.adam->step(lr_scale(st, o, epoch) * warm);
}

// ---- Phase 4: an epoch ---------------------------------------------------------------------------

struct EpochResult {
  double loss = 0, recon = 0, reg = 0;  // means over the trained maps
  double psnr_estimate = 0;             // mean over non-constant maps of 10 log10(range² / mse)
  // Set when a stop was requested (interrupt.h): the epoch ended after `steps_done` steps, and
  // the running sums and map_mse are what a mid-epoch checkpoint keeps.
  bool interrupted = false;
  std::int64_t steps_done = 0;
  StepSums partial;
  torch::Tensor map_mse;
};

// Every rank stops at the same step: a stop seen by any rank stops them all.
bool stop_agreed() {
  if (dist::size() == 1) return stop_requested();
  double flag = stop_requested() ? 1.0 : 0.0;
  dist::allreduce_sum(&flag, 1);
  return flag > 0;
}

// Runs epoch `epoch` from step `first_step` (0, or where an interrupted run stopped, with the
// sums and map_mse it had then in `st`); polls for a stop request after each step.
EpochResult run_epoch(State& st, const TrainOptions& o, const Shards& sh, std::int64_t epoch, std::int64_t first_step) {
  const auto order = permutation(st.n, mix(o.seed, static_cast<std::uint64_t>(epoch) + 17));
  const auto f64 = torch::TensorOptions().dtype(torch::kDouble).device(st.device);
  torch::Tensor map_mse = first_step > 0 ? st.map_mse.to(f64).clone() : torch::zeros({st.range.size(0)}, f64);
  torch::Tensor step_sums = first_step > 0 ? torch::tensor({st.partial[0], st.partial[1], st.partial[2]}, torch::kDouble).to(st.device)
                                           : torch::zeros({3}, f64);
  // The epoch's one read: its sums and per-map errors, when it ends or is interrupted.
  auto read_back = [&](EpochResult& r) {
    const torch::Tensor s = to_host(torch::cat({step_sums, map_mse}));
    const double* p = s.data_ptr<double>();
    r.partial.loss = p[0], r.partial.recon = p[1], r.partial.reg = p[2];
    r.map_mse = s.narrow(0, 3, map_mse.size(0)).clone();
  };
  std::int64_t step = first_step;
  for (std::int64_t b0 = first_step * o.batch; b0 < st.n; b0 += o.batch, ++step) {
    train_step(st, o, sh, order, b0, epoch, step, map_mse, step_sums);
    if (b0 + o.batch < st.n && stop_agreed()) {
      EpochResult r;
      r.interrupted = true, r.steps_done = step + 1;
      read_back(r);
      return r;
    }
  }
  EpochResult total;
  read_back(total);
  auto psnr = (10.0 * torch::log10(st.range.to(torch::kDouble).pow(2) / total.map_mse.clamp_min(1e-20))).masked_select(st.range > 0);
  double sums[5] = {total.partial.loss, total.partial.recon, total.partial.reg, psnr.numel() ? psnr.sum().item<double>() : 0.0,
                    static_cast<double>(psnr.numel())};
  dist::allreduce_sum(sums, 5);
  const double n = static_cast<double>(st.n);
  EpochResult r;
  r.loss = sums[0] / n, r.recon = sums[1] / n, r.reg = sums[2] / n, r.psnr_estimate = sums[4] > 0 ? sums[3] / sums[4] : 0.0;
  return r;
}

// ---- Phase 5: the files ----------------------------------------------------------------------------

// Rank 0 writes the whole table: every rank's latents and their Adam moments.
// `mid` (interrupted runs only): the epoch's steps taken, sums and map_mse, kept so the resumed
// epoch ends as the uninterrupted one would.
void save_checkpoint(State& st, const Setup& setup, const ShardPlan& plan, std::int64_t epochs_done, const EpochResult* mid = nullptr) {
  const Shards& sh = plan.shards;
  const std::size_t lk = st.adam->exp_avg().size() - 1;  // the latents are the last parameter
  const torch::Tensor full = gather_rows(st.latents, sh, st.n), m = gather_rows(st.adam->exp_avg()[lk], sh, st.n),
                      v = gather_rows(st.adam->exp_avg_sq()[lk], sh, st.n);
  Checkpoint c;
  c.options = setup.o, c.epoch = epochs_done, c.trained_hashes = plan.trained_hashes;
  if (st.cross.defined()) c.cross_fields = gather_rows(st.cross, sh, st.n);
  if (mid) {
    double sums[3] = {mid->partial.loss, mid->partial.recon, mid->partial.reg};
    dist::allreduce_sum(sums, 3);
    c.step = mid->steps_done, c.partial_loss = sums[0], c.partial_recon = sums[1], c.partial_reg = sums[2];
    // float64 per map, gathered bit for bit as two float32 words.
    c.map_mse = gather_rows(mid->map_mse.contiguous().view(torch::kFloat).reshape({-1, 2}), sh, st.n).contiguous().view(torch::kDouble).reshape({st.n});
  }
  if (sh.rank == 0) write_checkpoint(setup.ckpt_path, c, *st.decoder, full, *st.adam, st.schedule, m, v);
  dist::barrier();  // no rank runs ahead of a checkpoint it might have to resume from
}

std::string save_model_file(const State& st, const data::Dataset& data, const ShardPlan& plan, const TrainOptions& o,
                            const nlohmann::json& config, const TrainSummary& summary, const std::string& dir) {
  nlohmann::json meta;
  meta["normalisation"] = {{"vmin", o.vmin}, {"vmax", o.vmax}};
  meta["grid"] = {{"height", st.h}, {"width", st.w}};
  meta["families"] = data.families;
  nlohmann::json maps = nlohmann::json::array();
  std::int64_t row = 0;
  for (std::int64_t i = 0; i < data.size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    maps.push_back({{"family", data.family[k]}, {"file", data.file[k]}, {"index", data.index[k]}, {"hash", plan.hashes[k]},
                    {"split", name_of(plan.held[k] ? data::Split::heldout : data::Split::trained)}, {"latent", plan.held[k] ? -1 : row++}});
  }
  meta["maps"] = std::move(maps);
  meta["config"] = config;
  meta["training"] = {{"epochs", summary.end_epoch}, {"seconds_this_run", summary.seconds}, {"final_loss", summary.final_loss},
                      {"psnr_estimate", summary.psnr_estimate}};
  const std::string path = (fs::path(dir) / "model.sinr").string();
  const torch::Tensor all_latents = gather_rows(st.latents, plan.shards, st.n);
  if (plan.shards.rank == 0) model::save_model(path, *st.decoder, all_latents, meta);
  dist::barrier();
  return path;
}

// Ends an interrupted run (its checkpoint written): the message the issue promised, and the
// exit status of the signal.
[[noreturn]] void interrupted(optim::Progress& progress, std::int64_t epoch, const std::string& where) {
  progress.finish(std::string("stopped by ") + stop_signal_name());
  throw Interrupted("train: interrupted at epoch " + std::to_string(epoch) + " (checkpoint written); continue with --resume (" +
                        stop_signal_name() + where + ")",
                    stop_exit_code());
}

// The run's log (emptied, or cut back to the checkpoint's epoch on resume) and config.json,
// written by rank 0; returns the configuration that model.sinr also stores.
nlohmann::json start_run_files(const Setup& setup, std::int64_t start_epoch, const std::string& dir, bool writer) {
  if (writer) {
    if (setup.resumed)
      truncate_log(setup.log_path, start_epoch);
    else
      io::write_file_atomic(setup.log_path, "", 0);
  }
  nlohmann::json config = setup.o;
  config["producer"] = std::string("seisinr ") + kVersion;
  const std::string config_text = config.dump(2) + "\n";
  if (writer) io::write_file_atomic((fs::path(dir) / "config.json").string(), config_text.data(), config_text.size());
  return config;
}

// The line that opens a run: data, decoder, code, device, precision, threads, epochs.
void log_banner(std::ostream& log, const State& st, const TrainOptions& o, std::int64_t heldout, int threads, int ranks) {
  log << "seisinr train: " << st.n << " maps (" << heldout << " held out), " << st.h << "x" << st.w << ", decoder "
      << (o.model.siren ? std::to_string(o.model.hidden) + "x" + std::to_string(o.model.layers) + " SIREN" : std::string("without SIREN"))
      << " (" << st.decoder->parameter_count() << " parameters), "
      << name_of(o.model.code) << " code " << o.model.latent_dim << (o.model.linear_path ? " with linear path" : "")
      << (o.model.refiner != model::RefinerKind::kNone ? std::string(" and ") + name_of(o.model.refiner) + " refiner" : "")
      << (o.cross_folds > 0 ? ", cross-fitted in " + std::to_string(o.cross_folds) + " folds" : "")
      << ", " << name_of(o.device) << " " << model::precision_name(o.precision()) << ", " << threads << " threads"
      << (ranks > 1 ? " on each of " + std::to_string(ranks) + " MPI ranks" : std::string()) << ", epochs " << st.start_epoch << ".."
      << o.epochs << "\n";
}

// One epoch's line of log.jsonl; with several ranks, the time in the gradient allreduce since
// `c0` and the bytes each rank sent into it.
nlohmann::json log_row(const EpochResult& r, const TrainOptions& o, std::int64_t epoch, double lr_now, double secs, double elapsed,
                       const dist::CommStats& c0) {
  nlohmann::json row = {{"epoch", epoch}, {"loss", r.loss}, {"recon", r.recon}, {"reg", r.reg}, {"lr", lr_now},
                        {"latent_lr", o.latent_lr * lr_now / o.lr}, {"psnr_est", r.psnr_estimate}, {"seconds", secs},
                        {"elapsed", elapsed}};
  if (dist::size() > 1) {
    const dist::CommStats& c1 = dist::stats();
    row["ranks"] = dist::size();
    row["allreduce_seconds"] = c1.allreduce_seconds - c0.allreduce_seconds;
    row["allreduce_calls"] = c1.allreduce_calls - c0.allreduce_calls;
    row["allreduce_bytes"] = c1.allreduce_bytes - c0.allreduce_bytes;
  }
  return row;
}

// A resumed run with no epoch left: its last epoch's figures, from the log.
void summary_from_log(TrainSummary& summary, const std::string& log_path, std::int64_t epochs) {
  summary.end_epoch = epochs;
  std::ifstream in(log_path);
  std::string line, last;
  while (std::getline(in, line))
    if (!line.empty()) last = line;
  if (!last.empty()) {
    const nlohmann::json j = nlohmann::json::parse(last);
    summary.final_loss = io::json_require<double>(j, "loss", "log line");
    summary.psnr_estimate = io::json_require<double>(j, "psnr_est", "log line");
  }
}

}  // namespace

std::int64_t host_reads() { return g_host_reads.load(); }

TrainSummary train(const data::Dataset& data, const TrainOptions& requested, const RunOptions& run) {
  // Rank 0 alone writes the run folder and reports; every rank computes.
  const int ranks = dist::size(), rank = dist::rank();
  std::ostringstream quiet;
  std::ostream& log = rank != 0 ? quiet : run.log ? *run.log : std::cerr;
  Setup setup = open_run(data, requested, run, log);
  const TrainOptions& o = setup.o;
  const torch::Device device = setup.device;
  const int threads = set_threads(o.threads);
  const ScopedBlasThreads blas(o.amp ? 1 : threads);  // bf16 products bypass BLAS (threads.h)
  const ShardPlan plan = plan_shards(data, o.holdout, o.seed);
  if (setup.resumed && setup.resumed->trained_hashes != plan.trained_hashes)
    throw Error("train --resume: the data differ from the checkpoint's (same files, order and --holdout needed)");
  State st = build_state(data, setup, plan, device);
  const nlohmann::json config = start_run_files(setup, st.start_epoch, run.dir, rank == 0);

  TrainSummary summary;
  summary.start_epoch = st.start_epoch;
  summary.trained_maps = st.n;
  summary.heldout_maps = data.size() - st.n;
  log_banner(log, st, o, summary.heldout_maps, threads, ranks);

  optim::Progress progress("epoch", o.epochs, log, run.progress_interval_s);
  const auto t0 = std::chrono::steady_clock::now();
  std::ofstream log_file;
  if (rank == 0) log_file.open(setup.log_path, std::ios::app);
  for (std::int64_t epoch = st.start_epoch; epoch < o.epochs; ++epoch) {
    const auto e0 = std::chrono::steady_clock::now();
    const dist::CommStats c0 = dist::stats();
    const double lr_now = o.lr * lr_scale(st, o, epoch);
    const EpochResult r = run_epoch(st, o, plan.shards, epoch, epoch == st.start_epoch ? st.start_step : 0);
    if (r.interrupted) {
      save_checkpoint(st, setup, plan, epoch, &r);
      interrupted(progress, epoch + 1, " after step " + std::to_string(r.steps_done) + " of " + std::to_string((st.n + o.batch - 1) / o.batch));
    }
    if (epoch == st.start_epoch) summary.first_loss = r.loss;
    summary.final_loss = r.loss;
    summary.psnr_estimate = r.psnr_estimate;
    st.schedule.step(r.loss);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (rank == 0) log_file << log_row(r, o, epoch, lr_now, secs, elapsed, c0).dump() << "\n" << std::flush;
    char fields[160];
    std::snprintf(fields, sizeof fields, "loss %.3e  psnr~%.2f dB  lr %.2e  %.0f maps/s", r.loss, r.psnr_estimate, lr_now,
                  static_cast<double>(st.n) / secs);
    progress.update(epoch + 1, fields);
    const bool out_of_time = run.max_seconds > 0 && elapsed >= run.max_seconds;
    const bool last = epoch + 1 == o.epochs || out_of_time;
    if (last || (epoch + 1) % o.checkpoint_every == 0) save_checkpoint(st, setup, plan, epoch + 1);
    summary.end_epoch = epoch + 1;
    summary.seconds = elapsed;
    if (run.stop_after_epoch >= 0 && epoch >= run.stop_after_epoch && !last) {
      progress.finish("stopped after epoch " + std::to_string(epoch + 1));
      return summary;
    }
    if (out_of_time) {
      log << "time limit reached after epoch " << epoch + 1 << " of " << o.epochs << "\n";
      break;
    }
    if (!last && stop_agreed()) {  // a stop during the epoch's last step or its checkpoint write
      if ((epoch + 1) % o.checkpoint_every != 0) save_checkpoint(st, setup, plan, epoch + 1);
      interrupted(progress, epoch + 2, " before its first step");
    }
  }
  if (summary.end_epoch == 0) summary_from_log(summary, setup.log_path, o.epochs);  // a resumed run with nothing left to do
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  summary.model_path = save_model_file(st, data, plan, o, config, summary, run.dir);
  char done[200];
  std::snprintf(done, sizeof done, "trained %lld epochs in %s: loss %.3e, PSNR estimate %.2f dB; model: %s",
                static_cast<long long>(summary.end_epoch - st.start_epoch), optim::format_duration(summary.seconds).c_str(), summary.final_loss,
                summary.psnr_estimate, summary.model_path.c_str());
  progress.finish(done);
  return summary;
}

}  // namespace seisinr::train
