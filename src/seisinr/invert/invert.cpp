// seisinr/invert/invert.cpp — see invert.h.
#include "seisinr/invert/invert.h"

#include <torch/optim/lbfgs.h>
#include <torch/types.h>
#include <torch/utils.h>  // NoGradGuard

#include <algorithm>
#include <chrono>
#include <limits>

#include "seisinr/error.h"
#include "seisinr/interrupt.h"
#include "seisinr/optim/adam.h"
#include "seisinr/encode/code_init.h"
#include "seisinr/encode/encoder.h"
#include "seisinr/wave/gradient.h"
#include "seisinr/codec/normalisation.h"

namespace seisinr::invert {


namespace {

// The decoder's parameters take no gradient while one of these lives.
class FrozenDecoder {
 public:
  explicit FrozenDecoder(const model::SirenDecoder& d) : d_(d) {
    for (auto& p : d_.parameters()) was_.push_back(p.requires_grad()), p.set_requires_grad(false);
  }
  ~FrozenDecoder() {
    std::size_t k = 0;
    for (auto& p : d_.parameters()) p.set_requires_grad(was_[k++]);
  }

 private:
  const model::SirenDecoder& d_;
  std::vector<bool> was_;
};

// An objective over a parameter tensor: J and ∂J/∂param (written into param's grad), and the
// speeds it evaluated.
using Objective = std::function<double(const torch::Tensor& param, std::vector<float>& v)>;

struct Driver {
  Driver(const InvertOptions& opts, const std::function<void(const IterationReport&, const std::vector<float>&)>& report)
      : o(opts), progress(report) {}
  const InvertOptions& o;
  const std::function<void(const IterationReport&, const std::vector<float>&)>& progress;
  std::int64_t evals = 0;
  double best = std::numeric_limits<double>::infinity();
  std::vector<float> best_v, last_v;
  torch::Tensor best_param;  // the parameter that gave best_v

  // One gradient evaluation, reported.
  double eval(const Objective& f, const torch::Tensor& param) {
    throw_if_stop_requested("invert");
    const auto t0 = std::chrono::steady_clock::now();
    const double j = f(param, last_v);
    if (j < best) best = j, best_v = last_v, best_param = param.detach().clone();
    IterationReport r;
    r.iter = evals++;
    r.misfit = j;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (progress) progress(r, last_v);
    return j;
  }

  struct Budget {};  // thrown by the L-BFGS closure when the evaluations are spent

