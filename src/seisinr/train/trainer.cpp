// seisinr/train/trainer.cpp — see trainer.h for the loss, the schedule and the run folder.
#include "seisinr/train/trainer.h"

#include <torch/cuda.h>
#include <torch/types.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "seisinr/data/rng.h"
#include "seisinr/data/split.h"
#include "seisinr/dist/comm.h"
#include "seisinr/error.h"
#include "seisinr/io/json_get.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/model/latent_table.h"
#include "seisinr/model/model_file.h"
#include "seisinr/train/adam.h"
#include "seisinr/train/checkpoint.h"
#include "seisinr/train/progress.h"
#include "seisinr/train/schedule.h"
#include "seisinr/threads.h"
#include "seisinr/version.h"

namespace seisinr::train {
namespace fs = std::filesystem;
namespace {

const char* const kRunFiles[] = {"config.json", "log.jsonl", "checkpoint.sinr", "model.sinr"};

// Combines a stream key with a counter into a seed (SplitMix64's output function on a linear mix).
std::uint64_t mix(std::uint64_t a, std::uint64_t b) {
  return data::splitmix_finalize(a * 0x9e3779b97f4a7c15ull + b + 0x632be59bd9b4e019ull);
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

void prepare_run_dir(const RunOptions& run) {
  if (run.dir.empty()) throw Error("train: no output folder (--out)");
  std::error_code ec;
  if (fs::exists(run.dir, ec) && !fs::is_directory(run.dir, ec)) throw Error("train: " + run.dir + " exists and is not a folder");
  if (fs::is_directory(run.dir, ec)) remove_stale_temporaries(run.dir);
  if (run.resume) {
    if (!fs::exists(fs::path(run.dir) / "checkpoint.sinr"))
      throw Error("train --resume: no checkpoint at " + (fs::path(run.dir) / "checkpoint.sinr").string());
    return;
  }
  if (fs::exists(run.dir) && !fs::is_empty(run.dir)) {
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

// Data parallelism (dist/comm.h). Trained row t (global order) lives on rank owner[t]; each rank
// keeps its rows in increasing t. These helpers move what must cross ranks.
struct Shards {
  int ranks = 1, rank = 0;
  std::vector<std::int64_t> local_rows;              // global rows held here, increasing
  std::vector<std::int64_t> local_of;                // global row -> local row, or -1
  std::vector<std::vector<std::int64_t>> rows_of;    // per rank: its global rows, increasing
};

// A (local rows × d) tensor of every rank, assembled into (n × d) in global row order.
torch::Tensor gather_rows(const torch::Tensor& local, const Shards& sh, std::int64_t n) {
  if (sh.ranks == 1) return local;
  const torch::Tensor c = local.detach().to(torch::kCPU, torch::kFloat).contiguous();
  const std::int64_t d = c.size(1);
  std::vector<float> full = dist::allgather_rows({c.data_ptr<float>(), c.data_ptr<float>() + c.numel()}, static_cast<std::size_t>(d),
                                                 sh.rows_of, static_cast<std::size_t>(n));
  return torch::from_blob(full.data(), {n, d}, torch::kFloat).clone();
}

// Sums the decoder's gradients over ranks, through one flat float32 buffer.
void allreduce_gradients(const std::vector<torch::Tensor>& params) {
  if (dist::size() == 1) return;
  std::vector<torch::Tensor> flat;
  for (const auto& p : params)
    flat.push_back(p.grad().defined() ? p.grad().reshape({-1}) : torch::zeros({p.numel()}, p.options()));
  torch::Tensor buf = torch::cat(flat).to(torch::kCPU, torch::kFloat).contiguous();
  dist::allreduce_sum(buf.data_ptr<float>(), static_cast<std::size_t>(buf.numel()));
  buf = buf.to(params.front().device());
  std::int64_t off = 0;
  for (const auto& p : params) {
    torch::Tensor g = buf.narrow(0, off, p.numel()).view(p.sizes());
    if (p.grad().defined()) {
      p.mutable_grad().copy_(g);
    } else {
      p.mutable_grad() = g.clone();
    }
    off += p.numel();
  }
}

// Rank 0's decoder on every rank.
void broadcast_decoder(model::SirenDecoder& decoder) {
  if (dist::size() == 1) return;
  torch::NoGradGuard no_grad;
  for (const auto& [name, t] : decoder.named_parameters()) {
    torch::Tensor c = t.detach().to(torch::kCPU, torch::kFloat).contiguous();
    dist::broadcast(c.data_ptr<float>(), static_cast<std::size_t>(c.numel()) * sizeof(float), 0);
    decoder.set(name, c.to(t.device()));
  }
}

}  // namespace

TrainSummary train(const data::Dataset& data, const TrainOptions& requested, const RunOptions& run) {
  // Rank 0 alone writes the run folder and reports; every rank computes.
  const int ranks = dist::size(), rank = dist::rank();
  std::ostringstream quiet;
  std::ostream& log = rank != 0 ? quiet : run.log ? *run.log : std::cerr;
  requested.validate();
  if (data.size() == 0) throw Error("train: the dataset holds no maps");
  if (data.shard_count != 1 && (data.shard_count != ranks || data.shard_rank != rank))
    throw Error("train: the data were loaded for another rank count");
  if (rank == 0) prepare_run_dir(run);
  dist::barrier();
  const std::string ckpt_path = (fs::path(run.dir) / "checkpoint.sinr").string();
  const std::string log_path = (fs::path(run.dir) / "log.jsonl").string();

  // Options: a resumed run takes the checkpoint's, with the few changes it may make.
  TrainOptions o = requested;
  std::optional<Checkpoint> resumed;
  if (run.resume) {
    resumed = read_checkpoint(ckpt_path);
    o = resumed->options;
  }
  if (run.epochs) o.epochs = *run.epochs;
  if (run.threads) o.threads = *run.threads;
  if (run.checkpoint_every) o.checkpoint_every = *run.checkpoint_every;
  o.validate();

  // Device and threads.
  if (o.device == "cuda" && !torch::cuda::is_available())
    throw Error("train: --device cuda, but this libtorch has no CUDA or no GPU is visible");
  const torch::Device device = o.device == "cuda" ? torch::Device(torch::kCUDA) : torch::Device(torch::kCPU);
  const int threads = set_threads(o.threads);
  const ScopedBlasThreads blas(o.amp ? 1 : threads);  // bf16 products bypass BLAS (threads.h)

  // Split and the trained maps.
  const std::vector<bool> held = data::split_heldout(data, o.holdout, o.seed);
  std::vector<std::int64_t> trained;
  std::vector<std::string> hashes(static_cast<std::size_t>(data.size()));
  const std::int64_t total = data.size();
  if (data.shard_count == 1) {
    for (std::int64_t i = 0; i < total; ++i) hashes[static_cast<std::size_t>(i)] = data::map_hash(data.values(i), data.maps.map_size());
  } else {  // each rank hashes its maps; every rank gets them all (16 hex digits each)
    std::vector<char> mine;
    for (std::int64_t i = rank; i < total; i += ranks) {
      const std::string hx = data::map_hash(data.values(i), data.maps.map_size());
      mine.insert(mine.end(), hx.begin(), hx.end());
    }
    const std::vector<char> all = dist::allgather(mine);
    std::size_t off = 0;
    for (int r = 0; r < ranks; ++r)
      for (std::int64_t i = r; i < total; i += ranks, off += 16) hashes[static_cast<std::size_t>(i)].assign(all.data() + off, 16);
  }
  for (std::int64_t i = 0; i < total; ++i)
    if (!held[static_cast<std::size_t>(i)]) trained.push_back(i);
  const auto n = static_cast<std::int64_t>(trained.size());
  if (n == 0) throw Error("train: every map is held out; lower --holdout or add maps");
  std::vector<std::string> trained_hashes;
  for (auto i : trained) trained_hashes.push_back(hashes[static_cast<std::size_t>(i)]);
  if (resumed && resumed->trained_hashes != trained_hashes)
    throw Error("train --resume: the data differ from the checkpoint's (same files, order and --holdout needed)");

  // Which rank holds which trained row: the rank that holds its map (map g on rank g mod K).
  Shards sh;
  sh.ranks = ranks, sh.rank = rank;
  sh.local_of.assign(static_cast<std::size_t>(n), -1);
  sh.rows_of.resize(static_cast<std::size_t>(ranks));
  for (std::int64_t t = 0; t < n; ++t) {
    const int owner = static_cast<int>(trained[static_cast<std::size_t>(t)] % ranks);
    sh.rows_of[static_cast<std::size_t>(owner)].push_back(t);
    if (owner == rank) {
      sh.local_of[static_cast<std::size_t>(t)] = static_cast<std::int64_t>(sh.local_rows.size());
      sh.local_rows.push_back(t);
    }
  }
  for (int r = 0; r < ranks; ++r)
    if (sh.rows_of[static_cast<std::size_t>(r)].empty())
      throw Error("train: " + std::to_string(ranks) + " ranks for " + std::to_string(n) + " trained maps leave rank " +
                  std::to_string(r) + " without maps; use fewer ranks");
  const auto n_local = static_cast<std::int64_t>(sh.local_rows.size());

  const std::int64_t h = data.maps.h, w = data.maps.w, pts = h * w;
  const float scale = 2.0f / (o.vmax - o.vmin);
  torch::Tensor targets = torch::empty({n_local, pts}, torch::kFloat);
  {
    float* t = targets.data_ptr<float>();
    for (std::int64_t r = 0; r < n_local; ++r) {
      const float* m = data.values(trained[static_cast<std::size_t>(sh.local_rows[static_cast<std::size_t>(r)])]);
      for (std::int64_t k = 0; k < pts; ++k) t[r * pts + k] = (m[k] - o.vmin) * scale - 1.0f;
    }
  }
  // Per-map range (normalised units) for the PSNR estimate; constant maps are left out.
  torch::Tensor range = (std::get<0>(targets.max(1)) - std::get<0>(targets.min(1)));
  targets = targets.to(device);
  const torch::Tensor grid = model::make_grid(h, w, device);

  // Model, latents, optimizer, schedule.
  model::SirenDecoder decoder(o.model, o.seed, device);
  broadcast_decoder(decoder);  // identical already (same seed); made certain
  const torch::Tensor local_rows = torch::tensor(sh.local_rows, torch::kLong);
  torch::Tensor latents = model::init_latents(n, o.model.latent_dim, o.latent_init_std, mix(o.seed, 1));
  if (ranks > 1) latents = latents.index_select(0, local_rows);
  latents = latents.to(device);
  latents.set_requires_grad(true);
  Adam adam({{decoder.parameters(), o.lr}, {{latents}, o.latent_lr}});
  PlateauSchedule schedule(o.plateau_patience, o.plateau_factor, o.plateau_threshold);
  std::int64_t start_epoch = 0;
  if (resumed) {
    restore_checkpoint(*resumed, ckpt_path, decoder, latents, adam, schedule, ranks > 1 ? local_rows : torch::Tensor());
    resumed->file = {};  // the tensors are in place; free the copy
    start_epoch = resumed->epoch;
    if (rank == 0) truncate_log(log_path, start_epoch);
  } else if (rank == 0) {
    io::write_file_atomic(log_path, "", 0);
  }
  nlohmann::json config = o;
  config["producer"] = std::string("seisinr ") + kVersion;
  const std::string config_text = config.dump(2) + "\n";
  if (rank == 0) io::write_file_atomic((fs::path(run.dir) / "config.json").string(), config_text.data(), config_text.size());

  TrainSummary summary;
  summary.start_epoch = start_epoch;
  summary.trained_maps = n;
  summary.heldout_maps = data.size() - n;
  log << "seisinr train: " << n << " maps (" << summary.heldout_maps << " held out), " << h << "x" << w << ", decoder "
      << o.model.hidden << "x" << o.model.layers << " (" << decoder.parameter_count() << " parameters), latent "
      << o.model.latent_dim << ", " << o.device << " " << model::precision_name(o.precision()) << ", " << threads
      << " threads" << (ranks > 1 ? " on each of " + std::to_string(ranks) + " MPI ranks" : std::string()) << ", epochs "
      << start_epoch << ".." << o.epochs << "\n";

  Progress progress("epoch", o.epochs, log, run.progress_interval_s);
  const auto t0 = std::chrono::steady_clock::now();
  std::ofstream log_file;
  if (rank == 0) log_file.open(log_path, std::ios::app);
  const std::vector<torch::Tensor> decoder_params = decoder.parameters();
  const std::int64_t per_map = o.points > 0 ? std::min(o.points, pts) : pts;
  const bool sample = per_map < pts;
  auto long_opts = torch::TensorOptions().dtype(torch::kLong);
  torch::Tensor map_mse = torch::zeros({n_local}, torch::kDouble);
  double epoch_loss = 0;

  for (std::int64_t epoch = start_epoch; epoch < o.epochs; ++epoch) {
    const auto e0 = std::chrono::steady_clock::now();
    const dist::CommStats c0 = dist::stats();
    const auto order = permutation(n, mix(o.seed, static_cast<std::uint64_t>(epoch) + 17));
    double sum_loss = 0, sum_recon = 0, sum_reg = 0;
    map_mse.zero_();
    std::int64_t step = 0;
    for (std::int64_t b0 = 0; b0 < n; b0 += o.batch, ++step) {
      // The global batch: rows order[b0, b0 + bn). This rank computes the ones it holds; the
      // loss is normalised by the global batch, so summing gradients over ranks gives the
      // gradient of the global batch's loss.
      const std::int64_t bn = std::min(o.batch, n - b0);
      std::vector<std::int64_t> mine, pos;  // local rows, and their places in the batch
      for (std::int64_t j = 0; j < bn; ++j) {
        const std::int64_t l = sh.local_of[static_cast<std::size_t>(order[static_cast<std::size_t>(b0 + j)])];
        if (l >= 0) mine.push_back(l), pos.push_back(j);
      }
      const auto bl = static_cast<std::int64_t>(mine.size());
      adam.zero_grad();
      if (bl > 0) {
        torch::Tensor idx_cpu = torch::tensor(mine, torch::kLong);
        torch::Tensor idx = idx_cpu.to(device);
        torch::Tensor z = latents.index_select(0, idx);
        torch::Tensor target = targets.index_select(0, idx);
        torch::Tensor coords = grid;
        if (sample) {  // the points of the whole batch are drawn on every rank; each keeps its rows'
          torch::Tensor pidx = torch::empty({bn, per_map}, long_opts);
          auto* p = pidx.data_ptr<std::int64_t>();
          std::uint64_t s = mix(mix(o.seed, static_cast<std::uint64_t>(epoch)), static_cast<std::uint64_t>(step) + 0x51);
          for (std::int64_t k = 0; k < bn * per_map; ++k) p[k] = static_cast<std::int64_t>((s = mix(s, 3)) % static_cast<std::uint64_t>(pts));
          if (bl < bn) pidx = pidx.index_select(0, torch::tensor(pos, torch::kLong));
          pidx = pidx.to(device);
          coords = grid.index_select(0, pidx.reshape({-1})).reshape({bl, per_map, 2});
          target = target.gather(1, pidx);
        }
        torch::Tensor pred = decoder.forward(coords, z, o.precision());
        torch::Tensor err = (pred - target).pow(2);
        torch::Tensor recon = err.sum() / static_cast<double>(bn * per_map);
        torch::Tensor reg = z.pow(2).sum() * (o.lambda / static_cast<double>(bn));
        torch::Tensor loss = recon + reg;
        loss.backward();
        sum_loss += loss.item<double>() * static_cast<double>(bn);
        sum_recon += recon.item<double>() * static_cast<double>(bn);
        sum_reg += reg.item<double>() * static_cast<double>(bn);
        map_mse.index_put_({idx_cpu}, err.detach().mean(1).to(torch::kCPU, torch::kDouble));
      }
      if (!latents.grad().defined()) latents.mutable_grad() = torch::zeros_like(latents);  // Adam still moves them
      allreduce_gradients(decoder_params);
      adam.step(schedule.scale());
    }
    // PSNR estimate: mean over non-constant maps of 10 log10(range² / mse).
    auto ok = range > 0;
    auto psnr = (10.0 * torch::log10(range.to(torch::kDouble).pow(2) / map_mse.clamp_min(1e-20))).masked_select(ok);
    double sums[5] = {sum_loss, sum_recon, sum_reg, psnr.numel() ? psnr.sum().item<double>() : 0.0, static_cast<double>(psnr.numel())};
    dist::allreduce_sum(sums, 5);
    sum_loss = sums[0], sum_recon = sums[1], sum_reg = sums[2];
    epoch_loss = sum_loss / static_cast<double>(n);
    if (epoch == start_epoch) summary.first_loss = epoch_loss;
    summary.psnr_estimate = sums[4] > 0 ? sums[3] / sums[4] : 0.0;
    const double lr_now = o.lr * schedule.scale();
    schedule.step(epoch_loss);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    nlohmann::json row = {{"epoch", epoch},        {"loss", epoch_loss},   {"recon", sum_recon / static_cast<double>(n)},
                          {"reg", sum_reg / static_cast<double>(n)}, {"lr", lr_now}, {"latent_lr", o.latent_lr * lr_now / o.lr},
                          {"psnr_est", summary.psnr_estimate}, {"seconds", secs}, {"elapsed", elapsed}};
    if (ranks > 1) {  // time in the gradient allreduce this epoch, and bytes each rank sent into it
      const dist::CommStats& c1 = dist::stats();
      row["ranks"] = ranks;
      row["allreduce_seconds"] = c1.allreduce_seconds - c0.allreduce_seconds;
      row["allreduce_calls"] = c1.allreduce_calls - c0.allreduce_calls;
      row["allreduce_bytes"] = c1.allreduce_bytes - c0.allreduce_bytes;
    }
    if (rank == 0) log_file << row.dump() << "\n" << std::flush;
    char fields[160];
    std::snprintf(fields, sizeof fields, "loss %.3e  psnr~%.2f dB  lr %.2e  %.0f maps/s", epoch_loss, summary.psnr_estimate,
                  lr_now, static_cast<double>(n) / secs);
    progress.update(epoch + 1, fields);
    const bool last = epoch + 1 == o.epochs;
    const bool stop = run.stop_after_epoch >= 0 && epoch >= run.stop_after_epoch;
    if (last || (epoch + 1) % o.checkpoint_every == 0) {
      // Rank 0 writes the whole table: every rank's latents and their Adam moments.
      const std::size_t lk = adam.exp_avg().size() - 1;  // the latents are the last parameter
      const torch::Tensor full = gather_rows(latents, sh, n), m = gather_rows(adam.exp_avg()[lk], sh, n),
                          v = gather_rows(adam.exp_avg_sq()[lk], sh, n);
      if (rank == 0) write_checkpoint(ckpt_path, {o, epoch + 1, trained_hashes, {}}, decoder, full, adam, schedule, m, v);
      dist::barrier();  // no rank runs ahead of a checkpoint it might have to resume from
    }
    if (stop && !last) {
      summary.end_epoch = epoch + 1;
      summary.final_loss = epoch_loss;
      summary.seconds = elapsed;
      progress.finish("stopped after epoch " + std::to_string(epoch + 1));
      return summary;
    }
  }
  summary.end_epoch = o.epochs;
  summary.final_loss = epoch_loss;
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  // The model file.
  nlohmann::json meta;
  meta["normalisation"] = {{"vmin", o.vmin}, {"vmax", o.vmax}};
  meta["grid"] = {{"height", h}, {"width", w}};
  meta["families"] = data.families;
  nlohmann::json maps = nlohmann::json::array();
  std::int64_t row = 0;
  for (std::int64_t i = 0; i < data.size(); ++i) {
    const auto k = static_cast<std::size_t>(i);
    maps.push_back({{"family", data.family[k]}, {"file", data.file[k]}, {"index", data.index[k]}, {"hash", hashes[k]},
                    {"split", held[k] ? "heldout" : "trained"}, {"latent", held[k] ? -1 : row++}});
  }
  meta["maps"] = std::move(maps);
  meta["config"] = config;
  meta["training"] = {{"epochs", o.epochs}, {"seconds_this_run", summary.seconds}, {"final_loss", summary.final_loss},
                      {"psnr_estimate", summary.psnr_estimate}};
  summary.model_path = (fs::path(run.dir) / "model.sinr").string();
  const torch::Tensor all_latents = gather_rows(latents, sh, n);
  if (rank == 0) model::save_model(summary.model_path, decoder, all_latents, meta);
  dist::barrier();
  char done[200];
  std::snprintf(done, sizeof done, "trained %lld epochs in %s: loss %.3e, PSNR estimate %.2f dB; model: %s",
                static_cast<long long>(o.epochs - start_epoch), format_duration(summary.seconds).c_str(), summary.final_loss,
                summary.psnr_estimate, summary.model_path.c_str());
  progress.finish(done);
  return summary;
}

}  // namespace seisinr::train
