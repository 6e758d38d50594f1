// seisinr/model/code_density.h — which density `seisinr sample` draws a family's new codes from
// (model/sampler.h states both), with its defaults. Torch-free: the public API names it.
#pragma once

#include <cmath>
#include <string>

#include "seisinr/error.h"
#include "seisinr/names.h"

namespace seisinr::model {

//   gaussian: N(μ, Σ_λ), the trained codes' mean and Ledoit–Wolf-shrunk covariance;
//   kernel:   a mixture of n Gaussians N(z_k, h² S), one at each trained code z_k, S the codes'
//             sample covariance and h the bandwidth (a kernel density estimate).
enum class DensityKind { gaussian, kernel };

struct DensityOptions {
  // The defaults, measured in docs/fwi.md ("New maps"): the kernel density at h = 0.5 (chosen on
  // real maps apart from those the table reports) draws maps nearer to real ones than the Gaussian.
  DensityKind kind = DensityKind::kernel;
  double bandwidth = 0.5;  // h (kernel only): the spread around each trained code, in units of S's

  // Throws (usage) on a bandwidth that is not a finite number above 0.
  void validate() const {
    if (!(std::isfinite(bandwidth) && bandwidth > 0))
      throw Error("--bandwidth " + std::to_string(bandwidth) + ": give a finite number above 0", ErrorKind::usage);
  }
};

}  // namespace seisinr::model

template <>
struct seisinr::Names<seisinr::model::DensityKind> {
  static constexpr const char* what = "--density";
  static constexpr NamedValue<model::DensityKind> table[] = {{model::DensityKind::kernel, "kernel"},
                                                             {model::DensityKind::gaussian, "gaussian"}};
};
