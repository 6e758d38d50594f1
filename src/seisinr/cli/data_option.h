// seisinr/cli/data_option.h — the shared `--data PATH[:FAMILY]` and `--force` options, and the
// inputs the output guard protects. Loading is the library's (seisinr::load_data).
#pragma once

#include <CLI/CLI.hpp>
#include <iostream>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"
#include "seisinr/io/output_guard.h"
#include "seisinr/seisinr.h"

namespace seisinr::cli {

inline CLI::Option* add_data_option(CLI::App* sub, std::vector<std::string>& data) {
  return sub->add_option("--data", data, "Velocity maps: PATH[:FAMILY], a .npy or SEG-Y (.sgy, .segy) file or a folder of them (repeatable)");
}

// `--force`: replace an existing output that holds another kind of file (io/output_guard.h).
inline CLI::Option* add_force_option(CLI::App* sub, bool& force) {
  return sub->add_flag("--force", force, "Replace an existing output even when it holds another kind of file (never an input)");
}

// Each file's speed warning (data::Dataset::warnings), printed to stderr.
inline void print_warnings(const data::Dataset& d) {
  for (const std::string& w : d.warnings) std::cerr << "seisinr: " << w << "\n";
}

// The --data sources loaded (seisinr::load_data), their warnings printed.
inline data::Dataset read_data(const std::vector<std::string>& specs) {
  data::Dataset d = load_data(specs);
  print_warnings(d);
  return d;
}

// The files a command reads: the --data sources (data::source_files), then `others`.
inline std::vector<std::string> input_files(const std::vector<std::string>& data, std::vector<std::string> others = {}) {
  std::vector<std::string> in = data::source_files(data);
  in.insert(in.end(), others.begin(), others.end());
  return in;
}

}  // namespace seisinr::cli
