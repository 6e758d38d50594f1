// seisinr/invert/grid.cpp — see grid.h.
#include "seisinr/invert/grid.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "seisinr/error.h"
#include "seisinr/wave/gradient.h"

namespace seisinr::invert {

std::vector<float> gaussian_smooth(const std::vector<float>& f, std::int64_t nz, std::int64_t nx, double sigma) {
  if (sigma <= 0) return f;
  const auto r = static_cast<std::int64_t>(std::ceil(3 * sigma));
  std::vector<double> k(static_cast<std::size_t>(2 * r + 1));
  double sum = 0;
  for (std::int64_t i = -r; i <= r; ++i) sum += k[static_cast<std::size_t>(i + r)] = std::exp(-0.5 * static_cast<double>(i * i) / (sigma * sigma));
  for (auto& e : k) e /= sum;
  std::vector<float> tmp(f.size()), out(f.size());
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t x = 0; x < nx; ++x) {
      double s = 0;
      for (std::int64_t i = -r; i <= r; ++i) s += k[static_cast<std::size_t>(i + r)] * f[static_cast<std::size_t>(z * nx + std::clamp<std::int64_t>(x + i, 0, nx - 1))];
      tmp[static_cast<std::size_t>(z * nx + x)] = static_cast<float>(s);
    }
  for (std::int64_t z = 0; z < nz; ++z)
    for (std::int64_t x = 0; x < nx; ++x) {
      double s = 0;
      for (std::int64_t i = -r; i <= r; ++i) s += k[static_cast<std::size_t>(i + r)] * tmp[static_cast<std::size_t>(std::clamp<std::int64_t>(z + i, 0, nz - 1) * nx + x)];
      out[static_cast<std::size_t>(z * nx + x)] = static_cast<float>(s);
    }
  return out;
}

std::vector<float> invert_grid(const std::vector<float>& v0, std::int64_t nz, std::int64_t nx, const wave::Acquisition& acq,
                               const float* observed, const GridOptions& o,
                               const std::function<void(const IterationReport&, const std::vector<float>&)>& progress) {
  if (static_cast<std::int64_t>(v0.size()) != nz * nx) throw Error("invert: the starting model has the wrong size");
  if (!(o.lr > 0) || o.iters < 0 || !(o.vmin > 0) || !(o.vmax > o.vmin)) throw Error("invert: bad options (lr, iters, vmin, vmax)");
  wave::Acquisition a = acq;
  wave::hold_boundary_speed(a, v0.data(), nz * nx);
  std::vector<float> v = v0, g(v0.size());
  std::vector<double> m(v0.size(), 0.0), s(v0.size(), 0.0);
  const double b1 = 0.9, b2 = 0.999, eps = 1e-8;
  wave::GradientWorkspace workspace;  // the gradient's buffers, made once for all steps
  wave::GradientOptions go;
  go.threads = o.threads, go.workspace = &workspace;
  for (std::int64_t it = 0; it < o.iters; ++it) {
    const auto t0 = std::chrono::steady_clock::now();
    IterationReport rep;
    rep.iter = it;
    rep.misfit = wave::misfit_gradient(v.data(), nz, nx, a, observed, g.data(), go);
    if (o.smooth_sigma > 0) g = gaussian_smooth(g, nz, nx, o.smooth_sigma);
    const double c1 = 1 - std::pow(b1, static_cast<double>(it + 1)), c2 = 1 - std::pow(b2, static_cast<double>(it + 1));
    for (std::size_t k = 0; k < v.size(); ++k) {
      m[k] = b1 * m[k] + (1 - b1) * g[k];
      s[k] = b2 * s[k] + (1 - b2) * static_cast<double>(g[k]) * g[k];
      const double step = o.lr * (m[k] / c1) / (std::sqrt(s[k] / c2) + eps);
      v[k] = static_cast<float>(std::clamp(static_cast<double>(v[k]) - step, o.vmin, o.vmax));
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (progress) progress(rep, v);
  }
  return v;
}

}  // namespace seisinr::invert
