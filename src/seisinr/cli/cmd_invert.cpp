// seisinr invert — full-waveform inversion of shot gathers, in a decoder's latent space or on
// the cells (invert/run.h holds the policy; this file only maps options onto it).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/seisinr.h"
#include "seisinr/threads.h"
#include "seisinr/wave/acquisition.h"

namespace seisinr::cli {

void add_invert(CLI::App* sub) {
  struct Opts {
    InversionOptions run;
    std::string sigma = "residual";
    double noise = 0;
  };
  auto o = std::make_shared<Opts>();
  InversionOptions& r = o->run;
  sub->add_option("--data", r.data, "Observed shot gathers (.npy, (N, sources, nt, receivers) as `seisinr forward` writes)")
      ->required()
      ->check(CLI::ExistingFile);
  sub->add_option("--model", r.model, "Trained model (.sinr): the decoder of latent space, and the mean/nearest starts")->check(CLI::ExistingFile);
  add_named_option(sub, "--space", r.invert.space, "latent (optimise the map's code through the frozen decoder) | grid (optimise the cells)");
  sub->add_option("--init", r.init,
                  "Start: mean (of the model's trained maps) | nearest (trained map closest in data; one forward solve per candidate) | "
                  "smooth:SIGMA (the --truth maps blurred by SIGMA cells) | FILE (.npy, one map or one per map)");
  sub->add_option("--family", r.family, "mean/nearest: only the model's trained maps of this family");
  sub->add_option("--iters", r.invert.iters, "Gradient evaluations per map (one forward and one adjoint solve each)")->check(CLI::NonNegativeNumber);
  add_named_option(sub, "--optimizer", r.invert.optimizer, "lbfgs: strong-Wolfe line search");
  sub->add_option("--lr", r.invert.grid_lr, "Adam step, grid space (m/s)")->check(finite_positive());
  sub->add_option("--latent-lr", r.invert.latent_lr, "Adam step, latent space (in units of each code's spread over the trained maps)")
      ->check(finite_positive());
  sub->add_option("--smooth", r.invert.smooth_sigma, "Grid space: Gaussian smoothing of the gradient (cells); 0 = none")->check(finite_non_negative());
  sub->add_option("--vmin", r.invert.vmin, "Speeds are held in [vmin, vmax] (m/s)")->check(finite_positive());
  sub->add_option("--vmax", r.invert.vmax, "Speeds are held in [vmin, vmax] (m/s)")->check(finite_positive());
  auto* noise = sub->add_option("--noise-snr", o->noise, "Add Gaussian noise to the gathers at this SNR (dB) before inverting")
                   ->default_str("none");
  sub->add_option("--seed", r.seed, "Seed of the noise (map i uses seed + i)");
  sub->add_option("--truth", r.truth, "True maps (.npy): PSNR/SSIM per iteration, and the smooth:SIGMA start")->check(CLI::ExistingFile);
  sub->add_option("--acquisition", r.acquisition, "openfwi (OpenFWI's survey) or a survey JSON (docs/fwi.md)")
      ->check(CLI::IsMember({wave::kOpenFwiSurvey}) | CLI::ExistingFile);
  sub->add_option("--boundary", r.boundary, wave::kBoundaryHelp);
  sub->add_option("--threads", r.threads, "Threads (maps in parallel, or one map's shots), 0 = all cores")->check(CLI::NonNegativeNumber);
  sub->add_option("--out", r.out, "Recovered maps (.npy, (N, 1, H, W))")->required();
  sub->add_option("--log", r.log, "Per-iteration log (JSON lines); default: OUT without .npy + .log.jsonl");
  add_named_option(sub, "--uncertainty", r.uncertainty.method,
                   "laplace (Gauss-Newton posterior of the code) | ensemble (inversions from perturbed starts and noise): "
                   "writes STEM.mean.npy, STEM.std.npy, STEM.samples.npy beside --out (docs/fwi.md)");
  sub->add_option("--samples", r.uncertainty.samples, "laplace: posterior maps decoded per map")->capture_default_str();
  sub->add_option("--rank", r.uncertainty.rank, "laplace: rank of the data's Hessian in code space (0 = exact: one Born solve per code number)")
      ->capture_default_str();
  sub->add_option("--members", r.uncertainty.members, "ensemble: inversions per map")->capture_default_str();
  sub->add_option("--sigma", o->sigma,
                  "The gathers' noise standard deviation: residual (from the inversion's misfit) | snr (the noise --noise-snr adds) | a value")
      ->check(CLI::IsMember(names_of<invert::SigmaSource>()) | finite_positive())
      ->capture_default_str();
  add_force_option(sub, r.force);
  sub->callback([o, noise] {
    keep_freed_memory();  // the gradient allocates ~400 MB of wavefields per shot and evaluation
    InversionOptions run = o->run;
    if (noise->count() > 0 && !std::isfinite(o->noise)) throw CLI::ValidationError("--noise-snr: not a finite number of dB");
    if (noise->count() > 0) run.noise_snr = o->noise;
    if (const auto from = find_name<invert::SigmaSource>(o->sigma))
      run.sigma_from_snr = *from == invert::SigmaSource::snr;
    else
      run.uncertainty.sigma = std::stod(o->sigma);  // checked above: finite and positive
    const nlohmann::json s = invert_data(run, &std::cerr);
    for (const auto& m : s.at("maps")) {
      std::printf("map %lld: misfit %.4g -> %.4g", static_cast<long long>(m.at("map").get<std::int64_t>()), m.value("misfit_start", 0.0),
                  m.value("misfit", 0.0));
      if (m.contains("psnr"))
        std::printf(", PSNR %.2f -> %.2f dB, SSIM %.3f -> %.3f", m.at("start_psnr").get<double>(), m.at("psnr").get<double>(),
                    m.at("start_ssim").get<double>(), m.at("ssim").get<double>());
      std::printf(" (%.1f s)\n", m.at("seconds").get<double>());
    }
    std::printf("%s, %s\n", s.at("out").get<std::string>().c_str(), s.at("log").get<std::string>().c_str());
  });
}

}  // namespace seisinr::cli
