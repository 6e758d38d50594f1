// seisinr forward — shot gathers of velocity maps with the acoustic solver (wave/acoustic.h),
// shaped as OpenFWI's data files: (N, sources, nt, receivers), (N, 5, 1000, 70) by default.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "seisinr/cli/commands.h"
#include "seisinr/text.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/interrupt.h"
#include "seisinr/io/npy.h"
#include "seisinr/optim/progress.h"
#include "seisinr/wave/acoustic.h"

namespace seisinr::cli {

void add_forward(CLI::App* sub) {
  struct Opts {
    std::string velocity, out, acquisition = wave::kOpenFwiSurvey, boundary;
    std::int64_t threads = 0;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--velocity", o->velocity, "Velocity maps (.npy, m/s, (N,1,H,W) or (N,H,W))")->required()->check(CLI::ExistingFile);
  sub->add_option("--out", o->out, "Shot gathers (.npy, (N, sources, nt, receivers))")->required();
  sub->add_option("--acquisition", o->acquisition,
                  "openfwi (OpenFWI's survey) or a survey JSON (dx, dz, dt, nt, freq, boundary, order 2|4|8, sources, receivers; docs/fwi.md)")
      ->check(CLI::IsMember({wave::kOpenFwiSurvey}) | CLI::ExistingFile);
  sub->add_option("--boundary", o->boundary, wave::kBoundaryHelp);
  sub->add_option("--threads", o->threads, "Threads (shots and maps run in parallel), 0 = all cores")->check(CLI::NonNegativeNumber);
  add_force_option(sub, o->force);
  sub->callback([o] {
    io::check_outputs({o->velocity, wave::is_builtin_survey(o->acquisition) ? "" : o->acquisition}, {{o->out, io::FileKind::npy}}, o->force);
    const io::MapStack maps = io::read_velocity_npy(o->velocity);
    wave::Acquisition a = wave::acquisition_for(o->acquisition, maps.h, maps.w);
    if (!o->boundary.empty()) wave::set_boundary(a, o->boundary, "--boundary");
    const int threads = resolve_threads(o->threads, "--threads");
    io::NpyWriter out(o->out, {maps.n, static_cast<std::int64_t>(a.sources.size()), a.nt, static_cast<std::int64_t>(a.receivers.size())});
    optim::Progress progress("map", maps.n, std::cerr, 10.0, optim::Pulse::keep_alive);
    const auto t0 = std::chrono::steady_clock::now();
    const std::size_t per_map = a.sources.size() * static_cast<std::size_t>(a.nt) * a.receivers.size();
    const std::string warning = wave::forward_maps(maps, a, o->velocity, wave::survey_name(o->acquisition), threads, [&](std::int64_t i, const float* d) {
      throw_if_stop_requested("forward");  // SIGINT/SIGTERM: the partial output is discarded
      out.append(d, per_map);
      progress.update(i + 1, "");
    });
    out.commit();
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    progress.finish(o->out + ": " + count_of(maps.n, "map") + " in " + optim::format_duration(secs));
    if (!warning.empty()) std::cerr << "seisinr: " << warning << "\n";
    std::printf("%s: %s x %zu shots x %lld samples x %zu receivers (%.2f s per map, %.3g cell updates/s)\n", o->out.c_str(),
                count_of(maps.n, "map").c_str(), a.sources.size(), static_cast<long long>(a.nt), a.receivers.size(),
                secs / static_cast<double>(maps.n), wave::cell_updates(maps.h, maps.w, a) * static_cast<double>(maps.n) / secs);
  });
}

}  // namespace seisinr::cli
