// seisinr/wave/acquisition.cpp — see acquisition.h.
#include "seisinr/wave/acquisition.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "seisinr/error.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/io/json_get.h"
#include "seisinr/parallel.h"
#include "seisinr/wave/acoustic.h"

namespace seisinr::wave {

std::vector<float> ricker(double freq, double dt) {
  const auto nw = static_cast<std::int64_t>(2 * std::floor(2.2 / freq / dt / 2) + 1);
  const std::int64_t c = nw / 2;
  std::vector<float> w(static_cast<std::size_t>(nw));
  for (std::int64_t i = 0; i < nw; ++i) {
    const double a = M_PI * freq * dt * static_cast<double>(c - i), b = a * a;
    w[static_cast<std::size_t>(i)] = static_cast<float>((1 - 2 * b) * std::exp(-b));
  }
  return w;
}

Acquisition openfwi_acquisition(std::int64_t nz, std::int64_t nx) {
  Acquisition a;
  (void)nz;
  // 0, 17, 34, 52, 69 on 70 columns: k (nx − 1) / 4 rounded half to even, as NumPy rounds.
  for (int k = 0; k < 5; ++k)
    a.sources.push_back({1, static_cast<std::int64_t>(std::nearbyint(k * static_cast<double>(nx - 1) / 4))});
  for (std::int64_t x = 0; x < nx; ++x) a.receivers.push_back({1, x});
  a.wavelet = ricker(a.freq, a.dt);
  return a;
}

const char* boundary_name(BoundaryKind k) { return kBoundaryNames[static_cast<int>(k)]; }

BoundaryKind parse_boundary_kind(const std::string& name, const std::string& where) {
  for (int k = 0; k < 2; ++k)
    if (name == kBoundaryNames[k]) return static_cast<BoundaryKind>(k);
  throw Error(where + ": unknown boundary kind '" + name + "' (known: damping, cpml)", ErrorKind::usage);
}

std::int64_t default_boundary_width(BoundaryKind k) { return k == BoundaryKind::cpml ? 20 : 120; }

void hold_boundary_speed(Acquisition& a, const float* v, std::int64_t n) {
  if (a.boundary_speed > 0 || n <= 0) return;
  a.boundary_speed = a.boundary_kind == BoundaryKind::cpml ? *std::max_element(v, v + n) : *std::min_element(v, v + n);
}

void set_boundary(Acquisition& a, const std::string& spec, const std::string& option) {
  const std::size_t colon = spec.find(':');
  a.boundary_kind = parse_boundary_kind(spec.substr(0, colon), option);
  a.boundary = default_boundary_width(a.boundary_kind);
  if (colon == std::string::npos) return;
  const std::string w = spec.substr(colon + 1);
  std::int64_t width = 0;
  const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), width);
  if (ec != std::errc() || end != w.data() + w.size() || width < 2 || width > 10'000)
    throw Error(option + ": the width after ':' must be a whole number of cells from 2 to 10,000, got '" + w + "'", ErrorKind::usage);
  a.boundary = width;
}

std::string boundary_description(const Acquisition& a) {
  return a.boundary_kind == BoundaryKind::cpml ? "a " + std::to_string(a.boundary) + "-cell C-PML"
                                               : "a " + std::to_string(a.boundary) + "-cell damping layer";
}

namespace {

std::vector<Position> positions(const nlohmann::json& j, const char* key, const std::string& where) {
  const std::string what = where + ": " + key;
  if (!j.at(key).is_array() || j.at(key).empty()) throw Error(what + ": expected a non-empty array of [z, x] cell positions");
  std::vector<Position> out;
  for (std::size_t i = 0; i < j.at(key).size(); ++i) {
    const auto& e = j.at(key)[i];
    const std::string at = what + "[" + std::to_string(i) + "]";
    if (!e.is_array() || e.size() != 2) throw Error(at + ": expected [z, x]");
    out.push_back({io::json_as<std::int64_t>(e[0], at + "[0]"), io::json_as<std::int64_t>(e[1], at + "[1]")});
  }
  return out;
}

}  // namespace

