// seisinr/encode/options.h — the settings of encoding new maps with a frozen decoder
// (encode/encoder.h has the method). Torch-free: the public API (seisinr.h) uses it as is.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "seisinr/error.h"
#include "seisinr/fields.h"
#include "seisinr/names.h"

namespace seisinr::encode {

// Where a new map's code starts (EncodeOptions::init; measured: docs/codec.md, docs/fidelity.md).
enum class EncodeInit {
  automatic,  // "auto": project with a linear path, else nearest
  project,    // least squares through the decoder's linear path
  mean,       // the mean of the trained codes
  zero,       // the zero code
  nearest,    // the trained code whose decoded map is closest on a coarse grid
};

struct EncodeOptions {
  std::int64_t steps = 200;   // Adam steps per map
  double lr = 1e-2;           // Adam learning rate on the codes
  double lambda = 1e-4;       // weight of ‖z‖²
  std::int64_t batch = 64;    // maps per batch
  std::int64_t points = 256;  // random points per map per step (fresh each step); 0 = all
  bool amp = true;             // bf16 products: ~3x faster here, and the code is refined by Adam anyway
  EncodeInit init = EncodeInit::automatic;
  double target_psnr = 0;      // dB; 0 = always run `steps`
  std::int64_t check_every = 50;

  // Throws a usage error starting with `who` and naming the field: steps 0..10^7, lr finite and
  // above 0, lambda finite and not negative, batch 1..10^6, points 0..2^31 (0 = all), init one
  // of EncodeInit's values, target_psnr finite and not negative, check_every not negative.
  void validate(const std::string& who) const {
    auto bad = [&](const std::string& what) { return Error(who + ": " + what, ErrorKind::usage); };
    if (steps < 0 || steps > 10'000'000) throw bad("encode steps " + std::to_string(steps) + ": give 0 to 10,000,000");
    if (!(std::isfinite(lr) && lr > 0)) throw bad("encode lr " + std::to_string(lr) + ": give a finite number above 0");
    if (!(std::isfinite(lambda) && lambda >= 0)) throw bad("encode lambda " + std::to_string(lambda) + ": give a finite number, 0 or more");
    if (batch < 1 || batch > 1'000'000) throw bad("encode batch " + std::to_string(batch) + ": give 1 to 1,000,000 maps");
    if (points < 0 || points > (std::int64_t{1} << 31)) throw bad("encode points " + std::to_string(points) + ": give 0 (all) to 2^31");
    if (!is_named(init)) throw bad("encode init " + std::to_string(static_cast<int>(init)) + ": not one of " + choices_text<EncodeInit>());
    if (!(std::isfinite(target_psnr) && target_psnr >= 0)) throw bad("encode target_psnr " + std::to_string(target_psnr) + ": give a finite number, 0 or more");
    if (check_every < 0) throw bad("encode check_every " + std::to_string(check_every) + ": give 0 or more");
  }

  // Each field's name, flag and help (seisinr/fields.h): the CLI's flags and Python's properties.
  template <class Visit>
  static void fields(Visit&& v) {
    using E = EncodeOptions;
    v(field(&E::steps, "steps", "--encode-steps", "Adam steps per new map"));
    v(field(&E::lr, "lr", "--encode-lr", "Adam learning rate for new maps' codes", Takes::finite_positive));
    v(field(&E::lambda, "lambda_", nullptr, "Weight of the codes' squared norm"));
    v(field(&E::batch, "batch", nullptr, "Maps per batch"));
    v(field(&E::points, "points", "--encode-points", "Random points per new map per step, 0 = all"));
    v(field(&E::amp, "amp", nullptr, "bf16 products"));
    v(field(&E::init, "init", "--init",
            "Starting code of a new map: auto (project with a linear path, else nearest) | project (least squares through the "
            "linear path) | mean | zero | nearest (trained code with the closest decoded map)"));
    v(field(&E::target_psnr, "target_psnr", "--target-psnr", "Stop a map's encoding once it reaches this PSNR (dB); 0 = run every step",
            Takes::finite_non_negative));
    v(field(&E::check_every, "check_every", nullptr, "Steps between target checks"));
  }
};

}  // namespace seisinr::encode

template <>
struct seisinr::Names<seisinr::encode::EncodeInit> {
  static constexpr const char* what = "init";
  static constexpr NamedValue<encode::EncodeInit> table[] = {{encode::EncodeInit::automatic, "auto"},
                                                             {encode::EncodeInit::project, "project"},
                                                             {encode::EncodeInit::mean, "mean"},
                                                             {encode::EncodeInit::zero, "zero"},
                                                             {encode::EncodeInit::nearest, "nearest"}};
};
