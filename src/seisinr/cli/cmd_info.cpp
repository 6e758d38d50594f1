// seisinr info FILE... — header and sections of a .sinr file, shape, dtype, range and family
// counts of a .npy file, or samples, traces, spacing and range of a SEG-Y model.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "seisinr/cli/commands.h"
#include "seisinr/data/summary.h"

namespace seisinr::cli {

void add_info(CLI::App* sub) {
  struct Opts {
    std::vector<std::string> files;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("files", o->files, "Files to describe (.sinr, .npy, .sgy/.segy)")->required()->check(CLI::ExistingFile);
  sub->add_flag("--json", o->json, "Print JSON (one array) instead of text");
  sub->callback([o] {
    nlohmann::json all = nlohmann::json::array();
    for (const auto& f : o->files) {
      nlohmann::json s = data::summarize_file(f);
      if (o->json) all.push_back(s);
      else std::cout << data::render_summary(s);
    }
    if (o->json) std::cout << all.dump(2) << "\n";
  });
}

}  // namespace seisinr::cli