namespace {

// The survey's JSON read into `a` (keys not given keep its values); errors of any kind.
void read_keys(const std::string& text, const std::string& where, Acquisition& a) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw Error(where + ": not valid JSON (" + e.what() + ")");
  }
  if (!j.is_object()) throw Error(where + ": expected a JSON object");
  static const char* const known[] = {"dx", "dz", "dt", "nt", "freq", "boundary", "order", "sources", "receivers"};
  for (const auto& [key, value] : j.items()) {
    bool ok = false;
    for (const char* k : known) ok = ok || key == k;
    if (!ok) throw Error(where + ": unknown key '" + key + "' (known: dx, dz, dt, nt, freq, boundary, order, sources, receivers)");
  }
  a.dx = io::json_get(j, "dx", a.dx, where);
  a.dz = io::json_get(j, "dz", a.dz, where);
  a.dt = io::json_get(j, "dt", a.dt, where);
  a.nt = io::json_get(j, "nt", a.nt, where);
  a.freq = io::json_get(j, "freq", a.freq, where);
  if (j.contains("boundary") && j.at("boundary").is_object()) {
    const nlohmann::json& b = j.at("boundary");
    for (const auto& [key, value] : b.items())
      if (key != "kind" && key != "width") throw Error(where + ": boundary: unknown key '" + key + "' (known: kind, width)");
    if (!b.contains("kind") || !b.at("kind").is_string()) throw Error(where + ": boundary: expected \"kind\": \"cpml\" or \"damping\"");
    a.boundary_kind = parse_boundary_kind(b.at("kind").get<std::string>(), where + ": boundary");
    a.boundary = io::json_get(b, "width", default_boundary_width(a.boundary_kind), where + ": boundary");
  } else if (j.contains("boundary")) {
    a.boundary_kind = BoundaryKind::damping;  // a number: cells of OpenFWI's damping layer
    a.boundary = io::json_get(j, "boundary", a.boundary, where);
  }
  a.order = io::json_get(j, "order", a.order, where);
  if (j.contains("sources")) a.sources = positions(j, "sources", where);
  if (j.contains("receivers")) a.receivers = positions(j, "receivers", where);
  if (!(a.dt > 0) || !(a.freq > 0) || !(a.dx > 0) || !(a.dz > 0))
    throw Error(where + ": dx, dz, dt and freq must be positive");
  // The Ricker wavelet has 2.2 / (freq dt) samples: bounded like nt before it is made.
  const double samples = 2.2 / (a.freq * a.dt);
  if (!(samples <= 10'000'000)) {
    char buf[200];
    std::snprintf(buf, sizeof buf, ": freq %.3g Hz with dt %.3g s makes a Ricker wavelet of %.3g samples (2.2 / (freq dt)); at most 10,000,000",
                  a.freq, a.dt, samples);
    throw Error(where + buf);
  }
}

}  // namespace

Acquisition parse_acquisition(const std::string& text, const std::string& where, std::int64_t nz, std::int64_t nx) {
  Acquisition a = openfwi_acquisition(nz, nx);
  a.boundary_kind = BoundaryKind::cpml, a.boundary = default_boundary_width(BoundaryKind::cpml);  // a JSON survey's default
  try {
    read_keys(text, where, a);
  } catch (const Error& e) {
    throw Error(e.what(), ErrorKind::usage);  // a survey is settings: exit 2, as the README says
  }
  a.wavelet = ricker(a.freq, a.dt);
  return a;
}

bool is_builtin_survey(const std::string& spec) { return spec.empty() || spec == kOpenFwiSurvey; }

std::string survey_name(const std::string& spec) { return is_builtin_survey(spec) ? "OpenFWI's survey" : spec; }

Acquisition acquisition_for(const std::string& spec, std::int64_t nz, std::int64_t nx) {
  return is_builtin_survey(spec) ? openfwi_acquisition(nz, nx) : read_acquisition(spec, nz, nx);
}

Acquisition read_acquisition(const std::string& path, std::int64_t nz, std::int64_t nx) {
  const std::vector<unsigned char> bytes = io::read_file(path);
  return parse_acquisition(std::string(bytes.begin(), bytes.end()), path, nz, nx);
}

double courant(const Acquisition& a, double vmax) {
  double s = 0;
  const std::vector<double> w = laplacian_weights(a.order);
  for (std::size_t k = 0; k < w.size(); ++k) s += (k == 0 ? 1 : 2) * std::fabs(w[k]);
  return vmax * a.dt * std::sqrt(s * (1 / (a.dx * a.dx) + 1 / (a.dz * a.dz))) / 2;
}

double solver_bytes(const Acquisition& a, std::int64_t nz, std::int64_t nx, int threads, bool gradient) {
  const double R = a.order / 2, b = static_cast<double>(a.boundary);
  const double cells = (static_cast<double>(nz) + 2 * b) * (static_cast<double>(nx) + 2 * b);
  const double halo = (static_cast<double>(nz) + 2 * b + 2 * R) * (static_cast<double>(nx) + 2 * b + 2 * R);
  const double gathers = static_cast<double>(a.sources.size()) * static_cast<double>(a.nt) * static_cast<double>(a.receivers.size());
  const double seg = std::ceil(std::sqrt(2.0 * static_cast<double>(a.nt)));
  const double segs = std::ceil(static_cast<double>(a.nt) / seg);
  // The C-PML adds ψ_x, ψ_z, ζ_x, ζ_z per wavefield: 4 fields forward; the gradient's, its
  // adjoint's and the scratch (12) and 4 more per checkpoint.
  const double pml = a.boundary_kind == BoundaryKind::cpml ? 1 : 0;
  const double per_thread = gradient ? halo * (8 + 12 * pml + (2 + 4 * pml) * segs + 2 * seg) : (2 + 4 * pml) * halo;
  // forward_maps holds one batch of `threads` maps' gathers; the gradient one map's.
  return 4 * (6 * cells + std::max(1, threads) * per_thread + gathers * (gradient ? 1 : std::max(1, threads)));
}

