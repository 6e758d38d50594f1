// seisinr/data/synth.cpp — the five synthetic families (see synth.h for the construction).
// Only +, −, ×, ÷ and integer operations are used, so results are bit-identical across machines
// (compiled with -ffp-contract=off so no fused multiply-add changes a rounding).
#include "seisinr/data/synth.h"

#include <algorithm>
#include <cmath>

#include "seisinr/data/rng.h"
#include "seisinr/error.h"
#include "seisinr/parallel.h"

namespace seisinr::data {
namespace {

constexpr double kPi = 3.14159265358979323846;

using Rng = SplitMix64;

std::uint64_t map_seed(std::uint64_t seed, Family f, std::int64_t index) {
  Rng r(seed ^ (0x5e15a1e5ull * (static_cast<std::uint64_t>(f) + 1)));
  std::uint64_t a = r.next();
  Rng r2(a ^ (static_cast<std::uint64_t>(index) * 0xd1342543de82ef95ull));
  return r2.next();
}

// A layer stack: velocities top to bottom and the depths (in pixels, in a depth coordinate that
// may extend past the map when the stack is bent or shifted) of the interfaces between them.
struct Layers {
  std::vector<double> velocity;   // n
  std::vector<double> interface;  // n - 1, increasing

  double at(double depth) const {
    std::size_t k = 0;
    while (k < interface.size() && depth >= interface[k]) ++k;
    return velocity[k];
  }
};

Layers random_layers(Rng& rng, std::int64_t nmin, std::int64_t nmax, double h, const SynthOptions& o) {
  Layers L;
  const std::int64_t n = rng.integer(nmin, nmax);
  // Interfaces: distinct depths with at least ~2% of H between them, spread over the map.
  const double min_gap = std::max(1.0, 0.02 * h);
  for (int tries = 0; static_cast<std::int64_t>(L.interface.size()) < n - 1 && tries < 1000; ++tries) {
    double d = std::floor(rng.uniform(0.08 * h, 0.95 * h));
    bool ok = true;
    for (double e : L.interface) ok = ok && (d - e >= min_gap || e - d >= min_gap);
    if (ok) L.interface.push_back(d);
  }
  std::sort(L.interface.begin(), L.interface.end());
  for (std::size_t k = 0; k <= L.interface.size(); ++k) L.velocity.push_back(std::floor(rng.uniform(o.vmin, o.vmax + 1.0)));
  std::sort(L.velocity.begin(), L.velocity.end());
  for (std::size_t k = 1; k < L.velocity.size(); ++k)  // strictly increasing with depth
    if (L.velocity[k] <= L.velocity[k - 1]) L.velocity[k] = L.velocity[k - 1] + 1.0;
  for (auto& v : L.velocity) v = std::min<double>(v, o.vmax);
  return L;
}

// Vertical displacement s(x) of a curved stack, in pixels.
struct Bend {
  std::vector<double> amp, freq, phase;
  double at(double x, double w) const {
    double s = 0;
    for (std::size_t j = 0; j < amp.size(); ++j) s += amp[j] * det_sin(2.0 * kPi * freq[j] * x / w + phase[j]);
    return s;
  }
};

Bend random_bend(Rng& rng, double h) {
  Bend b;
  const std::int64_t terms = rng.integer(1, 3);
  const double total = rng.uniform(0.05, 0.30) * h;  // peak displacement
  for (std::int64_t j = 0; j < terms; ++j) {
    b.amp.push_back(total / static_cast<double>(terms) * rng.uniform(0.5, 1.0));
    b.freq.push_back(rng.uniform(0.5, 3.0));
    b.phase.push_back(rng.uniform(0.0, 2.0 * kPi));
  }
  return b;
}

// A straight fault through (x0, z0); side(x, z) > 0 on the hanging wall.
struct Fault {
  double x0, z0, cos_t, sin_t, throw_px;
  double side(double x, double z) const { return (x - x0) * cos_t - (z - z0) * sin_t; }
};

Fault random_fault(Rng& rng, double h, double w) {
  Fault f;
  f.x0 = rng.uniform(0.2 * w, 0.8 * w);
  f.z0 = rng.uniform(0.3 * h, 0.7 * h);
  // Dip from vertical: 0–45 degrees either way. cos/sin from a rational parametrisation
  // (t = tan(θ/2)) so no libm call is needed.
  const double t = rng.uniform(-0.414, 0.414);
  f.cos_t = (1 - t * t) / (1 + t * t);
  f.sin_t = 2 * t / (1 + t * t);
  f.throw_px = (rng.coin() ? 1.0 : -1.0) * std::floor(rng.uniform(0.05, 0.25) * h);
  return f;
}

void layered(const Layers& L, const Bend* bend, const std::vector<Fault>& faults, std::int64_t h, std::int64_t w,
             float* out) {
  for (std::int64_t z = 0; z < h; ++z)
    for (std::int64_t x = 0; x < w; ++x) {
      double depth = static_cast<double>(z);
      // Undo the faults' throws, latest first: a point on a hanging wall came from depth − throw.
      for (std::size_t k = faults.size(); k-- > 0;)
        if (faults[k].side(static_cast<double>(x), depth) > 0) depth -= faults[k].throw_px;
      if (bend) depth -= bend->at(static_cast<double>(x), static_cast<double>(w));
      out[z * w + x] = static_cast<float>(L.at(depth));
    }
}

// Blend pixels within ~2 px of a fault with a 5×5 binomial smoothing of the map.
void smooth_near_faults(const std::vector<Fault>& faults, std::int64_t h, std::int64_t w, float* v) {
  static const double k5[5] = {1 / 16.0, 4 / 16.0, 6 / 16.0, 4 / 16.0, 1 / 16.0};
  std::vector<float> src(v, v + h * w);
  for (std::int64_t z = 0; z < h; ++z)
    for (std::int64_t x = 0; x < w; ++x) {
      double dmin = 1e30;
      for (const auto& f : faults) dmin = std::min(dmin, std::fabs(f.side(static_cast<double>(x), static_cast<double>(z))));
      if (dmin > 4.0) continue;
      double s = 0;
      for (int dz = -2; dz <= 2; ++dz)
        for (int dx = -2; dx <= 2; ++dx) {
          const std::int64_t zz = std::clamp<std::int64_t>(z + dz, 0, h - 1), xx = std::clamp<std::int64_t>(x + dx, 0, w - 1);
          s += k5[dz + 2] * k5[dx + 2] * src[zz * w + xx];
        }
      const double r = dmin / 2.0, weight = 1.0 / (1.0 + r * r * r * r);
      v[z * w + x] = static_cast<float>(weight * s + (1.0 - weight) * src[z * w + x]);
    }
}

void style_map(Rng& rng, std::int64_t h, std::int64_t w, const SynthOptions& o, float* out) {
  const double span = o.vmax - o.vmin;
  const double top = o.vmin + rng.uniform(0.0, 0.35) * span;
  const double bottom = o.vmin + rng.uniform(0.55, 1.0) * span;
  const double sigma = rng.uniform(0.06, 0.12) * span;
  struct Mode { double kx, kz, amp, phase; };
  std::vector<Mode> modes;
  double norm = 0;
  for (int k = 0; k < 32; ++k) {
    Mode m;
    do {
      m.kx = rng.uniform(-6.0, 6.0);
      m.kz = rng.uniform(-6.0, 6.0);
    } while (m.kx * m.kx + m.kz * m.kz < 0.25 || m.kx * m.kx + m.kz * m.kz > 36.0);
    m.amp = rng.uniform(0.5, 1.0) / std::sqrt(m.kx * m.kx + m.kz * m.kz);
    m.phase = rng.uniform(0.0, 2.0 * kPi);
    norm += m.amp * m.amp / 2;
    modes.push_back(m);
  }
  const double scale = sigma / std::sqrt(norm);
  for (std::int64_t z = 0; z < h; ++z)
    for (std::int64_t x = 0; x < w; ++x) {
      const double u = static_cast<double>(x) / static_cast<double>(w - 1), t = static_cast<double>(z) / static_cast<double>(h - 1);
      double v = top + (bottom - top) * t;
      for (const auto& m : modes) v += scale * m.amp * det_sin(2.0 * kPi * (m.kx * u + m.kz * t) + m.phase + kPi / 2);
      out[z * w + x] = static_cast<float>(v);
    }
  // Fit into [vmin, vmax] by shrinking towards the map's mean rather than clipping, so the field
  // stays smooth and keeps distinct values.
  double mean = 0, lo = out[0], hi = out[0];
  for (std::int64_t k = 0; k < h * w; ++k) {
    mean += out[k];
    lo = std::min<double>(lo, out[k]);
    hi = std::max<double>(hi, out[k]);
  }
  mean /= static_cast<double>(h * w);
  mean = std::clamp<double>(mean, o.vmin + 0.1 * span, o.vmax - 0.1 * span);
  double shrink = 1.0;
  if (hi > o.vmax) shrink = std::min(shrink, (o.vmax - mean) / (hi - mean));
  if (lo < o.vmin) shrink = std::min(shrink, (mean - o.vmin) / (mean - lo));
  for (std::int64_t k = 0; k < h * w; ++k)
    out[k] = static_cast<float>(std::clamp<double>(mean + shrink * (out[k] - mean), o.vmin, o.vmax));
}

}  // namespace

double det_sin(double x) {
  // Reduce to r in [-π, π], then to [-π/2, π/2] by sin(π − r) = sin(r), then the degree-15 Taylor
  // polynomial sin r = r Σ_k (−r²)^k / (2k+1)!, k = 0..7, in Horner form (error < 1e-10 on
  // [-π/2, π/2]); plain arithmetic only.
  const double two_pi = 2.0 * kPi;
  double n = std::floor(x / two_pi + 0.5);
  double r = x - n * two_pi;
  if (r > kPi / 2) r = kPi - r;
  else if (r < -kPi / 2) r = -kPi - r;
  const double r2 = r * r;
  double p = 1.0 / 1307674368000.0;
  p = p * -r2 + 1.0 / 6227020800.0;
  p = p * -r2 + 1.0 / 39916800.0;
  p = p * -r2 + 1.0 / 362880.0;
  p = p * -r2 + 1.0 / 5040.0;
  p = p * -r2 + 1.0 / 120.0;
  p = p * -r2 + 1.0 / 6.0;
  p = p * -r2 + 1.0;
  return r * p;
}

const std::vector<Family>& all_families() {
  static const std::vector<Family> all = [] {
    std::vector<Family> v;
    for (const auto& row : Names<Family>::table) v.push_back(row.value);
    return v;
  }();
  return all;
}

std::string family_name(Family f) { return name_of(f); }

Family family_from_name(const std::string& name) {
  if (const auto f = find_name<Family>(name)) return *f;
  throw Error("unknown family '" + name + "' (expected " + choices_text<Family>() + ")", ErrorKind::usage);
}

namespace {
// The options every map is made with: a size and speeds a velocity map can have.
void check_options(const SynthOptions& o) {
  if (o.h < 2 || o.w < 2 || o.h > 65536 || o.w > 65536)
    throw Error("synth: maps must be at least 2x2 and at most 65536x65536, asked for " + std::to_string(o.h) + "x" + std::to_string(o.w),
                ErrorKind::usage);
  if (!(std::isfinite(o.vmin) && std::isfinite(o.vmax) && o.vmin > 0 && o.vmin < o.vmax))
    throw Error("synth: speeds vmin " + std::to_string(o.vmin) + " and vmax " + std::to_string(o.vmax) + " m/s: need 0 < vmin < vmax, finite",
                ErrorKind::usage);
}
}  // namespace

void synthesize_map(Family family, std::uint64_t seed, std::int64_t index, const SynthOptions& o, float* out) {
  check_options(o);
  if (!(o.vmin < o.vmax)) throw Error("synth: vmin must be below vmax");
  Rng rng(map_seed(seed, family, index));
  const double h = static_cast<double>(o.h), w = static_cast<double>(o.w);
  switch (family) {
    case Family::flat_vel:
    case Family::curve_vel: {
      Layers L = random_layers(rng, 3, 8, h, o);
      Bend b = random_bend(rng, h);
      layered(L, family == Family::curve_vel ? &b : nullptr, {}, o.h, o.w, out);
      break;
    }
    case Family::flat_fault:
    case Family::curve_fault: {
      Layers L = random_layers(rng, 5, 10, h, o);
      // Layers above and below the map are reachable after a throw: extend the stack's top layer
      // upward and its bottom layer downward (Layers::at already does).
      Bend b = random_bend(rng, h);
      std::vector<Fault> faults{random_fault(rng, h, w)};
      if (rng.coin()) faults.push_back(random_fault(rng, h, w));
      layered(L, family == Family::curve_fault ? &b : nullptr, faults, o.h, o.w, out);
      smooth_near_faults(faults, o.h, o.w, out);
      break;
    }
    case Family::style:
      style_map(rng, o.h, o.w, o, out);
      break;
  }
}

io::MapStack synthesize(Family family, std::int64_t count, std::uint64_t seed, const SynthOptions& o) {
  if (count < 1) throw Error("synth: count must be at least 1, got " + std::to_string(count), ErrorKind::usage);
  check_options(o);
  {
    const double bytes = 4.0 * static_cast<double>(count) * static_cast<double>(o.h) * static_cast<double>(o.w);
    const double have = static_cast<double>(physical_memory_bytes());
    if (have > 0 && bytes > have)
      throw Error("synth: " + std::to_string(count) + " maps of " + std::to_string(o.h) + "x" + std::to_string(o.w) + " need " +
                      std::to_string(static_cast<long long>(bytes / (1 << 30))) + " GiB, more than this machine's " +
                      std::to_string(static_cast<long long>(have / (1 << 30))) + " GiB; ask for fewer",
                  ErrorKind::usage);
  }
  io::MapStack m;
  m.n = count, m.h = o.h, m.w = o.w;
  m.values.resize(static_cast<std::size_t>(count * o.h * o.w));
  for (std::int64_t i = 0; i < count; ++i) synthesize_map(family, seed, i, o, m.map(i));
  return m;
}

}  // namespace seisinr::data