  // Runs the optimiser on `param` (requires_grad); returns the model to keep, and into `kept`
  // (may be null) the parameter it came from.
  std::vector<float> run(const Objective& f, torch::Tensor param, double adam_lr, const std::function<std::vector<float>(const torch::Tensor&)>& speeds,
                         torch::Tensor* kept = nullptr) {
    if (o.optimizer == Optimizer::adam) {
      optim::Adam adam({{{param}, adam_lr}});
      for (std::int64_t it = 0; it < o.iters; ++it) {
        adam.zero_grad();
        eval(f, param);
        adam.step();
      }
      torch::NoGradGuard ng;
      if (kept) *kept = param.detach().clone();
      return speeds(param.detach());
    }
    torch::optim::LBFGSOptions lo(1.0);
    lo.max_iter(static_cast<int>(o.iters)).max_eval(static_cast<int>(o.iters) + 1).history_size(10).line_search_fn("strong_wolfe");
    lo.tolerance_grad(0).tolerance_change(0);
    torch::optim::LBFGS opt({param}, lo);
    auto closure = [&]() -> torch::Tensor {
      if (evals >= o.iters) throw Budget{};
      opt.zero_grad();
      return torch::tensor(eval(f, param), torch::kDouble);
    };
    try {
      while (evals < o.iters) {
        const std::int64_t before = evals;
        opt.step(closure);
        if (evals == before) break;
      }
    } catch (const Budget&) {
    }
    if (kept) *kept = best_v.empty() ? param.detach().clone() : best_param;
    return best_v.empty() ? speeds(param.detach()) : best_v;
  }
};

}  // namespace

torch::Tensor start_code(const model::LoadedModel& model, const std::vector<float>& start, std::int64_t nz, std::int64_t nx) {
  const codec::Normalisation norm{model.vmin, model.vmax};
  torch::Tensor t = torch::empty({1, nz * nx});
  float* p = t.data_ptr<float>();
  for (std::int64_t i = 0; i < nz * nx; ++i) p[i] = norm.to_unit(start[static_cast<std::size_t>(i)]);
  const model::SirenDecoder& dec = *model.decoder;
  const torch::Tensor first = encode::initial_codes(dec, model.latents, t, nz, nx, encode::EncodeInit::automatic);
  const torch::Tensor s = dec.options().linear_path && model.latents.size(0) > 1 ? encode::code_spread(model.latents) : torch::Tensor();
  return encode::encode_maps(dec, t, nz, nx, first, encode::EncodeOptions{}, nullptr, s)[0].detach().clone();
}

torch::Tensor code_speeds(const model::LoadedModel& m, const torch::Tensor& Z, std::int64_t nz, std::int64_t nx, const InvertOptions& o) {
  const double half = codec::Normalisation{m.vmin, m.vmax}.half_span_f64();
  const torch::Tensor vn = m.decoder->forward(model::make_grid(nz, nx), Z.to(torch::kFloat)).reshape({Z.size(0), nz * nx});
  return ((vn + 1) * half + m.vmin).clamp(o.vmin, o.vmax);
}

namespace {

// V(z) as a (P) float32 tensor (with autograd through z when z requires it).
torch::Tensor decode_speeds(const model::LoadedModel& m, const torch::Tensor& z, std::int64_t nz, std::int64_t nx, const InvertOptions& o) {
  return code_speeds(m, z.reshape({1, -1}), nz, nx, o).reshape({nz * nx});
}

void latent_speeds(const model::LoadedModel& m, const torch::Tensor& z, std::int64_t nz, std::int64_t nx, const InvertOptions& o,
                   std::vector<float>& v) {
  torch::NoGradGuard ng;
  const torch::Tensor t = decode_speeds(m, z, nz, nx, o).contiguous();
  v.assign(t.data_ptr<float>(), t.data_ptr<float>() + nz * nx);
}

}  // namespace

double latent_misfit(const model::LoadedModel& model, const torch::Tensor& z, std::int64_t nz, std::int64_t nx, const wave::Acquisition& a,
                     const float* observed, const InvertOptions& o, torch::Tensor* grad, std::vector<float>* v,
                     wave::GradientWorkspace* workspace) {
  const FrozenDecoder frozen(*model.decoder);
  const torch::Tensor leaf = z.detach().to(torch::kFloat).clone().set_requires_grad(grad != nullptr);
  const torch::Tensor vt = decode_speeds(model, leaf, nz, nx, o);
  const torch::Tensor vc = vt.detach().contiguous();
  std::vector<float> speeds(vc.data_ptr<float>(), vc.data_ptr<float>() + nz * nx), g(grad ? speeds.size() : 0);
  wave::GradientOptions go;
  go.threads = o.threads, go.workspace = workspace;
  const double j = wave::misfit_gradient(speeds.data(), nz, nx, a, observed, grad ? g.data() : nullptr, go);
  if (grad) {
    vt.backward(torch::from_blob(g.data(), {nz * nx}, torch::kFloat).clone());  // (∂V/∂z)ᵀ ∇_v J
    *grad = leaf.grad().detach().clone();
  }
  if (v) *v = std::move(speeds);
  return j;
}

std::vector<float> invert_map(const wave::Acquisition& acq, const float* observed, const std::vector<float>& start, std::int64_t nz,
                              std::int64_t nx, const model::LoadedModel* model, const InvertOptions& o,
                              const std::function<void(const IterationReport&, const std::vector<float>&)>& progress,
                              torch::Tensor* answer) {
  if (static_cast<std::int64_t>(start.size()) != nz * nx) throw Error("invert: the starting model has the wrong size");
  if (o.iters < 0 || !(o.vmin > 0) || !(o.vmax > o.vmin)) throw Error("invert: bad options (iters, vmin, vmax)");
  wave::Acquisition a = acq;
  wave::hold_boundary_speed(a, start.data(), nz * nx);
  if (o.space == Space::grid && o.optimizer == Optimizer::adam) {
    GridOptions g;
    g.iters = o.iters, g.lr = o.grid_lr, g.smooth_sigma = o.smooth_sigma, g.vmin = o.vmin, g.vmax = o.vmax, g.threads = o.threads;
    return invert_grid(start, nz, nx, a, observed, g, progress);
  }
  wave::GradientWorkspace workspace;  // the gradient's buffers, made once for all evaluations
  wave::GradientOptions go;
  go.threads = o.threads, go.workspace = &workspace;
  const std::int64_t P = nz * nx;
  std::vector<float> grad(static_cast<std::size_t>(P));
  Driver driver(o, progress);
  const float lo = static_cast<float>(o.vmin), hi = static_cast<float>(o.vmax);

  if (o.space == Space::grid) {  // L-BFGS on normalised cells
    const float half = (hi - lo) / 2;
    torch::Tensor p = torch::empty({P}, torch::kDouble);
    double* pp = p.data_ptr<double>();
    for (std::int64_t i = 0; i < P; ++i) pp[i] = std::clamp((start[static_cast<std::size_t>(i)] - lo) / half - 1.0f, -1.0f, 1.0f);
    p.set_requires_grad(true);
    auto speeds = [&](const torch::Tensor& q) {
      std::vector<float> v(static_cast<std::size_t>(P));
      const auto qa = q.accessor<double, 1>();
      for (std::int64_t i = 0; i < P; ++i) v[static_cast<std::size_t>(i)] = lo + (static_cast<float>(std::clamp(qa[i], -1.0, 1.0)) + 1) * half;
      return v;
    };
    const Objective f = [&](const torch::Tensor& q, std::vector<float>& v) {
      v = speeds(q.detach());
      const double j = wave::misfit_gradient(v.data(), nz, nx, a, observed, grad.data(), go);
      if (o.smooth_sigma > 0) grad = gaussian_smooth(grad, nz, nx, o.smooth_sigma);
      torch::Tensor g = torch::empty({P}, torch::kDouble);
      const torch::Tensor qd = q.detach();
      const auto qa = qd.accessor<double, 1>();
      double* gp = g.data_ptr<double>();
      for (std::int64_t i = 0; i < P; ++i) gp[i] = std::abs(qa[i]) < 1.0 ? static_cast<double>(grad[static_cast<std::size_t>(i)]) * half : 0.0;
      q.mutable_grad() = g;
      return j;
    };
    return driver.run(f, p, 0, speeds);
  }

  if (!model) throw Error("invert: latent space needs a model (--model)");
  if (model->height != nz || model->width != nx)
    throw Error("invert: the model decodes " + std::to_string(model->height) + "x" + std::to_string(model->width) + " maps; the data's grid is " +
                std::to_string(nz) + "x" + std::to_string(nx));
  const model::SirenDecoder& dec = *model->decoder;
  const std::int64_t d = dec.options().latent_dim;
  const torch::Tensor z0 = start_code(*model, start, nz, nx).reshape({d});
  const torch::Tensor s = dec.options().linear_path && model->latents.size(0) > 1 ? encode::code_spread(model->latents).to(torch::kFloat).reshape({d})
                                                                                    : torch::ones({d});
  auto speeds = [&](const torch::Tensor& u) {
    std::vector<float> v;
    latent_speeds(*model, z0 + s * u.to(torch::kFloat), nz, nx, o, v);
    return v;
  };
  const Objective f = [&](const torch::Tensor& u, std::vector<float>& v) {
    torch::Tensor gz;
    const double j = latent_misfit(*model, z0 + s * u.detach().to(torch::kFloat), nz, nx, a, observed, o, &gz, &v, &workspace);
    u.mutable_grad() = (gz * s).to(u.scalar_type());  // z = z0 + s ⊙ u
    return j;
  };
  torch::Tensor u = torch::zeros({d}, o.optimizer == Optimizer::lbfgs ? torch::kDouble : torch::kFloat);
  u.set_requires_grad(true);
  torch::Tensor kept;
  std::vector<float> result = driver.run(f, u, o.latent_lr, speeds, &kept);
  if (answer) *answer = (z0 + s * kept.to(torch::kFloat)).detach().clone();
  return result;
}

}  // namespace seisinr::invert
