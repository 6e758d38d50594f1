// seisinr/model/portable_decoder.cpp — see portable_decoder.h. Compiled with -ffp-contract=off.
#include "seisinr/model/portable_decoder.h"

#include "seisinr/model/decoder_tensors.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "seisinr/error.h"
#include "seisinr/model/refiner.h"

namespace seisinr::model {

namespace {

// π/2 split for Cody–Waite reduction: kPio2Hi has 33 significant bits, so n·kPio2Hi is exact
// for |n| < 2^20; kPio2Lo is the rest of π/2 to double precision (fdlibm's pio2_1, pio2_1t).
constexpr double kPio2Hi = 1.57079632673412561417e+00;
constexpr double kPio2Lo = 6.07710050650619224932e-11;
constexpr double kTwoOverPi = 6.36619772367581382433e-01;

// Taylor series on |r| ≤ π/4 (+ a hair): truncation error below 1e-16 for both.
double sin_poly(double r) {
  const double r2 = r * r;
  double p = -1.0 / 1307674368000.0;  // −1/15!
  p = p * r2 + 1.0 / 6227020800.0;     // 1/13!
  p = p * r2 - 1.0 / 39916800.0;       // −1/11!
  p = p * r2 + 1.0 / 362880.0;         // 1/9!
  p = p * r2 - 1.0 / 5040.0;           // −1/7!
  p = p * r2 + 1.0 / 120.0;            // 1/5!
  p = p * r2 - 1.0 / 6.0;              // −1/3!
  return r + r * r2 * p;
}

double cos_poly(double r) {
  const double r2 = r * r;
  double p = 1.0 / 20922789888000.0;  // 1/16!
  p = p * r2 - 1.0 / 87178291200.0;    // −1/14!
  p = p * r2 + 1.0 / 479001600.0;      // 1/12!
  p = p * r2 - 1.0 / 3628800.0;        // −1/10!
  p = p * r2 + 1.0 / 40320.0;          // 1/8!
  p = p * r2 - 1.0 / 720.0;            // −1/6!
  p = p * r2 + 1.0 / 24.0;             // 1/4!
  p = p * r2 - 0.5;                    // −1/2!
  return 1.0 + r2 * p;
}

// sin(x + shift·π/2) for shift 0 (sin) or 1 (cos).
float sin_quadrant(double x, int shift) {
  if (!std::isfinite(x)) return std::numeric_limits<float>::quiet_NaN();
  const double n = std::nearbyint(x * kTwoOverPi);
  const double r = (x - n * kPio2Hi) - n * kPio2Lo;
  const std::int64_t q = ((static_cast<std::int64_t>(std::fmod(n, 4.0)) + shift) % 4 + 4) % 4;
  switch (q) {
    case 0: return static_cast<float>(sin_poly(r));
    case 1: return static_cast<float>(cos_poly(r));
    case 2: return static_cast<float>(-sin_poly(r));
    default: return static_cast<float>(-cos_poly(r));
  }
}

// out(P×H) = bias + in(P×K)·Wt(K×H), each output summed over k in ascending order.
void linear(const float* __restrict in, std::int64_t p, std::int64_t k_in, const float* __restrict wt,
            const float* __restrict bias, std::int64_t h, float* __restrict out) {
  for (std::int64_t i = 0; i < p; ++i) std::copy(bias, bias + h, out + i * h);
  std::int64_t i = 0;
  for (; i + 4 <= p; i += 4) {
    float* o0 = out + i * h;
    float* o1 = o0 + h;
    float* o2 = o1 + h;
    float* o3 = o2 + h;
    for (std::int64_t k = 0; k < k_in; ++k) {
      const float a0 = in[i * k_in + k], a1 = in[(i + 1) * k_in + k], a2 = in[(i + 2) * k_in + k],
                  a3 = in[(i + 3) * k_in + k];
      const float* __restrict row = wt + k * h;
      for (std::int64_t j = 0; j < h; ++j) {
        const float r = row[j];
        o0[j] += a0 * r;
        o1[j] += a1 * r;
        o2[j] += a2 * r;
        o3[j] += a3 * r;
      }
    }
  }
  for (; i < p; ++i) {
    float* o = out + i * h;
    for (std::int64_t k = 0; k < k_in; ++k) {
      const float a = in[i * k_in + k];
      const float* __restrict row = wt + k * h;
      for (std::int64_t j = 0; j < h; ++j) o[j] += a * row[j];
    }
  }
}

std::vector<float> section_floats(const codec::SinrFile& f, const std::string& name, const std::string& file,
                                  const std::vector<std::int64_t>& shape) {
  std::vector<float> v = f.require(tensor::kPrefix + name, file, shape).to_floats();
  for (float x : v)
    if (!std::isfinite(x)) throw reading(file).corrupt("section 'decoder." + name + "' holds a non-finite value");
  return v;
}

std::vector<float> transpose(const std::vector<float>& m, std::int64_t rows, std::int64_t cols) {
  std::vector<float> t(m.size());
  for (std::int64_t r = 0; r < rows; ++r)
    for (std::int64_t c = 0; c < cols; ++c) t[c * rows + r] = m[r * cols + c];
  return t;
}

// Bilinear sampling positions along one axis: output index i of n → node k0 and weight t, for
// a field of m nodes spanning the same [-1, 1] (align_corners).
using Tap = detail::Tap;
std::vector<Tap> taps(std::int64_t n, std::int64_t m) {
  std::vector<Tap> out(static_cast<std::size_t>(n));
  for (std::int64_t i = 0; i < n; ++i) {
    const double pos = n > 1 ? static_cast<double>(i) * static_cast<double>(m - 1) / static_cast<double>(n - 1) : 0.0;
    std::int64_t k0 = static_cast<std::int64_t>(std::floor(pos));
    k0 = std::clamp<std::int64_t>(k0, 0, m - 2);
    out[static_cast<std::size_t>(i)] = {k0, static_cast<float>(pos - static_cast<double>(k0))};
  }
  return out;
}

// Taps at normalised coordinates u ∈ [−1, 1]: position (u + 1)(m − 1)/2, split as in taps().
std::vector<Tap> taps_at(const std::vector<double>& u, std::int64_t m) {
  std::vector<Tap> out;
  out.reserve(u.size());
  for (double v : u) {
    const double pos = (v + 1.0) * 0.5 * static_cast<double>(m - 1);
    const std::int64_t k0 = std::clamp<std::int64_t>(static_cast<std::int64_t>(std::floor(pos)), 0, m - 2);
    out.push_back({k0, static_cast<float>(std::clamp(pos - static_cast<double>(k0), 0.0, 1.0))});
  }
  return out;
}

// One bilinear sample of a row-major field of width `wf` at taps (tz, tx).
constexpr std::int64_t kChunkPoints = 256;

float bilinear(const float* f, std::int64_t wf, const Tap& tz, const Tap& tx) {
  const float* r0 = f + tz.k0 * wf + tx.k0;
  const float* r1 = r0 + wf;
  const float t = tx.t, u = tz.t;
  return (1.0f - t) * (1.0f - u) * r0[0] + t * (1.0f - u) * r0[1] + (1.0f - t) * u * r1[0] + t * u * r1[1];
}

}  // namespace

float portable_sin(double x) { return sin_quadrant(x, 0); }
float portable_cos(double x) { return sin_quadrant(x, 1); }

PortableDecoder PortableDecoder::from_sinr(const codec::SinrFile& f, const std::string& file) {
  PortableDecoder d;
  const Context header = reading(file) / "header";
  if (!f.meta.contains("model")) throw header.usage("no 'model' object (not a decoder file)");
  try {
    d.options_ = f.meta.at("model").get<SirenOptions>();
  } catch (const nlohmann::json::exception& e) {
    throw header.corrupt(std::string("model: ") + e.what());
  } catch (const Error& e) {
    throw header.corrupt(e.what());
  }
  d.options_.validate();
  const SirenOptions& o = d.options_;
  const std::int64_t ld = o.code_features();
  if (o.siren) {
    const std::int64_t c = o.coord_features(), h = o.hidden;
    std::vector<float> wc = section_floats(f, tensor::kCoordWeight, file, {h, c});
    d.latent_weight_ = section_floats(f, tensor::kLatentWeight, file, {h, ld});
    if (o.code == CodeKind::kGrid) {  // per-point inputs (x, z, s_1..s_C) against [W_c W_z]
      std::vector<float> w(static_cast<std::size_t>(h * (c + ld)));
      for (std::int64_t j = 0; j < h; ++j) {
        std::copy(wc.begin() + j * c, wc.begin() + (j + 1) * c, w.begin() + j * (c + ld));
        std::copy(d.latent_weight_.begin() + j * ld, d.latent_weight_.begin() + (j + 1) * ld, w.begin() + j * (c + ld) + c);
      }
      d.coord_weight_t_ = transpose(w, h, c + ld);
    } else {
      d.coord_weight_t_ = transpose(wc, h, c);
    }
    d.first_bias_ = section_floats(f, tensor::kFirstBias, file, {h});
    for (std::int64_t k = 0; k < o.layers; ++k) {
      d.hidden_weight_t_.push_back(transpose(section_floats(f, tensor::hidden(k, "weight"), file, {h, h}), h, h));
      d.hidden_bias_.push_back(section_floats(f, tensor::hidden(k, "bias"), file, {h}));
    }
    d.out_weight_ = section_floats(f, tensor::kOutWeight, file, {1, h});
    d.out_bias_ = section_floats(f, tensor::kOutBias, file, {1})[0];
    if (o.activation == Activation::relu_ff) d.fourier_ = section_floats(f, tensor::kFourier, file, {o.fourier_features, 2});
  }
  if (o.linear_path) {
    d.mean_ = section_floats(f, tensor::kMean, file, {o.basis_height, o.basis_width});
    if (o.code == CodeKind::kGrid)
      d.readout_ = section_floats(f, tensor::kReadout, file, {ld});
    else
      d.basis_ = section_floats(f, tensor::kBasis, file, {o.latent_dim, o.basis_height, o.basis_width});
  }
  if (o.refiner == RefinerKind::kConv) {
    for (const ConvSpec& l : refiner_layers()) {
      const std::int64_t ci = refiner_channels(l.in, o.refiner_width), co = refiner_channels(l.out, o.refiner_width);
      d.refiner_weight_.push_back(section_floats(f, tensor::refiner(l, "weight"), file, {co, ci, l.kernel, l.kernel}));
      d.refiner_bias_.push_back(section_floats(f, tensor::refiner(l, "bias"), file, {co}));
    }
  }
  return d;
}

void PortableDecoder::decode(const float* latent, std::int64_t h, std::int64_t w, float* out) const {
  const SirenOptions& o = options_;
  detail::Axis zs, xs;
  zs.coord.resize(static_cast<std::size_t>(h));
  xs.coord.resize(static_cast<std::size_t>(w));
  for (std::int64_t row = 0; row < h; ++row) zs.coord[row] = static_cast<float>(-1.0 + 2.0 * static_cast<double>(row) / static_cast<double>(h - 1));
  for (std::int64_t col = 0; col < w; ++col) xs.coord[col] = static_cast<float>(-1.0 + 2.0 * static_cast<double>(col) / static_cast<double>(w - 1));
  if (o.code == CodeKind::kGrid) zs.code = taps(h, o.code_grid), xs.code = taps(w, o.code_grid);
  if (o.linear_path) zs.basis = taps(h, o.basis_height), xs.basis = taps(w, o.basis_width);
  run(latent, zs, xs, out);
}

void PortableDecoder::decode_at(const float* latent, const std::vector<double>& zn, const std::vector<double>& xn, float* out) const {
  const SirenOptions& o = options_;
  auto axis = [&](const std::vector<double>& u, std::int64_t code_nodes, std::int64_t basis_nodes) {
    detail::Axis a;
    for (double v : u) a.coord.push_back(static_cast<float>(v));
    if (o.code == CodeKind::kGrid) a.code = taps_at(u, code_nodes);
    if (o.linear_path) a.basis = taps_at(u, basis_nodes);
    return a;
  };
  run(latent, axis(zn, o.code_grid, o.basis_height), axis(xn, o.code_grid, o.basis_width), out);
}

namespace {

// The first layer's per-point inputs for points p0 .. p0 + pn − 1 of a grid `w` wide, into `feat`
// (pn rows of c): the coordinates' features — (x, z), or γ(c) = [sin(2π B c), cos(2π B c)] as in
// SirenDecoder::coord_features — then, with the grid code, its channels s_c(x, z) (channel c of
// the lattice at [c][row][col]), which also go to `code_at` (pn rows of C).
void point_inputs(const SirenOptions& o, const std::vector<float>& fourier, const float* latent, const detail::Axis& zs,
                  const detail::Axis& xs, std::int64_t w, std::int64_t p0, std::int64_t pn, float* feat, float* code_at) {
  const bool grid = o.code == CodeKind::kGrid;
  const std::int64_t cf = o.coord_features(), nc = o.code_features(), c = grid ? cf + nc : cf, g = o.code_grid;
  for (std::int64_t i = 0; i < pn; ++i) {
    const std::int64_t row = (p0 + i) / w, col = (p0 + i) % w;
    const float x = xs.coord[static_cast<std::size_t>(col)], z = zs.coord[static_cast<std::size_t>(row)];
    float* fp = feat + i * c;
    if (grid) {
      float* sp = code_at + i * nc;
      for (std::int64_t q = 0; q < nc; ++q)
        sp[q] = fp[cf + q] = bilinear(latent + q * g * g, g, zs.code[static_cast<std::size_t>(row)], xs.code[static_cast<std::size_t>(col)]);
    }
    if (fourier.empty()) {
      fp[0] = x;
      fp[1] = z;
    } else {
      const std::int64_t m = o.fourier_features;
      for (std::int64_t q = 0; q < m; ++q) {
        const float proj = fourier[q * 2] * x + fourier[q * 2 + 1] * z;
        const double arg = static_cast<double>(proj) * (2.0 * M_PI);
        fp[q] = portable_sin(arg);
        fp[m + q] = portable_cos(arg);
      }
    }
  }
}

}  // namespace

void PortableDecoder::run(const float* latent, const detail::Axis& zs, const detail::Axis& xs, float* out) const {
  const SirenOptions& o = options_;
  const std::int64_t h = static_cast<std::int64_t>(zs.coord.size()), w = static_cast<std::int64_t>(xs.coord.size());
  std::vector<float> refined;  // refiner: F + R(F) on the basis grid, F = m + Σ_k z_k φ_k (k ascending)
  if (o.refiner == RefinerKind::kConv) {
    const std::int64_t field = o.basis_height * o.basis_width;
    refined.assign(mean_.begin(), mean_.end());
    for (std::int64_t k = 0; k < o.latent_dim; ++k)
      for (std::int64_t q = 0; q < field; ++q) refined[static_cast<std::size_t>(q)] += latent[k] * basis_[static_cast<std::size_t>(k * field + q)];
    refine_portable(refiner_weight_, refiner_bias_, o.refiner_width, refined.data(), o.basis_height, o.basis_width);
  }
  auto linear_at = [&](std::int64_t point) {  // the refined field, sampled
    return bilinear(refined.data(), o.basis_width, zs.basis[static_cast<std::size_t>(point / w)], xs.basis[static_cast<std::size_t>(point % w)]);
  };
  if (!o.siren) {
    for (std::int64_t p = 0; p < h * w; ++p) out[p] = linear_at(p);
    return;
  }
  const bool grid = o.code == CodeKind::kGrid;
  const std::int64_t hid = o.hidden, ld = o.latent_dim, cf = o.coord_features(), nc = o.code_features();
  const std::int64_t c = grid ? cf + nc : cf;  // per-point inputs of the first layer
  const bool sine = o.activation == Activation::sine;
  // Per-map part of the first layer: m_j = b_j + Σ_k W_z[j][k] z_k, k ascending (global code);
  // the grid code's part is per point, so there m_j = b_j.
  std::vector<float> per_map(static_cast<std::size_t>(hid));
  for (std::int64_t j = 0; j < hid; ++j) {
    float s = first_bias_[j];
    if (!grid)
      for (std::int64_t k = 0; k < ld; ++k) s += latent_weight_[j * ld + k] * latent[k];
    per_map[j] = s;
  }
  const std::vector<Tap>&basis_x = xs.basis, &basis_z = zs.basis;
  const std::int64_t field = o.basis_height * o.basis_width;
  std::vector<float> code_at(static_cast<std::size_t>(kChunkPoints * nc));
  auto activate = [&](float* v, std::int64_t n) {
    if (sine)
      for (std::int64_t i = 0; i < n; ++i) v[i] = portable_sin(static_cast<double>(v[i]) * o.omega0);
    else
      for (std::int64_t i = 0; i < n; ++i) v[i] = v[i] > 0.0f ? v[i] : 0.0f;
  };
  constexpr std::int64_t kChunk = kChunkPoints;
  std::vector<float> feat(static_cast<std::size_t>(kChunk * c)), a(static_cast<std::size_t>(kChunk * hid)),
      b(static_cast<std::size_t>(kChunk * hid));
  const std::int64_t total = h * w;
  for (std::int64_t p0 = 0; p0 < total; p0 += kChunk) {
    const std::int64_t pn = std::min(kChunk, total - p0);
    point_inputs(o, fourier_, latent, zs, xs, w, p0, pn, feat.data(), code_at.data());
    linear(feat.data(), pn, c, coord_weight_t_.data(), per_map.data(), hid, a.data());
    activate(a.data(), pn * hid);
    for (std::size_t k = 0; k < hidden_weight_t_.size(); ++k) {
      linear(a.data(), pn, hid, hidden_weight_t_[k].data(), hidden_bias_[k].data(), hid, b.data());
      activate(b.data(), pn * hid);
      std::swap(a, b);
    }
    for (std::int64_t i = 0; i < pn; ++i) {
      float s = out_bias_;
      const float* ap = a.data() + i * hid;
      for (std::int64_t j = 0; j < hid; ++j) s += ap[j] * out_weight_[j];
      if (!refined.empty()) {
        s += linear_at(p0 + i);
      } else if (o.linear_path) {  // + m(x, z) + Σ_k z_k φ_k(x, z)  or  + m(x, z) + Σ_c a_c s_c(x, z)
        const Tap& tz = basis_z[static_cast<std::size_t>((p0 + i) / w)];
        const Tap& tx = basis_x[static_cast<std::size_t>((p0 + i) % w)];
        float lin = bilinear(mean_.data(), o.basis_width, tz, tx);
        if (grid) {
          for (std::int64_t q = 0; q < nc; ++q) lin += readout_[q] * code_at[i * nc + q];
        } else {
          for (std::int64_t k = 0; k < ld; ++k) lin += latent[k] * bilinear(basis_.data() + k * field, o.basis_width, tz, tx);
        }
        s += lin;
      }
      out[p0 + i] = s;
    }
  }
}

}  // namespace seisinr::model
