// seisinr/invert/run.h — `seisinr invert` as a library call: shot-gather files in, velocity maps
// and a log out (issue 16). Torch-free header (options in invert/options.h).
//
// Reads the gathers (N, sources, nt, receivers) — or one map's (sources, nt, receivers) — and
// refuses, before any work and naming the file, a shape that does not match the survey. Each map
// starts from (`init`):
//   mean         the mean of the model's trained maps (of `family` when given), decoded
//   nearest      the trained map (of `family`) whose simulated gathers are closest to the
//                observed ones: one forward solve per candidate, shared by all maps
//   smooth:S     the true map (`truth`) blurred by a Gaussian of S cells, the literature's start
//   FILE         maps from a .npy: one for all, or one per map
// With noise_snr, Gaussian noise of power P_signal / 10^(SNR/10) (per map, seeded) is added to
// the gathers first. Maps run in parallel, one per thread, when there are several. Every
// gradient evaluation is reported (misfit; PSNR and SSIM against `truth` when given) and logged
// as one JSON line; the maps (N, 1, nz, nx) and the log are written atomically at the end, so an
// interrupted or failed run leaves no partial file. With an uncertainty method (latent space,
// invert/uncertainty.h) each map's posterior follows its inversion, and STEM.mean.npy,
// STEM.std.npy (N, 1, nz, nx) and STEM.samples.npy (N, K, nz, nx) are written beside OUT (STEM =
// OUT without .npy), the posterior's figures (σ, log-evidence, each sample's misfit) in the log.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "seisinr/invert/options.h"

namespace seisinr::invert {

// Runs the inversion; returns a summary {maps: [{map, misfit_start, misfit, psnr, ssim,
// seconds, ...}], ...}.
nlohmann::json run_inversion(const RunOptions& o, std::ostream& progress_out);

// Gaussian noise at `snr_db` added to `n` values (SNR = 10 log10(mean d² / σ²)); returns σ.
double add_noise(float* d, std::size_t n, double snr_db, std::uint64_t seed);

// STEM.mean.npy, STEM.std.npy, STEM.samples.npy for OUT (STEM = OUT without .npy).
std::string posterior_path(const std::string& out, const std::string& what);

}  // namespace seisinr::invert
