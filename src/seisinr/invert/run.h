// seisinr/invert/run.h — `seisinr invert` as a library call: shot-gather files in, velocity maps
// and a log out (issue 16). Torch.
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
// interrupted or failed run leaves no partial file.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "seisinr/invert/invert.h"

namespace seisinr::invert {

struct RunOptions {
  std::string data;         // observed gathers (.npy)
  std::string model;        // .sinr (latent space; mean and nearest starts)
  std::string truth;        // true maps (.npy): smooth:S start and the PSNR/SSIM per iteration
  std::string init = "mean";
  std::string family;       // mean/nearest: only the trained maps of this family
  std::string acquisition = "openfwi";  // survey JSON, or "openfwi" (wave/acquisition.h)
  std::string boundary;     // empty: the survey's; else wave::set_boundary's "cpml[:W]" / "damping[:W]"
  std::optional<double> noise_snr;  // dB
  std::uint64_t seed = 0;
  InvertOptions invert;     // its threads: 0 = all cores
  std::int64_t threads = 0;
  std::string out, log;     // log empty = OUT without .npy + ".log.jsonl"
  bool force = false;
};

// Runs the inversion; returns a summary {maps: [{map, misfit_start, misfit, psnr, ssim,
// seconds, ...}], ...}.
nlohmann::json run_inversion(const RunOptions& o, std::ostream& progress_out);

// Gaussian noise at `snr_db` added to `n` values (SNR = 10 log10(mean d² / σ²)).
void add_noise(float* d, std::size_t n, double snr_db, std::uint64_t seed);

}  // namespace seisinr::invert