void check_solver_memory(const Acquisition& a, std::int64_t nz, std::int64_t nx, int threads, bool gradient, const std::string& where) {
  const double need = solver_bytes(a, nz, nx, threads, gradient), have = static_cast<double>(physical_memory_bytes());
  if (have <= 0 || need <= have) return;
  const double gathers = 4.0 * static_cast<double>(a.sources.size()) * static_cast<double>(a.nt) * static_cast<double>(a.receivers.size());
  const bool by_nt = gathers > need / 2;
  char buf[400];
  std::snprintf(buf, sizeof buf,
                "the solver would need %.1f GiB for one %lldx%lld map (%s), more than this machine's %.1f GiB; %s", need / (1 << 30),
                static_cast<long long>(nz), static_cast<long long>(nx), gradient ? "gradient" : "forward", have / (1 << 30),
                by_nt ? ("nt " + std::to_string(a.nt) + " x " + std::to_string(a.sources.size()) + " sources x " +
                         std::to_string(a.receivers.size()) + " receivers of gathers dominate: record fewer steps")
                            .c_str()
                      : ("boundary " + std::to_string(a.boundary) + " cells on every side dominates: use fewer").c_str());
  throw Error(where + ": " + buf, ErrorKind::usage);
}

std::string check_acquisition(const Acquisition& a, std::int64_t nz, std::int64_t nx, double vmin, double vmax,
                              const std::string& where) {
  const std::string at = where + ": ";
  if (a.order != 2 && a.order != 4 && a.order != 8) throw Error(at + "order must be 2, 4 or 8, got " + std::to_string(a.order), ErrorKind::usage);
  if (nz < 1 || nx < 1) throw Error(at + "the model is empty", ErrorKind::usage);
  if (a.nt < 1 || a.nt > 10'000'000) throw Error(at + "nt must be between 1 and 10,000,000, got " + std::to_string(a.nt), ErrorKind::usage);
  if (a.boundary < 2 || a.boundary > 10'000) throw Error(at + "boundary must be between 2 and 10,000 cells, got " + std::to_string(a.boundary), ErrorKind::usage);
  if (!(a.dx > 0 && a.dz > 0 && a.dt > 0 && a.freq > 0 && std::isfinite(a.dx * a.dz * a.dt * a.freq)))
    throw Error(at + "dx, dz, dt and freq must be positive and finite", ErrorKind::usage);
  if (a.sources.empty() || a.receivers.empty()) throw Error(at + "no sources or no receivers", ErrorKind::usage);
  check_solver_memory(a, nz, nx, 1, false, where);
  auto inside = [&](const std::vector<Position>& ps, const char* what) {
    for (std::size_t i = 0; i < ps.size(); ++i)
      if (ps[i].z < 0 || ps[i].z >= nz || ps[i].x < 0 || ps[i].x >= nx)
        throw Error(at + what + "[" + std::to_string(i) + "] at (z " + std::to_string(ps[i].z) + ", x " + std::to_string(ps[i].x) +
                    ") is outside the " + std::to_string(nz) + "x" + std::to_string(nx) + " model", ErrorKind::usage);
  };
  inside(a.sources, "sources");
  inside(a.receivers, "receivers");
  if (!(vmin > 0) || !std::isfinite(vmax)) throw Error(at + "velocities must be positive and finite", ErrorKind::usage);
  const double c = courant(a, vmax);
  char buf[400];
  if (c > 1) {
    std::snprintf(buf, sizeof buf,
                  "unstable: v_max %.0f m/s with dt %.3g s on a %.3g x %.3g m grid gives a Courant number %.3f > 1 for the "
                  "order-%d stencil; use dt <= %.3g s",
                  vmax, a.dt, a.dz, a.dx, c, a.order, a.dt / c);
    throw Error(at + buf, ErrorKind::usage);
  }
  const double need = a.order == 2 ? 10 : a.order == 4 ? 5 : 3;
  const double cells = vmin / (2.5 * a.freq) / std::max(a.dx, a.dz);
  if (cells < need) {
    std::snprintf(buf, sizeof buf,
                  "warning: %.2f cells per shortest wavelength (v_min %.0f m/s at 2.5 x %.3g Hz, spacing %.3g m); the order-%d "
                  "stencil wants %.0f or more: expect numerical dispersion",
                  cells, vmin, a.freq, std::max(a.dx, a.dz), a.order, need);
    return at + buf;
  }
  return {};
}

}  // namespace seisinr::wave
