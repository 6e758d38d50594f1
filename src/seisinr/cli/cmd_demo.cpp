// seisinr demo — the README's main job on embedded data (report/demo.h does it; this prints
// where it is and the headline numbers).
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/report/demo.h"
#include "seisinr/threads.h"
#include "seisinr/train/options.h"
#include "seisinr/optim/progress.h"

namespace seisinr::cli {

void add_demo(CLI::App* sub) {
  auto o = std::make_shared<report::DemoOptions>();
  sub->add_option("--out", o->out, "Output folder (data/, run/, report/)");
  sub->add_option("--count", o->count, "Synthetic maps per family (20% of each held out)")
      ->check(CLI::Range(std::int64_t{5}, std::int64_t{100000}));
  sub->add_option("--epochs", o->epochs, "Training epochs of the recommended preset (refined)")->check(CLI::PositiveNumber);
  sub->add_option("--seed", o->seed, "Random seed");
  sub->add_option("--threads", o->threads, "CPU threads, 0 = all cores");
  sub->callback([o] {
    std::cerr << "seisinr demo: " << o->count << " maps in each of 5 families, " << o->epochs << " epochs of the refined preset; expected about "
              << optim::format_duration(report::expected_demo_seconds(*o)) << " on 2 CPU cores\n";
    keep_freed_memory();
    const report::DemoResult r = report::run_demo(*o);
    const nlohmann::json& sum = r.summary;
    auto g = [&](const nlohmann::json& x, const char* k) { return x[k].contains("mean") ? x[k]["mean"].get<double>() : NAN; };
    std::printf("\nseisinr demo finished in %s\n", optim::format_duration(r.seconds).c_str());
    // Held-out maps first: they are what a code is for. Trained maps are fewer than a code's 256
    // numbers, so PCA alone holds them almost exactly and their figure measures memory.
    std::printf("  held-out maps (%3lld, never trained on, encoded with the decoder frozen): PSNR %.2f dB, SSIM %.4f\n",
                static_cast<long long>(r.heldout_maps), g(sum["heldout"], "psnr"), g(sum["heldout"], "ssim"));
    for (const auto& f : r.families)
      std::printf("  %-10s held out %.2f dB (trained %.2f dB)\n", f.c_str(), g(sum["families"][f]["heldout"], "psnr"),
                  g(sum["families"][f]["trained"], "psnr"));
    const std::int64_t d = train::preset(train::kRecommendedPreset).model.latent_dim;
    std::printf("  trained maps  (%3lld): PSNR %.2f dB, SSIM %.4f\n", static_cast<long long>(r.trained_maps), g(sum["trained"], "psnr"),
                g(sum["trained"], "ssim"));
    if (r.trained_maps <= d)
      std::printf("    (memory, not compression: %lld maps are no more than a code's %lld numbers, so PCA alone holds them exactly)\n",
                  static_cast<long long>(r.trained_maps), static_cast<long long>(d));
    std::printf("  model:  %s\n  report: %s\n", r.model_path.c_str(), r.report_path.c_str());
  });
}

}  // namespace seisinr::cli
