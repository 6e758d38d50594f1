// seisinr demo — the README's main job on embedded data: synthesise the five families, train the
// recommended `fidelity` preset (fewer epochs) on 80% of them, evaluate trained and held-out maps,
// write the report, and print where it is and the headline numbers.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/data/synth.h"
#include "seisinr/report/report.h"
#include "seisinr/threads.h"
#include "seisinr/train/progress.h"
#include "seisinr/train/trainer.h"

namespace seisinr::cli {

void add_demo(CLI::App& app) {
  struct Opts {
    std::string out = "seisinr-demo";
    std::int64_t count = 40;
    std::int64_t epochs = 200;
    std::uint64_t seed = 0;
    std::int64_t threads = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("demo", "Synthesise, train, evaluate and report on embedded synthetic data");
  sub->add_option("--out", o->out, "Output folder (data/, run/, report/)");
  sub->add_option("--count", o->count, "Synthetic maps per family (20% of each held out)")
      ->check(CLI::Range(std::int64_t{5}, std::int64_t{100000}));
  sub->add_option("--epochs", o->epochs, "Training epochs (fidelity preset otherwise)")->check(CLI::PositiveNumber);
  sub->add_option("--seed", o->seed, "Random seed");
  sub->add_option("--threads", o->threads, "CPU threads, 0 = all cores");
  sub->callback([o] {
    namespace fs = std::filesystem;
    const auto start = std::chrono::steady_clock::now();
    // Measured 2026-12-02 on 2 cores: ~300 maps/s for the fidelity preset (docs/fidelity.md).
    const double expect_s = 5.0 * static_cast<double>(o->count) * 0.8 * static_cast<double>(o->epochs) / 300.0 + 60.0;
    std::cerr << "seisinr demo: " << o->count << " maps in each of 5 families, " << o->epochs
              << " epochs of the fidelity preset; expected about " << train::format_duration(expect_s) << " on 2 CPU cores\n";
    const fs::path out(o->out), data_dir = out / "data", run_dir = out / "run", report_dir = out / "report";
    fs::create_directories(data_dir);
    std::vector<data::DataSpec> specs;
    for (data::Family f : data::all_families()) {
      const std::string path = (data_dir / (data::family_name(f) + ".npy")).string();
      io::write_velocity_npy(path, data::synthesize(f, o->count, o->seed));
      specs.push_back({path, data::family_name(f)});
    }
    const data::Dataset ds = data::load_dataset(specs);
    train::TrainOptions t = train::preset(train::kRecommendedPreset);
    t.epochs = o->epochs;
    t.seed = o->seed;
    t.threads = o->threads;
    train::RunOptions run;
    run.dir = run_dir.string();
    run.force = true;
    keep_freed_memory();
    train::TrainSummary s = train::train(ds, t, run);
    std::cerr << "seisinr demo: evaluating and writing the report (held-out maps are encoded first)\n";
    report::ReportOptions r;
    r.out_dir = report_dir.string();
    r.log_path = (run_dir / "log.jsonl").string();
    nlohmann::json sum = report::write_report(s.model_path, ds, r);
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    auto g = [&](const nlohmann::json& x, const char* k) { return x[k].contains("mean") ? x[k]["mean"].get<double>() : NAN; };
    std::printf("\nseisinr demo finished in %s\n", train::format_duration(secs).c_str());
    std::printf("  trained maps  (%3lld): PSNR %.2f dB, SSIM %.4f\n", static_cast<long long>(s.trained_maps), g(sum["trained"], "psnr"),
                g(sum["trained"], "ssim"));
    std::printf("  held-out maps (%3lld): PSNR %.2f dB, SSIM %.4f (encoded with the decoder frozen)\n",
                static_cast<long long>(s.heldout_maps), g(sum["heldout"], "psnr"), g(sum["heldout"], "ssim"));
    for (const auto& f : ds.families)
      std::printf("  %-10s trained PSNR %.2f dB, held out %.2f dB\n", f.c_str(), g(sum["families"][f]["trained"], "psnr"),
                  g(sum["families"][f]["heldout"], "psnr"));
    std::printf("  model:  %s\n  report: %s\n", s.model_path.c_str(), (report_dir / "index.html").string().c_str());
  });
}

}  // namespace seisinr::cli
