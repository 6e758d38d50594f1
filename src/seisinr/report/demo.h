// seisinr/report/demo.h — the README's main job as one call: synthesise the five families,
// train the recommended preset (`refined`, fewer epochs) on 80% of them, evaluate trained and
// held-out maps and write the report. `seisinr demo` prints what this returns.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace seisinr::report {

struct DemoOptions {
  std::string out = "seisinr-demo";  // data/, run/, report/ are written here
  std::int64_t count = 40;           // synthetic maps per family (20% of each held out)
  std::int64_t epochs = 60;          // of the recommended preset (its cosine schedule spans them)
  std::uint64_t seed = 0;
  std::int64_t threads = 0;          // 0 = all cores
};

struct DemoResult {
  std::string model_path, report_path;   // RUN/model.sinr, REPORT/index.html
  std::int64_t trained_maps = 0, heldout_maps = 0;
  std::vector<std::string> families;
  nlohmann::json summary;                // the report's evaluation summary (eval/evaluate.h)
  double seconds = 0;
};

// Seconds the demo is expected to take on 2 cores (measured rate; docs/fidelity.md).
double expected_demo_seconds(const DemoOptions& options);

// Progress goes to `log` (nullptr = std::cerr).
DemoResult run_demo(const DemoOptions& options, std::ostream* log = nullptr);

}  // namespace seisinr::report
