// seisinr/report/report.h — the self-contained HTML report of a trained model (the paper's
// Figures 2–9 and Tables 6–9 on the given maps). Writes DIR/index.html with PNG files beside it;
// no network, no JavaScript libraries (one inline line checks that every image loaded).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "seisinr/data/dataset.h"
#include "seisinr/eval/evaluate.h"

namespace seisinr::report {

struct ReportOptions {
  std::string out_dir;
  std::string log_path;  // training log.jsonl for the loss curve; empty: none
  // An inversion's posterior (invert --uncertainty): its mean and standard-deviation maps (.npy),
  // drawn beside |mean − truth| (the data's maps are the truth); empty: none.
  std::string posterior_mean, posterior_std;
  eval::EvalOptions eval;
};

// Returns the evaluation summary (the same JSON `seisinr eval --json` writes) plus the storage table.
nlohmann::json write_report(const std::string& model_path, const data::Dataset& data, const ReportOptions& options);

}  // namespace seisinr::report
