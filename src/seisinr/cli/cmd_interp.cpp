// seisinr interp — maps along the line between two latent codes (the paper's Figure 8/Table 8).
#include <cstdio>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/threads.h"
#include "seisinr/eval/interpolate.h"
#include "seisinr/report/image.h"

namespace seisinr::cli {

void add_interp(CLI::App* sub) {
  struct Opts {
    std::string model, out, png, resolution;
    std::int64_t from = 0, to = 1, steps = 7;
    std::int64_t threads = 0;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--model", o->model, "Model file")->required()->check(CLI::ExistingFile);
  sub->add_option("--from", o->from, "Latent row of map A");
  sub->add_option("--to", o->to, "Latent row of map B");
  sub->add_option("--steps", o->steps, "Maps along the line, ends included")->check(CLI::Range(std::int64_t{2}, std::int64_t{1000}));
  sub->add_option("--resolution", o->resolution, "HxW (default: the model's grid)")->check(size_validator());
  sub->add_option("--out", o->out, "Output .npy (steps, 1, H, W), m/s")->required();
  sub->add_option("--png", o->png, "Also write the maps side by side as a PNG strip");
  add_threads_option(sub, o->threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    io::check_outputs({o->model}, {{o->out, io::FileKind::npy}, {o->png, io::FileKind::png}}, o->force);
    set_threads(o->threads);
    const model::LoadedModel m = model::load_model(o->model);
    std::int64_t h = 0, w = 0;
    if (!o->resolution.empty()) parse_size(o->resolution, "--resolution", h, w);
    eval::Interpolation r = eval::interpolate(m, o->from, o->to, o->steps, h, w);
    io::write_velocity_npy(o->out, r.maps);
    std::printf("| alpha | MSE to A | MSE to B |\n| --- | --- | --- |\n");
    for (std::size_t k = 0; k < r.alpha.size(); ++k) std::printf("| %.3f | %.3e | %.3e |\n", r.alpha[k], r.mse_to_a[k], r.mse_to_b[k]);
    std::printf("(MSE in normalised units against the decoded end maps)\n");
    if (!o->png.empty()) report::write_png(o->png, report::strip(r.maps, 2));
  });
}

}  // namespace seisinr::cli
