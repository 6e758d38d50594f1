// seisinr/invert/run.cpp — see run.h.
#include "seisinr/invert/run.h"
#include "seisinr/text.h"

#include <ATen/Parallel.h>
#include <torch/types.h>

#include <chrono>
#include <cmath>
#include <iomanip>
#include <mutex>
#include <ostream>
#include <random>
#include <sstream>
#include <thread>

#include "seisinr/error.h"
#include "seisinr/eval/metrics.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/invert/invert.h"
#include "seisinr/invert/uncertainty.h"
#include "seisinr/io/npy.h"
#include "seisinr/io/output_guard.h"
#include "seisinr/model/decode.h"
#include "seisinr/model/sampler.h"
#include "seisinr/parallel.h"
#include "seisinr/optim/progress.h"
#include "seisinr/wave/acoustic.h"
#include "seisinr/wave/gradient.h"

namespace seisinr::invert {

double add_noise(float* d, std::size_t n, double snr_db, std::uint64_t seed) {
  double power = 0;
  for (std::size_t i = 0; i < n; ++i) power += static_cast<double>(d[i]) * d[i];
  power /= static_cast<double>(std::max<std::size_t>(n, 1));
  const double sigma = std::sqrt(power / std::pow(10.0, snr_db / 10.0));
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal(0.0, sigma);
  for (std::size_t i = 0; i < n; ++i) d[i] = static_cast<float>(d[i] + normal(rng));
  return sigma;
}

namespace {
// OUT without its .npy: the stem the log and the posterior's files are named from.
std::string stem_of(const std::string& out) { return out.size() > 4 && out.substr(out.size() - 4) == ".npy" ? out.substr(0, out.size() - 4) : out; }
}  // namespace

std::string posterior_path(const std::string& out, const std::string& what) { return stem_of(out) + "." + what + ".npy"; }

namespace {

std::string shape_text(const std::vector<std::int64_t>& s) {
  std::string t = "(";
  for (std::size_t i = 0; i < s.size(); ++i) t += (i ? ", " : "") + std::to_string(s[i]);
  return t + ")";
}

// The model's trained maps (of `family`, or all), decoded at nz × nx.
io::MapStack trained_maps(const model::LoadedModel& m, const std::string& family, std::int64_t nz, std::int64_t nx, const std::string& path) {
  const std::vector<std::int64_t> rows = model::trained_rows(m, family);
  if (rows.empty()) throw Error(path + ": no trained maps" + (family.empty() ? "" : " of family '" + family + "'") + " to start from");
  model::DecodeOptions d;
  d.height = nz, d.width = nx, d.vmin = m.vmin, d.vmax = m.vmax;
  return model::decode_maps(*m.decoder, m.latents.index_select(0, torch::tensor(rows, torch::kLong)), d);
}

struct Problem {
  std::int64_t n = 0, nz = 70, nx = 70;
  std::size_t per_map = 0;
  std::vector<float> observed;  // n · per_map
  std::vector<double> noise_sigma;  // per map, the σ of the noise added (noise_snr)
  io::MapStack truth, start;
  wave::Acquisition acquisition;
  std::string survey_name, warning;  // warning: check_acquisition's, printed once the start is known
};

// RunOptions::init, parsed once.
struct Start {
  enum class Kind { mean, nearest, smooth, file } kind = Kind::mean;
  double sigma = 0;  // smooth: cells
};

Start parse_start(const std::string& init) {
  Start s;
  if (init == "mean") return s;
  if (init == "nearest") return s.kind = Start::Kind::nearest, s;
  if (init.rfind("smooth:", 0) != 0) return s.kind = Start::Kind::file, s;
  s.kind = Start::Kind::smooth;
  try {
    std::size_t used = 0;
    s.sigma = std::stod(init.substr(7), &used);
    if (used != init.size() - 7 || !(s.sigma > 0)) throw 0;
  } catch (...) {
    throw Error("invert: --init smooth:SIGMA needs a positive SIGMA in cells, got '" + init + "'");
  }
  return s;
}

std::string log_path(const RunOptions& o) {
  if (!o.log.empty()) return o.log;
  return stem_of(o.out) + ".log.jsonl";
}

// Everything refused before any file is read: outputs onto inputs, options that need another.
void check_request(const RunOptions& o, const Start& start, const std::string& log) {
  const bool builtin = wave::is_builtin_survey(o.acquisition);
  std::vector<io::Output> outs = {{o.out, io::FileKind::npy}, {log, io::FileKind::text}};
  if (o.uncertainty.method != UncertaintyMethod::none)
    for (const char* w : {"mean", "std", "samples"}) outs.push_back({posterior_path(o.out, w), io::FileKind::npy});
  io::check_outputs({o.data, o.model, o.truth, builtin ? "" : o.acquisition, start.kind == Start::Kind::file ? o.init : ""}, outs, o.force);
  if (o.uncertainty.method != UncertaintyMethod::none) {
    const UncertaintyOptions& u = o.uncertainty;
    if (o.invert.space != Space::latent) throw Error("invert: --uncertainty needs --space latent (a posterior over the code)", ErrorKind::usage);
    if (u.samples < 1 || u.rank < 0 || u.members < 2 || !(u.sigma >= 0) || !std::isfinite(u.sigma))
      throw Error("invert: --samples must be at least 1, --rank at least 0, --members at least 2, --sigma a finite positive number", ErrorKind::usage);
    if (o.sigma_from_snr && !o.noise_snr) throw Error("invert: --sigma snr takes the noise --noise-snr adds: give --noise-snr", ErrorKind::usage);
  }
  if (o.invert.space == Space::latent && o.model.empty()) throw Error("invert: --space latent needs --model");
  if ((start.kind == Start::Kind::mean || start.kind == Start::Kind::nearest) && o.model.empty())
    throw Error("invert: --init " + o.init + " needs --model");
  if (start.kind == Start::Kind::smooth && o.truth.empty()) throw Error("invert: --init " + o.init + " blurs the true model: give --truth");
  if (o.noise_snr && !std::isfinite(*o.noise_snr)) throw Error("invert: --noise-snr must be a finite number of dB");
  // Settings a run cannot use, refused before any file is read (they once cost 15 s of work first).
  const double lo = o.invert.vmin, hi = o.invert.vmax;
  if (!(std::isfinite(lo) && std::isfinite(hi) && lo > 0 && lo < hi)) {
    std::ostringstream m;
    m << "invert: --vmin " << lo << " and --vmax " << hi << " m/s: need 0 < vmin < vmax";
    throw Error(m.str(), ErrorKind::usage);
  }
  if (o.invert.iters < 1)
    throw Error("invert: --iters " + std::to_string(o.invert.iters) + ": give at least 1 gradient evaluation per map", ErrorKind::usage);
}

// The grid (from the truth, the starting file or the model), the survey checked against it for
// every speed the inversion may visit, and the gathers: their shape against the survey's, every
// value finite, the noise added.
Problem load_problem(const RunOptions& o, const io::MapStack* from_file, const model::LoadedModel* model, int threads) {
  Problem p;
  std::string grid_from;  // which input set the grid, named when the gathers do not fit it
  if (!o.truth.empty()) {
    grid_from = "--truth " + o.truth;
    p.truth = io::read_velocity_npy(o.truth);
    wave::check_speeds(p.truth, o.truth);
    p.nz = p.truth.h, p.nx = p.truth.w;
  } else if (from_file) {
    grid_from = "--init " + o.init;
    p.nz = from_file->h, p.nx = from_file->w;
  } else if (model) {
    grid_from = "--model " + o.model;
    p.nz = model->height, p.nx = model->width;
  }
  p.acquisition = wave::acquisition_for(o.acquisition, p.nz, p.nx);
  if (!o.boundary.empty()) wave::set_boundary(p.acquisition, o.boundary, "--boundary");
  const wave::Acquisition& a = p.acquisition;
  p.survey_name = wave::survey_name(o.acquisition);
  p.warning = wave::check_acquisition(a, p.nz, p.nx, o.invert.vmin, o.invert.vmax, p.survey_name);
  wave::check_solver_memory(a, p.nz, p.nx, threads, true, p.survey_name);
  io::NpyArray d = io::read_npy(o.data);
  const std::vector<std::int64_t> want = {static_cast<std::int64_t>(a.sources.size()), a.nt, static_cast<std::int64_t>(a.receivers.size())};
  std::vector<std::int64_t> got = d.shape;
  if (got.size() == 3) got.insert(got.begin(), 1);
  if (got.size() != 4 || got[0] < 1 || std::vector<std::int64_t>(got.begin() + 1, got.end()) != want)
    throw Error(o.data + ": shot gathers of shape " + shape_text(d.shape) + " do not match the survey: expected (N, " + std::to_string(want[0]) +
                " sources, " + std::to_string(want[1]) + " time samples, " + std::to_string(want[2]) + " receivers) for a " +
                std::to_string(p.nz) + "x" + std::to_string(p.nx) + " grid (" + p.survey_name + "); the grid is " + grid_from +
                "'s: if the gathers are right, check that file's shape");
  p.n = got[0];
  p.per_map = static_cast<std::size_t>(want[0] * want[1] * want[2]);
  for (std::size_t i = 0; i < d.values.size(); ++i)
    if (!std::isfinite(d.values[i]))
      throw Error(o.data + ": value " + std::to_string(d.values[i]) + " in map " + std::to_string(i / p.per_map) + "; gathers must be finite");
  p.observed = std::move(d.values);
  if (!o.truth.empty() && p.truth.n != p.n)
    throw Error(o.truth + ": " + std::to_string(p.truth.n) + " true maps for " + std::to_string(p.n) + " maps of gathers in " + o.data);
  if (o.noise_snr)
    for (std::int64_t i = 0; i < p.n; ++i)
      p.noise_sigma.push_back(
          add_noise(p.observed.data() + static_cast<std::size_t>(i) * p.per_map, p.per_map, *o.noise_snr, o.seed + static_cast<std::uint64_t>(i)));
  return p;
}

// Per map, the trained map whose simulated gathers are closest to its observed ones: one forward
// solve per candidate, shared by all maps. Returns the candidates' indices.
std::vector<std::int64_t> nearest_in_data(const Problem& p, const io::MapStack& cand, int threads, std::ostream& progress_out) {
  std::vector<std::int64_t> pick(static_cast<std::size_t>(p.n), 0);
  std::vector<double> best(static_cast<std::size_t>(p.n), INFINITY);
  std::mutex mu;
  optim::Progress bar("candidate", cand.n, progress_out, 10.0, optim::Pulse::keep_alive);
  std::int64_t done = 0;
  parallel_for(cand.n, threads, [&](std::int64_t c) {
    std::vector<float> g(p.per_map);
    wave::forward(cand.map(c), p.nz, p.nx, p.acquisition, g.data(), 1);
    std::lock_guard<std::mutex> lock(mu);
    for (std::int64_t i = 0; i < p.n; ++i) {
      double j = 0;
      const float* obs = p.observed.data() + static_cast<std::size_t>(i) * p.per_map;
      for (std::size_t k = 0; k < p.per_map; ++k) j += 0.5 * (g[k] - obs[k]) * (g[k] - obs[k]);
      if (j < best[static_cast<std::size_t>(i)]) best[static_cast<std::size_t>(i)] = j, pick[static_cast<std::size_t>(i)] = c;
    }
    bar.update(++done, "");
  });
  bar.finish("nearest of " + std::to_string(cand.n) + " trained maps chosen by data misfit");
  return pick;
}

// The starting maps (see run.h), checked against the survey's stability like the bounds.
void starting_maps(Problem& p, const RunOptions& o, const Start& start, const io::MapStack* from_file, const model::LoadedModel* model,
                   int threads, std::ostream& progress_out) {
  p.start.n = p.n, p.start.h = p.nz, p.start.w = p.nx;
  p.start.values.resize(static_cast<std::size_t>(p.n) * p.start.map_size());
  const std::size_t cells = p.start.map_size();
  switch (start.kind) {
    case Start::Kind::smooth:
      for (std::int64_t i = 0; i < p.n; ++i) {
        const std::vector<float> t(p.truth.map(i), p.truth.map(i) + cells), s = gaussian_smooth(t, p.nz, p.nx, start.sigma);
        std::copy(s.begin(), s.end(), p.start.map(i));
      }
      break;
    case Start::Kind::file: {
      const io::MapStack& s = *from_file;
      if (s.h != p.nz || s.w != p.nx || (s.n != 1 && s.n != p.n))
        throw Error(o.init + ": starting maps of " + std::to_string(s.n) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w) +
                    "; expected 1 or " + std::to_string(p.n) + " maps of " + std::to_string(p.nz) + "x" + std::to_string(p.nx));
      for (std::int64_t i = 0; i < p.n; ++i) std::copy(s.map(s.n == 1 ? 0 : i), s.map(s.n == 1 ? 0 : i) + cells, p.start.map(i));
      break;
    }
    case Start::Kind::mean: {
      const io::MapStack cand = trained_maps(*model, o.family, p.nz, p.nx, o.model);
      std::vector<double> mean(cells, 0.0);
      for (std::int64_t c = 0; c < cand.n; ++c)
        for (std::size_t k = 0; k < cells; ++k) mean[k] += cand.map(c)[k];
      for (std::int64_t i = 0; i < p.n; ++i)
        for (std::size_t k = 0; k < cells; ++k) p.start.map(i)[k] = static_cast<float>(mean[k] / static_cast<double>(cand.n));
      break;
    }
    case Start::Kind::nearest: {
      const io::MapStack cand = trained_maps(*model, o.family, p.nz, p.nx, o.model);
      wave::check_speeds(cand, o.model);
      const std::vector<std::int64_t> pick = nearest_in_data(p, cand, threads, progress_out);
      for (std::int64_t i = 0; i < p.n; ++i) {
        const float* c = cand.map(pick[static_cast<std::size_t>(i)]);
        std::copy(c, c + cells, p.start.map(i));
      }
      break;
    }
  }
  const auto [lo, hi] = wave::check_speeds(p.start, "the starting model");
  wave::check_acquisition(p.acquisition, p.nz, p.nx, std::min(lo, o.invert.vmin), std::max(hi, o.invert.vmax), p.survey_name);  // a start past the bounds
  if (!p.warning.empty()) progress_out << "seisinr: " << p.warning << "\n";
}

// What each map's inversion reported: a log line per gradient evaluation, its summary, its map.
struct MapRuns {
  std::vector<std::vector<nlohmann::json>> lines;
  std::vector<nlohmann::json> summary;
  std::vector<std::vector<float>> result;
  std::vector<MapPosterior> posterior;  // with an uncertainty method
  double seconds = 0;
};

// The log's "uncertainty" entry of one map's posterior.
nlohmann::json posterior_entry(const MapPosterior& post, const UncertaintyOptions& u) {
  nlohmann::json j = {{"method", to_string(u.method)}, {"sigma", post.sigma}, {"correlated_samples", post.correlated}, {"seconds", post.seconds},
                      {"misfit_answer", post.misfit_answer}, {"misfit_mean", post.misfit_mean}, {"sample_misfits", post.sample_misfits}};
  if (u.method == UncertaintyMethod::laplace)
    j["rank"] = post.rank, j["log_evidence"] = post.log_evidence, j["mean_moved"] = post.mean_moved;
  else
    j["members"] = u.members, j["interval_factor"] = post.interval_factor;
  return j;
}

// One map's inversion and, with an uncertainty method, its posterior: log lines, summary and
// maps into `runs` (under `mu`), progress on `bar`.
struct MapJob {
  const Problem& p;
  const RunOptions& o;
  const model::LoadedModel* model;
  const InvertOptions& io;
  MapRuns& runs;
  std::mutex& mu;
  optim::Progress& bar;
  std::int64_t& done;

