// seisinr sample — new maps of a family: codes drawn from a density fitted to the family's
// trained codes (a kernel density or a Gaussian: model/sampler.h), decoded at any resolution.
#include <cstdio>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/seisinr.h"

namespace seisinr::cli {

void add_sample(CLI::App* sub) {
  struct Opts {
    std::string model, family, out, resolution;
    std::int64_t count = 100;
    std::uint64_t seed = 0;
    std::int64_t threads = 0;
    bool force = false;
    model::DensityOptions density;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--model", o->model, "Model file")->required()->check(CLI::ExistingFile);
  sub->add_option("--family", o->family, "The family whose trained codes the density is fitted to")->required();
  sub->add_option("--count", o->count, "Maps to draw")->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  sub->add_option("--seed", o->seed, "Seed of the draws (the same seed gives the same maps)");
  add_named_option(sub, "--density", o->density.kind,
                   "kernel: one Gaussian at each trained code, spread by --bandwidth | gaussian: one Gaussian over all of them "
                   "(docs/fwi.md measures both)");
  sub->add_option("--bandwidth", o->density.bandwidth, "kernel: the spread around each trained code, in units of the codes' own")
      ->check(finite_positive());
  sub->add_option("--resolution", o->resolution, "HxW (default: the model's grid)")->check(size_validator());
  sub->add_option("--out", o->out, "Output .npy (count, 1, H, W), m/s")->required();
  add_threads_option(sub, o->threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    io::check_outputs({o->model}, {{o->out, io::FileKind::npy}}, o->force);
    set_threads(o->threads);
    std::int64_t h = 0, w = 0;
    if (!o->resolution.empty()) parse_size(o->resolution, "--resolution", h, w);
    const Model m = Model::load(o->model);
    const Maps maps = m.sample(o->family, o->count, o->seed, h, w, o->density);
    write_npy(o->out, maps);
    std::printf("%s: %lld %s maps of %lldx%lld drawn (seed %llu)\n", o->out.c_str(), static_cast<long long>(maps.n), o->family.c_str(),
                static_cast<long long>(maps.h), static_cast<long long>(maps.w), static_cast<unsigned long long>(o->seed));
  });
}

}  // namespace seisinr::cli
