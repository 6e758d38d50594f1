// seisinr/report/svg.h — small inline SVG charts for the report: bars with error bars, a line
// chart (optionally log-scaled y) and a scatter plot. Torch-free, no JavaScript.
#pragma once

#include <string>
#include <vector>

namespace seisinr::report {

struct Bar {
  std::string label;
  double value, error;
};

std::string svg_bars(const std::vector<Bar>& bars, const std::string& title, const std::string& y_label);
std::string svg_line(const std::vector<double>& x, const std::vector<double>& y, const std::string& title,
                     const std::string& x_label, const std::string& y_label, bool log_y);
std::string svg_scatter(const std::vector<double>& x, const std::vector<double>& y, const std::string& title,
                        const std::string& x_label, const std::string& y_label);

std::string html_escape(const std::string& s);

}  // namespace seisinr::report
