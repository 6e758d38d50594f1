// seisinr/cli/data_option.h — the shared `--data PATH[:FAMILY]` option and model loading.
#pragma once

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"
#include "seisinr/io/output_guard.h"

namespace seisinr::cli {

inline CLI::Option* add_data_option(CLI::App* sub, std::vector<std::string>& data) {
  return sub->add_option("--data", data, "Velocity maps: PATH[:FAMILY], a .npy file or a folder of them (repeatable)");
}

inline data::Dataset load_data(const std::vector<std::string>& data) {
  std::vector<data::DataSpec> specs;
  for (const auto& d : data) specs.push_back(data::parse_data_spec(d));
  return data::load_dataset(specs);
}

// `--force`: replace an existing output that holds another kind of file (io/output_guard.h).
inline CLI::Option* add_force_option(CLI::App* sub, bool& force) {
  return sub->add_flag("--force", force, "Replace an existing output even when it holds another kind of file (never an input)");
}

// The files a command reads: the --data sources (a folder's *.npy files), then `others`.
inline std::vector<std::string> input_files(const std::vector<std::string>& data, std::vector<std::string> others = {}) {
  std::vector<std::string> in;
  for (const auto& d : data) {
    const std::string path = data::parse_data_spec(d).path;
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      for (const auto& e : std::filesystem::directory_iterator(path, ec))
        if (e.path().extension() == ".npy") in.push_back(e.path().string());
    } else {
      in.push_back(path);
    }
  }
  in.insert(in.end(), others.begin(), others.end());
  return in;
}

}  // namespace seisinr::cli
