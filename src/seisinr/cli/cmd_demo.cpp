// seisinr demo — the README's main job on embedded data: synthesise the five families and
// summarise them. (Training, evaluation and the report join as those stages land.)
#include <chrono>
#include <filesystem>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/data/summary.h"
#include "seisinr/data/synth.h"

namespace seisinr::cli {

void add_demo(CLI::App& app) {
  struct Opts {
    std::string out = "seisinr-demo";
    std::int64_t count = 20;
    std::uint64_t seed = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("demo", "Run the whole pipeline on synthetic data and print the headline numbers");
  sub->add_option("--out", o->out, "Output folder");
  sub->add_option("--count", o->count, "Synthetic maps per family")->check(CLI::Range(std::int64_t{2}, std::int64_t{100000}));
  sub->add_option("--seed", o->seed, "Random seed");
  sub->callback([o] {
    const auto start = std::chrono::steady_clock::now();
    std::cerr << "seisinr demo: synthesising " << o->count << " maps in each of 5 families (a few seconds)\n";
    const auto data_dir = std::filesystem::path(o->out) / "data";
    std::filesystem::create_directories(data_dir);
    for (data::Family f : data::all_families()) {
      const std::string path = (data_dir / (data::family_name(f) + ".npy")).string();
      io::write_velocity_npy(path, data::synthesize(f, o->count, o->seed));
      std::cout << data::render_summary(data::summarize_npy(path));
    }
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << "demo data written to " << data_dir.string() << " in " << s << " s\n";
  });
}

}  // namespace seisinr::cli
