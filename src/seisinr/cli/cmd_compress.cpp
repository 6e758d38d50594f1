// seisinr compress / decompress / encode — the codec on the command line (compress/compress.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/text.h"
#include "seisinr/dist/comm.h"
#include "seisinr/seisinr.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/io/segy.h"
#include "seisinr/threads.h"

namespace seisinr::cli {
namespace {

// What compress and encode share: maps in, one .sinr and an optional JSON out.
struct CodecJob {
  std::vector<std::string> data;
  std::string out, json;
  bool force = false;
  CompressOptions c;

  // Refuses outputs that would replace an input (or another kind of file without --force), sets
  // the threads and reads the maps.
  data::Dataset start() {
    io::check_outputs(input_files(data, {c.model}), {{out, io::FileKind::sinr}, {json, io::FileKind::json}}, force);
    c.replace_other_kind = force;
    set_threads(c.threads);
    keep_freed_memory();
    return read_data(data);
  }
};

void write_json(const std::string& path, const nlohmann::json& j) {
  if (path.empty()) return;
  const std::string text = j.dump(1) + "\n";
  io::write_file_atomic(path, text.data(), text.size());
}

}  // namespace

void add_compress(CLI::App* sub) {
  auto o = std::make_shared<CodecJob>();
  add_data_option(sub, o->data)->required();
  sub->add_option("--out", o->out, "Compressed file (.sinr)")->required();
  add_fields(sub, o->c);  // compress/options.h: CompressOptions::fields
  sub->add_option("--json", o->json, "Write statistics (bytes per map and section, paths, PSNR, SSIM, max error) to this JSON file");
  add_threads_option(sub, o->c.threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    const data::Dataset ds = o->start();
    const nlohmann::json s = compress_maps(ds, o->out, o->c);
    std::fputs(compress_summary(s, o->out).c_str(), stdout);
    write_json(o->json, s);
  });
}

void add_decompress(CLI::App* sub) {
  struct Opts {
    std::string in, out, resolution, window;
    bool force = false;
    DecompressOptions d;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("file", o->in, "Compressed file")->required()->check(CLI::ExistingFile);
  sub->add_option("--out", o->out, "Output .npy, or .sgy/.segy for a single model (IEEE floats, the stored spacing); default: FILE.decompressed.sgy when a tiled model came from SEG-Y, else FILE.decompressed.npy (never replaced without --force)");
  sub->add_option("--window", o->window, "Only rows Z0:Z1 and columns X0:X1 of a tiled model (samples, end excluded), e.g. 0:1000,5000:6000");
  sub->add_option("--resolution", o->resolution, "HxW (default: the stored grid); other grids need --latents-only when the file has an error bound")
      ->check(size_validator());
  add_fields(sub, o->d);  // DecompressOptions::fields
  add_threads_option(sub, o->d.threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    if (o->out.empty()) {
      o->out = default_decompress_output(o->in);
      if (std::filesystem::exists(o->out) && !o->force)
        throw Error(o->out + " exists (the default output of decompress " + o->in + "); pass --out or --force", ErrorKind::usage);
    }
    const bool segy = io::is_segy_path(o->out);
    io::check_outputs({o->in, o->d.model}, {{o->out, segy ? io::FileKind::other : io::FileKind::npy}}, o->force);
    set_threads(o->d.threads);
    if (!o->resolution.empty()) parse_size(o->resolution, "--resolution", o->d.height, o->d.width);
    const std::optional<Window> window = o->window.empty() ? std::nullopt : std::optional<Window>(parse_window(o->window));
    const Maps maps = decompress_to_file(o->in, o->out, o->d, window);
    std::printf("%s: %s of %lldx%lld\n", o->out.c_str(), count_of(maps.n, "map").c_str(), static_cast<long long>(maps.h),
                static_cast<long long>(maps.w));
  });
}

void add_encode(CLI::App* sub) {
  auto o = std::make_shared<CodecJob>();
  sub->add_option("--model", o->c.model, "Trained model (RUN/model.sinr)")->required()->check(CLI::ExistingFile);
  add_data_option(sub, o->data)->required();
  sub->add_option("--out", o->out, "Codes (.sinr, float32; decompress turns them back into maps)")->required();
  add_fields(sub, o->c.encode);  // encode/options.h: EncodeOptions::fields
  sub->add_option("--json", o->json, "Write per-map quality and timing to this JSON file");
  add_threads_option(sub, o->c.threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    o->c.latent_bits = 32;
    o->c.max_error = 0;
    const data::Dataset ds = o->start();
    const auto t0 = std::chrono::steady_clock::now();
    nlohmann::json s = compress_maps(ds, o->out, o->c);  // under MPI the encoding is shared out
    if (dist::rank() != 0) return;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    s["seconds"] = secs;
    s["seconds_per_map"] = secs / static_cast<double>(ds.size());
    std::printf("%s: %lld maps (%lld encoded, the rest the decoder's own training maps) in %.1f s (%.3f s/map)\n", o->out.c_str(),
                static_cast<long long>(ds.size()), static_cast<long long>(s["encoded_maps"].get<std::int64_t>()), secs,
                secs / static_cast<double>(ds.size()));
    std::fputs(quality_table(s).c_str(), stdout);
    write_json(o->json, s);
  });
}

}  // namespace seisinr::cli
