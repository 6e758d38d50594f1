// seisinr/cli/data_option.h — the shared `--data PATH[:FAMILY]` option and model loading.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "seisinr/data/dataset.h"

namespace seisinr::cli {

inline CLI::Option* add_data_option(CLI::App* sub, std::vector<std::string>& data) {
  return sub->add_option("--data", data, "Velocity maps: PATH[:FAMILY], a .npy file or a folder of them (repeatable)");
}

inline data::Dataset load_data(const std::vector<std::string>& data) {
  std::vector<data::DataSpec> specs;
  for (const auto& d : data) specs.push_back(data::parse_data_spec(d));
  return data::load_dataset(specs);
}

}  // namespace seisinr::cli