  void operator()(std::int64_t i) const {
    const std::size_t cells = p.start.map_size(), k = static_cast<std::size_t>(i);
    const auto t0 = std::chrono::steady_clock::now();
    const float* truth = o.truth.empty() ? nullptr : p.truth.map(i);
    auto metrics = [&](nlohmann::json& j, const std::vector<float>& v, const std::string& prefix = "") {
      if (!truth) return;
      j[prefix + "psnr"] = eval::psnr(truth, v.data(), cells);
      j[prefix + "ssim"] = eval::ssim(truth, v.data(), p.nz, p.nx);
    };
    const std::vector<float> start(p.start.map(i), p.start.map(i) + cells);
    wave::Acquisition ai = p.acquisition;  // the boundary held at the start's speeds, also for the final misfit
    wave::hold_boundary_speed(ai, start.data(), static_cast<std::int64_t>(start.size()));
    const float* obs = p.observed.data() + k * p.per_map;
    torch::Tensor answer;
    const std::vector<float> v = invert_map(ai, obs, start, p.nz, p.nx, model, io, [&](const IterationReport& r, const std::vector<float>& vi) {
      nlohmann::json j = {{"map", i}, {"iter", r.iter}, {"misfit", r.misfit}, {"seconds", r.seconds}};
      metrics(j, vi);
      std::lock_guard<std::mutex> lock(mu);
      runs.lines[k].push_back(j);
      std::ostringstream f;
      f << "map " << i << " misfit " << std::setprecision(4) << r.misfit;
      if (truth) f << " psnr " << std::fixed << std::setprecision(2) << j["psnr"].get<double>() << " ssim " << std::setprecision(3) << j["ssim"].get<double>();
      bar.update(++done, f.str());
    }, &answer);
    nlohmann::json s = {{"map", i}, {"space", to_string(o.invert.space)}, {"optimizer", to_string(o.invert.optimizer)},
                        {"init", o.init}, {"iters", o.invert.iters},
                        {"seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count()}};
    {
      std::lock_guard<std::mutex> lock(mu);
      const auto& L = runs.lines[k];
      if (!L.empty()) s["misfit_start"] = L.front()["misfit"], s["misfit_last_evaluated"] = L.back()["misfit"];
    }
    wave::GradientOptions go;
    go.threads = io.threads;
    s["misfit"] = wave::misfit_gradient(v.data(), p.nz, p.nx, ai, obs, nullptr, go);  // the operator the inversion used
    metrics(s, start, "start_");
    metrics(s, v);
    MapPosterior post;
    if (o.uncertainty.method != UncertaintyMethod::none) {
      UncertaintyOptions u = o.uncertainty;
      if (u.family.empty()) u.family = o.family;
      if (o.sigma_from_snr) u.sigma = p.noise_sigma[k];
      u.seed += static_cast<std::uint64_t>(i) * 7919;
      post = map_posterior(*model, answer, start, p.nz, p.nx, ai, obs, io, u, o.model);
      s["uncertainty"] = posterior_entry(post, u);
      metrics(s["uncertainty"], post.mean, "mean_");
    }
    std::lock_guard<std::mutex> lock(mu);
    runs.summary[k] = s;
    runs.result[k] = v;
    if (!runs.posterior.empty()) runs.posterior[k] = std::move(post);
  }
};

// The inversions: maps in parallel, one thread each, or one map on every thread.
MapRuns invert_maps(const Problem& p, const RunOptions& o, const model::LoadedModel* model, int threads, std::ostream& progress_out) {
  const bool many = p.n > 1 && threads > 1;
  InvertOptions io = o.invert;
  io.threads = many ? 1 : threads;
  MapRuns runs;
  runs.lines.resize(static_cast<std::size_t>(p.n));
  runs.summary.resize(static_cast<std::size_t>(p.n));
  runs.result.resize(static_cast<std::size_t>(p.n));
  if (o.uncertainty.method != UncertaintyMethod::none) runs.posterior.resize(static_cast<std::size_t>(p.n));
  std::mutex mu;
  optim::Progress bar("iteration", p.n * o.invert.iters, progress_out, 2.0, optim::Pulse::keep_alive);
  std::int64_t done = 0;
  const MapJob job{p, o, model, io, runs, mu, bar, done};
  const auto t_all = std::chrono::steady_clock::now();
  const int torch_threads = at::get_num_threads();
  if (many) at::set_num_threads(1);
  try {
    parallel_for(p.n, many ? threads : 1, job);
  } catch (...) {
    if (many) at::set_num_threads(torch_threads);
    throw;
  }
  if (many) at::set_num_threads(torch_threads);
  runs.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_all).count();
  bar.finish(o.out + ": " + count_of(p.n, "map") + " in " + optim::format_duration(runs.seconds));
  return runs;
}

// The maps and the log, each written atomically; returns the run's summary.
nlohmann::json write_outputs(const Problem& p, const MapRuns& runs, const RunOptions& o, const std::string& log) {
  io::MapStack out;
  out.n = p.n, out.h = p.nz, out.w = p.nx;
  for (const auto& v : runs.result) out.values.insert(out.values.end(), v.begin(), v.end());
  std::string text;
  nlohmann::json summary = nlohmann::json::array();
  for (std::int64_t i = 0; i < p.n; ++i) {
    for (const auto& j : runs.lines[static_cast<std::size_t>(i)]) text += j.dump() + "\n";
    nlohmann::json f = runs.summary[static_cast<std::size_t>(i)];
    f["final"] = true;
    text += f.dump() + "\n";
    summary.push_back(runs.summary[static_cast<std::size_t>(i)]);
  }
  io::write_velocity_npy(o.out, out);
  if (!runs.posterior.empty()) {
    io::MapStack mean = out, sd = out;
    std::vector<float> samples;
    const std::int64_t k = static_cast<std::int64_t>(runs.posterior.front().samples.size() / out.map_size());
    for (std::int64_t i = 0; i < p.n; ++i) {
      const MapPosterior& q = runs.posterior[static_cast<std::size_t>(i)];
      std::copy(q.mean.begin(), q.mean.end(), mean.map(i));
      std::copy(q.stddev.begin(), q.stddev.end(), sd.map(i));
      samples.insert(samples.end(), q.samples.begin(), q.samples.end());
    }
    io::write_velocity_npy(posterior_path(o.out, "mean"), mean);
    io::write_velocity_npy(posterior_path(o.out, "std"), sd);
    io::write_npy(posterior_path(o.out, "samples"), samples.data(), {p.n, k, p.nz, p.nx});
  }
  io::write_file_atomic(log, text.data(), text.size());
  return {{"maps", summary}, {"seconds", runs.seconds}, {"out", o.out}, {"log", log},
          {"boundary", {{"kind", wave::boundary_name(p.acquisition.boundary_kind)}, {"width", p.acquisition.boundary}}}};
}

}  // namespace

nlohmann::json run_inversion(const RunOptions& o, std::ostream& progress_out) {
  const Start start = parse_start(o.init);
  const std::string log = log_path(o);
  check_request(o, start, log);
  const int threads = resolve_threads(o.threads, "invert --threads");  // refused, too, before any file is read
  std::optional<model::LoadedModel> model;
  if (!o.model.empty()) model = model::load_model(o.model);
  std::optional<io::MapStack> from_file;  // --init FILE, read once
  if (start.kind == Start::Kind::file) {
    from_file = io::read_velocity_npy(o.init);
    wave::check_speeds(*from_file, o.init);
  }
  const model::LoadedModel* m = model ? &*model : nullptr;
  Problem p = load_problem(o, from_file ? &*from_file : nullptr, m, threads);
  starting_maps(p, o, start, from_file ? &*from_file : nullptr, m, threads, progress_out);
  const MapRuns runs = invert_maps(p, o, m, threads, progress_out);
  return write_outputs(p, runs, o, log);
}

}  // namespace seisinr::invert
