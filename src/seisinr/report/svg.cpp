// seisinr/report/svg.cpp — see svg.h. Charts are 480×300 with a 60-px left and 40-px bottom
// margin; axes get 5 ticks.
#include "seisinr/report/svg.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace seisinr::report {
namespace {

constexpr double kW = 480, kH = 300, kL = 64, kR = 16, kT = 28, kB = 44;

std::string num(double v) {
  char b[32];
  if (v != 0 && (std::fabs(v) < 1e-2 || std::fabs(v) >= 1e5)) std::snprintf(b, sizeof b, "%.1e", v);
  else std::snprintf(b, sizeof b, "%.3g", v);
  return b;
}

struct Axes {
  double x0, x1, y0, y1;
  bool log_y = false;
  double px(double x) const { return kL + (x - x0) / (x1 - x0 == 0 ? 1 : x1 - x0) * (kW - kL - kR); }
  double py(double y) const {
    if (log_y) y = std::log10(std::max(y, 1e-300));
    return kH - kB - (y - y0) / (y1 - y0 == 0 ? 1 : y1 - y0) * (kH - kT - kB);
  }
};

std::string frame(const Axes& a, const std::string& title, const std::string& xl, const std::string& yl, bool x_ticks) {
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << kW << "\" height=\"" << kH << "\" font-family=\"sans-serif\" font-size=\"11\">"
    << "<text x=\"" << kW / 2 << "\" y=\"16\" text-anchor=\"middle\" font-size=\"13\">" << html_escape(title) << "</text>"
    << "<line x1=\"" << kL << "\" y1=\"" << kH - kB << "\" x2=\"" << kW - kR << "\" y2=\"" << kH - kB << "\" stroke=\"#333\"/>"
    << "<line x1=\"" << kL << "\" y1=\"" << kT << "\" x2=\"" << kL << "\" y2=\"" << kH - kB << "\" stroke=\"#333\"/>";
  for (int k = 0; k <= 4; ++k) {
    const double yv = a.y0 + (a.y1 - a.y0) * k / 4.0;
    const double y = kH - kB - (kH - kT - kB) * k / 4.0;
    o << "<text x=\"" << kL - 4 << "\" y=\"" << y + 4 << "\" text-anchor=\"end\">" << num(a.log_y ? std::pow(10.0, yv) : yv) << "</text>"
      << "<line x1=\"" << kL << "\" y1=\"" << y << "\" x2=\"" << kW - kR << "\" y2=\"" << y << "\" stroke=\"#eee\"/>";
    if (x_ticks) {
      const double xv = a.x0 + (a.x1 - a.x0) * k / 4.0;
      o << "<text x=\"" << a.px(xv) << "\" y=\"" << kH - kB + 14 << "\" text-anchor=\"middle\">" << num(xv) << "</text>";
    }
  }
  o << "<text x=\"" << (kL + kW - kR) / 2 << "\" y=\"" << kH - 6 << "\" text-anchor=\"middle\">" << html_escape(xl) << "</text>"
    << "<text transform=\"translate(14," << (kT + kH - kB) / 2 << ") rotate(-90)\" text-anchor=\"middle\">" << html_escape(yl) << "</text>";
  return o.str();
}

std::pair<double, double> padded_range(const std::vector<double>& v, bool log) {
  double lo = INFINITY, hi = -INFINITY;
  for (double x : v) {
    if (!std::isfinite(x) || (log && x <= 0)) continue;
    x = log ? std::log10(x) : x;
    lo = std::min(lo, x), hi = std::max(hi, x);
  }
  if (!std::isfinite(lo)) return {0, 1};
  if (hi == lo) return {lo - 0.5, hi + 0.5};
  const double pad = 0.05 * (hi - lo);
  return {lo - pad, hi + pad};
}

}  // namespace

std::string html_escape(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '&': o += "&amp;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

std::string svg_bars(const std::vector<Bar>& bars, const std::string& title, const std::string& y_label) {
  std::vector<double> ends;
  for (const auto& b : bars) ends.push_back(b.value - b.error), ends.push_back(b.value + b.error);
  auto [lo, hi] = padded_range(ends, false);
  lo = std::min(lo, 0.0);
  Axes a{0, static_cast<double>(std::max<std::size_t>(1, bars.size())), lo, hi};
  std::ostringstream o;
  o << frame(a, title, "", y_label, false);
  for (std::size_t k = 0; k < bars.size(); ++k) {
    const auto& b = bars[k];
    const double x = a.px(static_cast<double>(k) + 0.2), w = a.px(static_cast<double>(k) + 0.8) - x, cx = x + w / 2;
    o << "<rect x=\"" << x << "\" y=\"" << a.py(b.value) << "\" width=\"" << w << "\" height=\"" << a.py(lo) - a.py(b.value)
      << "\" fill=\"#3b528b\"/>"
      << "<line x1=\"" << cx << "\" y1=\"" << a.py(b.value - b.error) << "\" x2=\"" << cx << "\" y2=\"" << a.py(b.value + b.error)
      << "\" stroke=\"#000\"/>"
      << "<text x=\"" << cx << "\" y=\"" << kH - kB + 14 << "\" text-anchor=\"middle\">" << html_escape(b.label) << "</text>";
  }
  o << "</svg>";
  return o.str();
}

std::string svg_line(const std::vector<double>& x, const std::vector<double>& y, const std::string& title, const std::string& xl,
                     const std::string& yl, bool log_y) {
  auto [x0, x1] = padded_range(x, false);
  auto [y0, y1] = padded_range(y, log_y);
  Axes a{x0, x1, y0, y1, log_y};
  std::ostringstream o;
  o << frame(a, title, xl, yl, true) << "<polyline fill=\"none\" stroke=\"#21918c\" stroke-width=\"1.5\" points=\"";
  for (std::size_t k = 0; k < x.size() && k < y.size(); ++k)
    if (std::isfinite(y[k]) && (!log_y || y[k] > 0)) o << a.px(x[k]) << "," << a.py(y[k]) << " ";
  o << "\"/></svg>";
  return o.str();
}

std::string svg_scatter(const std::vector<double>& x, const std::vector<double>& y, const std::string& title, const std::string& xl,
                        const std::string& yl) {
  auto [x0, x1] = padded_range(x, false);
  auto [y0, y1] = padded_range(y, false);
  Axes a{x0, x1, y0, y1};
  std::ostringstream o;
  o << frame(a, title, xl, yl, true);
  for (std::size_t k = 0; k < x.size() && k < y.size(); ++k)
    if (std::isfinite(x[k]) && std::isfinite(y[k]))
      o << "<circle cx=\"" << a.px(x[k]) << "\" cy=\"" << a.py(y[k]) << "\" r=\"2\" fill=\"#440154\" fill-opacity=\"0.5\"/>";
  o << "</svg>";
  return o.str();
}

}  // namespace seisinr::report
