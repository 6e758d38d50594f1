// seisinr synth — writes the five synthetic families as OpenFWI-shaped .npy files.
#include <filesystem>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/parse.h"
#include "seisinr/seisinr.h"

namespace seisinr::cli {

void add_synth(CLI::App* sub) {
  struct Opts {
    std::string out;
    std::int64_t count = 100;
    std::uint64_t seed = 0;
    std::string size = "70x70";
    std::vector<std::string> families = names_of<data::Family>();
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--out", o->out, "Output folder (created if missing)")->required();
  sub->add_option("--count", o->count, "Maps per family")->check(CLI::Range(std::int64_t{1}, std::int64_t{10000000}));
  sub->add_option("--seed", o->seed, "Random seed; the same seed gives the same files on any machine");
  sub->add_option("--size", o->size, "Map size HxW (rows = depth z, columns = x)")->check(size_validator());
  sub->add_option("--families", o->families, "Families to write")
      ->check(CLI::IsMember(names_of<data::Family>()));
  sub->callback([o] {
    SynthOptions so;
    parse_size(o->size, "--size", so.h, so.w);
    std::filesystem::create_directories(o->out);
    for (const auto& name : o->families) {
      const std::string path = (std::filesystem::path(o->out) / (name + ".npy")).string();
      write_npy(path, synth(name, o->count, o->seed, so));
      std::cout << path << "\n";
    }
  });
}

}  // namespace seisinr::cli
