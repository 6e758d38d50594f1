// seisinr/report/demo.cpp — see demo.h.
#include "seisinr/report/demo.h"

#include <chrono>
#include <filesystem>
#include <iostream>

#include "seisinr/data/synth.h"
#include "seisinr/report/report.h"
#include "seisinr/train/trainer.h"

namespace seisinr::report {

double expected_demo_seconds(const DemoOptions& o) {
  // Measured 2026-12-04 on 2 cores: ~57 maps/s for the refined preset (docs/fidelity.md), and
  // about a second per held-out map to encode it for the report.
  return 5.0 * static_cast<double>(o.count) * 0.8 * static_cast<double>(o.epochs) / 57.0 + static_cast<double>(o.count) + 60.0;
}

DemoResult run_demo(const DemoOptions& o, std::ostream* log) {
  namespace fs = std::filesystem;
  std::ostream& out = log ? *log : std::cerr;
  const auto start = std::chrono::steady_clock::now();
  const fs::path dir(o.out), data_dir = dir / "data", run_dir = dir / "run", report_dir = dir / "report";
  fs::create_directories(data_dir);
  std::vector<data::DataSpec> specs;
  for (data::Family f : data::all_families()) {
    const std::string path = (data_dir / (data::family_name(f) + ".npy")).string();
    io::write_velocity_npy(path, data::synthesize(f, o.count, o.seed));
    specs.push_back({path, data::family_name(f)});
  }
  const data::Dataset ds = data::load_dataset(specs);
  train::TrainOptions t = train::preset(train::kRecommendedPreset);
  t.epochs = o.epochs;
  t.seed = o.seed;
  t.threads = o.threads;
  train::RunOptions run;
  run.dir = run_dir.string();
  run.force = true;
  run.log = &out;
  const train::TrainSummary s = train::train(ds, t, run);
  out << "seisinr demo: evaluating and writing the report (held-out maps are encoded first)\n";
  ReportOptions r;
  r.out_dir = report_dir.string();
  r.log_path = (run_dir / "log.jsonl").string();
  DemoResult result;
  result.summary = write_report(s.model_path, ds, r);
  result.model_path = s.model_path;
  result.report_path = (report_dir / "index.html").string();
  result.trained_maps = s.trained_maps;
  result.heldout_maps = s.heldout_maps;
  result.families = ds.families;
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace seisinr::report
