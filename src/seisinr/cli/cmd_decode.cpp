// seisinr decode — velocity maps from a model's latent codes at any resolution, streamed to a
// .npy in batches so memory stays bounded.
#include <iostream>
#include <memory>
#include <sstream>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/text.h"
#include "seisinr/io/output_guard.h"
#include "seisinr/io/segy.h"
#include "seisinr/seisinr.h"

namespace seisinr::cli {

void add_decode(CLI::App* sub) {
  struct Opts {
    std::string model, maps, resolution, out, file, window;
    bool all = false, force = false;
    std::int64_t batch_points = 0;
    std::int64_t threads = 0;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("file", o->file, "A tiled model (compress --tiles) to decode a --window of, instead of a model's maps")->check(CLI::ExistingFile);
  sub->add_option("--window", o->window, "With FILE: rows Z0:Z1 and columns X0:X1 (samples, end excluded), e.g. 0:1000,5000:6000; default the whole model");
  sub->add_option("--model", o->model, "Model file (with FILE: its decoder, when referenced by hash)")->check(CLI::ExistingFile);
  auto* maps = sub->add_option("--maps", o->maps, "Comma-separated latent rows to decode, e.g. 0,5,7");
  auto* all = sub->add_flag("--all", o->all, "Decode every trained map");
  maps->excludes(all);
  sub->add_option("--resolution", o->resolution, "HxW (default: the model's grid)")->check(size_validator());
  sub->add_option("--out", o->out, "Output .npy, shape (N, 1, H, W)")->required();
  sub->add_option("--batch-points", o->batch_points, "Points decoded at once (bounds memory); 0 = 2^22 / hidden, 4,096 to 16,384 on the CPU")
      ->check(CLI::NonNegativeNumber);
  add_threads_option(sub, o->threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    if (!o->file.empty()) {  // a window of a tiled model, any grid, a band or block at a time
      if (!o->maps.empty() || o->all) throw CLI::ValidationError("--maps and --all pick a model's maps; with FILE give --window");
      const bool segy = io::is_segy_path(o->out);
      io::check_outputs({o->file, o->model}, {{o->out, segy ? io::FileKind::other : io::FileKind::npy}}, o->force);
      set_threads(o->threads);
      DecompressOptions d;
      d.model = o->model, d.threads = o->threads, d.latents_only = true;
      if (!o->resolution.empty()) parse_size(o->resolution, "--resolution", d.height, d.width);
      const Maps m = decompress_to_file(o->file, o->out, d, o->window.empty() ? Window{} : parse_window(o->window));
      std::cout << o->out << ": window of " << m.h << "x" << m.w << " (latent codes only)\n";
      return;
    }
    if (o->model.empty()) throw CLI::ValidationError("give --model (a model's maps) or FILE (a tiled model's window)");
    io::check_outputs({o->model}, {{o->out, io::FileKind::npy}}, o->force);
    set_threads(o->threads);
    keep_freed_memory();  // blocks of the same sizes every batch: reuse them, no faults (peak flat in N: DecodeCli tests)
    const Model m = Model::load(o->model);
    const std::int64_t n = m.trained_maps();
    std::vector<std::int64_t> rows;
    if (o->all) {
      for (std::int64_t i = 0; i < n; ++i) rows.push_back(i);
    } else {
      if (o->maps.empty()) throw CLI::ValidationError("give --maps i,j,k or --all");
      std::stringstream ss(o->maps);
      std::string tok;
      while (std::getline(ss, tok, ',')) {
        std::size_t used = 0;
        std::int64_t v = -1;
        try {
          v = std::stoll(tok, &used);
        } catch (...) {
        }
        if (used != tok.size() || v < 0 || v >= n)
          throw CLI::ValidationError("--maps: '" + tok + "' is not a latent row in 0.." + std::to_string(n - 1));
        rows.push_back(v);
      }
    }
    std::int64_t h = m.height(), w = m.width();
    if (!o->resolution.empty()) parse_size(o->resolution, "--resolution", h, w);
    m.decode_to_npy(o->out, rows, h, w, o->batch_points);  // streamed: memory stays flat in N, H and W
    std::cout << o->out << ": " << count_of(static_cast<std::int64_t>(rows.size()), "map") << " of " << h << "x" << w << "\n";
  });
}

}  // namespace seisinr::cli
