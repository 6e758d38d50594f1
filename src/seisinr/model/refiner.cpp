// seisinr/model/refiner.cpp — the refiner's layer table and its portable forward (refiner.h).
// Compiled with -ffp-contract=off, like portable_decoder.cpp.
#include "seisinr/model/refiner.h"

#include <algorithm>

namespace seisinr::model {

const std::vector<ConvSpec>& refiner_layers() {
  //                                     name    in out  k  s  p  d
  static const std::vector<ConvSpec> layers = {{"e0.0", 0, 1, 3, 1, 1, 1}, {"e0.1", 1, 1, 3, 1, 1, 1},
                                               {"e1.0", 1, 2, 4, 2, 1, 1}, {"e1.1", 2, 2, 3, 1, 1, 1},
                                               {"e2.0", 2, 4, 3, 2, 1, 1}, {"e2.1", 4, 4, 3, 1, 2, 2},
                                               {"e2.2", 4, 4, 3, 1, 4, 4}, {"e2.3", 4, 4, 3, 1, 1, 1},
                                               {"u1.0", 6, 2, 3, 1, 1, 1}, {"u1.1", 2, 2, 3, 1, 1, 1},
                                               {"u0.0", 3, 1, 3, 1, 1, 1}, {"u0.1", 1, 1, 3, 1, 1, 1},
                                               {"u0.2", 1, 0, 3, 1, 1, 1}};
  return layers;
}

namespace {

struct Image {  // (c, h, w) row-major
  std::int64_t c = 0, h = 0, w = 0;
  std::vector<float> v;
};

Image conv(const Image& x, const ConvSpec& s, const std::vector<float>& weight, const std::vector<float>& bias, std::int64_t co,
           bool relu) {
  Image y;
  y.c = co, y.h = conv_out_size(x.h, s), y.w = conv_out_size(x.w, s);
  y.v.assign(static_cast<std::size_t>(y.c * y.h * y.w), 0.0f);
  const std::int64_t k = s.kernel;
  for (std::int64_t o = 0; o < co; ++o) {
    float* out = y.v.data() + o * y.h * y.w;
    std::fill(out, out + y.h * y.w, bias[static_cast<std::size_t>(o)]);
    for (std::int64_t i = 0; i < x.c; ++i) {
      const float* in = x.v.data() + i * x.h * x.w;
      for (std::int64_t ky = 0; ky < k; ++ky)
        for (std::int64_t kx = 0; kx < k; ++kx) {
          const float wv = weight[static_cast<std::size_t>(((o * x.c + i) * k + ky) * k + kx)];
          for (std::int64_t r = 0; r < y.h; ++r) {
            const std::int64_t sr = r * s.stride - s.pad + ky * s.dilation;
            if (sr < 0 || sr >= x.h) continue;
            const float* row = in + sr * x.w;
            float* orow = out + r * y.w;
            for (std::int64_t q = 0; q < y.w; ++q) {
              const std::int64_t sq = q * s.stride - s.pad + kx * s.dilation;
              if (sq >= 0 && sq < x.w) orow[q] += wv * row[sq];
            }
          }
        }
    }
    if (relu)
      for (std::int64_t p = 0; p < y.h * y.w; ++p) out[p] = std::max(out[p], 0.0f);
  }
  return y;
}

// PyTorch's upsample_bilinear2d with align_corners = false, in its float arithmetic.
struct Taps {
  std::vector<std::int64_t> i0, step;
  std::vector<float> l0, l1;
};
Taps resize_taps(std::int64_t in, std::int64_t out) {
  Taps t;
  const float scale = static_cast<float>(in) / static_cast<float>(out);
  for (std::int64_t i = 0; i < out; ++i) {
    float src = scale * (static_cast<float>(i) + 0.5f) - 0.5f;
    if (src < 0) src = 0;
    const auto k = static_cast<std::int64_t>(src);
    t.i0.push_back(k);
    t.step.push_back(k < in - 1 ? 1 : 0);
    t.l1.push_back(src - static_cast<float>(k));
    t.l0.push_back(1.0f - t.l1.back());
  }
  return t;
}

Image resize(const Image& x, std::int64_t h, std::int64_t w) {
  Image y;
  y.c = x.c, y.h = h, y.w = w;
  y.v.resize(static_cast<std::size_t>(y.c * h * w));
  const Taps tz = resize_taps(x.h, h), tx = resize_taps(x.w, w);
  for (std::int64_t c = 0; c < x.c; ++c) {
    const float* f = x.v.data() + c * x.h * x.w;
    for (std::int64_t r = 0; r < h; ++r) {
      const auto ur = static_cast<std::size_t>(r);
      const float* r0 = f + tz.i0[ur] * x.w;
      const float* r1 = r0 + tz.step[ur] * x.w;
      for (std::int64_t q = 0; q < w; ++q) {
        const auto uq = static_cast<std::size_t>(q);
        const std::int64_t a = tx.i0[uq], b = a + tx.step[uq];
        y.v[static_cast<std::size_t>((c * h + r) * w + q)] =
            tz.l0[ur] * (tx.l0[uq] * r0[a] + tx.l1[uq] * r0[b]) + tz.l1[ur] * (tx.l0[uq] * r1[a] + tx.l1[uq] * r1[b]);
      }
    }
  }
  return y;
}

Image concat(const Image& a, const Image& b) {
  Image y = a;
  y.c = a.c + b.c;
  y.v.insert(y.v.end(), b.v.begin(), b.v.end());
  return y;
}

}  // namespace

void refine_portable(const std::vector<std::vector<float>>& weights, const std::vector<std::vector<float>>& biases,
                     std::int64_t width, float* field, std::int64_t h, std::int64_t w) {
  struct Ops {
    const std::vector<std::vector<float>>& weights;
    const std::vector<std::vector<float>>& biases;
    std::int64_t width;
    Image conv(const Image& x, std::size_t k, bool relu) const {
      const ConvSpec& l = refiner_layers()[k];
      return model::conv(x, l, weights[k], biases[k], refiner_channels(l.out, width), relu);
    }
    Image resize_like(const Image& x, const Image& like) const { return resize(x, like.h, like.w); }
    Image cat(const Image& a, const Image& b) const { return concat(a, b); }
  };
  Image f;
  f.c = 1, f.h = h, f.w = w;
  f.v.assign(field, field + h * w);
  const Image r = refiner_residual(f, Ops{weights, biases, width});
  for (std::int64_t p = 0; p < h * w; ++p) field[p] += r.v[static_cast<std::size_t>(p)];
}

}  // namespace seisinr::model
