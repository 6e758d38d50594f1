// seisinr/invert/options.h — the settings of `seisinr invert` (invert/invert.h, invert/run.h,
// invert/uncertainty.h state what they do), each with its one default. Torch-free: the public
// API (seisinr.h) names them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "seisinr/names.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::invert {

enum class Space { grid, latent };
enum class Optimizer { adam, lbfgs };
// How sure the answer is (invert/uncertainty.h).
enum class UncertaintyMethod { none, laplace, ensemble };
// Where the posterior's noise level σ comes from when no value is given (`--sigma`).
enum class SigmaSource { residual, snr };

}  // namespace seisinr::invert

// The words of each (seisinr/names.h): flags, Python, the log.
template <>
struct seisinr::Names<seisinr::invert::Space> {
  static constexpr const char* what = "--space";
  static constexpr NamedValue<invert::Space> table[] = {{invert::Space::latent, "latent"}, {invert::Space::grid, "grid"}};
};
template <>
struct seisinr::Names<seisinr::invert::Optimizer> {
  static constexpr const char* what = "--optimizer";
  static constexpr NamedValue<invert::Optimizer> table[] = {{invert::Optimizer::adam, "adam"}, {invert::Optimizer::lbfgs, "lbfgs"}};
};
template <>
struct seisinr::Names<seisinr::invert::UncertaintyMethod> {
  static constexpr const char* what = "--uncertainty";
  static constexpr NamedValue<invert::UncertaintyMethod> table[] = {{invert::UncertaintyMethod::none, "none"},
                                                                    {invert::UncertaintyMethod::laplace, "laplace"},
                                                                    {invert::UncertaintyMethod::ensemble, "ensemble"}};
};

template <>
struct seisinr::Names<seisinr::invert::SigmaSource> {
  static constexpr const char* what = "--sigma";
  static constexpr NamedValue<invert::SigmaSource> table[] = {{invert::SigmaSource::residual, "residual"}, {invert::SigmaSource::snr, "snr"}};
};

namespace seisinr::invert {

// Parsing and printing through the tables above; a bad word is a usage error naming the choices.
inline Space parse_space(const std::string& text) { return parse_name<Space>(text, "invert: "); }
inline Optimizer parse_optimizer(const std::string& text) { return parse_name<Optimizer>(text, "invert: "); }
inline UncertaintyMethod parse_uncertainty(const std::string& text) { return parse_name<UncertaintyMethod>(text, "invert: "); }
inline const char* to_string(Space s) { return name_of(s); }
inline const char* to_string(Optimizer o) { return name_of(o); }
inline const char* to_string(UncertaintyMethod m) { return name_of(m); }

struct InvertOptions {
  Space space = Space::latent;
  Optimizer optimizer = Optimizer::lbfgs;  // measured in docs/fwi.md
  std::int64_t iters = 20;          // gradient evaluations
  double grid_lr = 20;              // Adam, grid: m/s per step
  double latent_lr = 0.05;          // Adam, latent: per step, in units of each code's spread
  double smooth_sigma = 0;          // grid: Gaussian smoothing of the gradient (cells); 0 = none
  double vmin = codec::kDefaultVmin, vmax = codec::kDefaultVmax;  // [lo, hi]: speeds are held in this range
  int threads = 1;                  // shots in parallel
};

struct UncertaintyOptions {
  UncertaintyMethod method = UncertaintyMethod::none;
  std::int64_t samples = 16;  // posterior maps decoded per map (laplace)
  std::int64_t rank = 16;     // laplace: rank of H̃; 0 = exact (one Born solve per code number); measured in docs/fwi.md
  std::int64_t members = 6;   // ensemble: inversions per map
  double sigma = 0;           // noise standard deviation of the gathers; 0 = from the residual
  std::string family;         // the prior's family (empty: all trained maps)
  std::uint64_t seed = 0;
};

// `seisinr invert` as a library call (invert/run.h).
struct RunOptions {
  std::string data;         // observed gathers (.npy)
  std::string model;        // .sinr (latent space; mean and nearest starts)
  std::string truth;        // true maps (.npy): smooth:S start and the PSNR/SSIM per iteration
  std::string init = "mean";
  std::string family;       // mean/nearest: only the trained maps of this family
  std::string acquisition = "openfwi";  // survey JSON, or "openfwi" (wave/acquisition.h)
  std::string boundary;     // empty: the survey's; else wave::set_boundary's "cpml[:W]" / "damping[:W]"
  std::optional<double> noise_snr;  // dB
  UncertaintyOptions uncertainty;   // its family: `family` when empty
  bool sigma_from_snr = false;      // the posterior's σ: the noise --noise-snr added (needs noise_snr)
  std::uint64_t seed = 0;
  InvertOptions invert;     // its threads: 0 = all cores
  std::int64_t threads = 0;
  std::string out, log;     // log empty = OUT without .npy + ".log.jsonl"
  bool force = false;
};

}  // namespace seisinr::invert
