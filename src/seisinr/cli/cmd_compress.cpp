// seisinr compress / decompress / encode — the codec on the command line (compress/compress.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/text.h"
#include "seisinr/dist/comm.h"
#include "seisinr/compress/compress.h"
#include "seisinr/compress/summary.h"
#include "seisinr/io/atomic_file.h"
#include "seisinr/io/segy.h"
#include "seisinr/threads.h"

namespace seisinr::cli {
namespace {

void add_encode_options(CLI::App* sub, encode::EncodeOptions& e) {
  sub->add_option("--encode-steps", e.steps, "Adam steps per new map");
  sub->add_option("--encode-points", e.points, "Random points per new map per step, 0 = all");
  sub->add_option("--encode-lr", e.lr, "Adam learning rate for new maps' codes")->check(finite_positive());
  add_named_option(sub, "--init", e.init,
                   "Starting code of a new map: auto (project with a linear path, else nearest) | project (least squares through the "
                   "linear path) | mean | zero | nearest (trained code with the closest decoded map)");
  sub->add_option("--target-psnr", e.target_psnr, "Stop a map's encoding once it reaches this PSNR (dB); 0 = run every step")
      ->check(finite_non_negative());
}

void write_json(const std::string& path, const nlohmann::json& j) {
  if (path.empty()) return;
  const std::string text = j.dump(1) + "\n";
  io::write_file_atomic(path, text.data(), text.size());
}

}  // namespace

void add_compress(CLI::App* sub) {
  struct Opts {
    std::vector<std::string> data;
    std::string out, json;
    bool force = false;
    compress::CompressOptions c;
  };
  auto o = std::make_shared<Opts>();
  add_data_option(sub, o->data)->required();
  sub->add_option("--out", o->out, "Compressed file (.sinr)")->required();
  sub->add_option("--model", o->c.model, "Decoder to share (stored by hash, not embedded); without it a decoder is trained on the maps and embedded")
      ->check(CLI::ExistingFile);
  sub->add_option("--latent-bits", o->c.latent_bits, "Bits per latent value: 1 to 16 (uniform, per-dimension range), or 32 (float32)");
  sub->add_option("--max-error", o->c.max_error, "Every value within this many m/s of the original (residuals stored); 0 = no bound")
      ->check(finite_non_negative());
  sub->add_flag("!--no-fallback", o->c.fallback, "Keep every map on the neural path even when a plain coder is smaller");
  sub->add_option("--preset", o->c.preset, "Training settings when no --model is given")->check(CLI::IsMember(train::preset_names()));
  sub->add_option("--epochs", o->c.epochs, "Training epochs when no --model is given; 0 = the preset's");
  sub->add_option("--run", o->c.run_dir, "Training run folder when no --model is given (default: OUT.run); keeps model.sinr and checkpoints");
  sub->add_flag("--resume", o->c.resume, "Resume the training run in --run, or a tiled fit that was interrupted (its codes so far are in --run/tiles.state.sinr)");
  add_encode_options(sub, o->c.encode);
  add_named_option(sub, "--tiles", o->c.tiling, "One large model as overlapping tiles with a code each (auto: one map of more than 512x512 values)");
  compress::TileOptions& t = o->c.tiles;
  sub->add_option("--tile-scale", t.scale, "Tiles: model samples per decoder sample (a tile spans (T-1)*scale+1 samples)")->check(CLI::PositiveNumber);
  sub->add_option("--tile-overlap", t.overlap, "Tiles: decoder samples shared by neighbouring tiles, blended linearly")->check(CLI::PositiveNumber);
  sub->add_option("--tile-size", t.size, "Tiles: decoder grid T when a decoder is trained on the model's own tiles (no --model)")->check(CLI::Range(2, 4096));
  sub->add_option("--block", t.block, "Tiles with --max-error: residual blocks of this many samples per side")->check(CLI::Range(2, 65536));
  sub->add_option("--prediction-stride", t.prediction_stride, "Tiles: decode the blended tiles on a lattice every this many samples, bilinear between (the neural prediction of bounded blocks, and every decode); 0 = --tile-scale")
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--json", o->json, "Write statistics (bytes per map and section, paths, PSNR, SSIM, max error) to this JSON file");
  add_threads_option(sub, o->c.threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    io::check_outputs(input_files(o->data, {o->c.model}), {{o->out, io::FileKind::sinr}, {o->json, io::FileKind::json}}, o->force);
    o->c.replace_other_kind = o->force;
    set_threads(o->c.threads);
    keep_freed_memory();
    const data::Dataset ds = read_data(o->data);
    const nlohmann::json s = compress::compress(ds, o->c, o->out);
    std::fputs(compress::summary(s, o->out).c_str(), stdout);
    write_json(o->json, s);
  });
}

void add_decompress(CLI::App* sub) {
  struct Opts {
    std::string in, out, resolution, window;
    bool force = false;
    compress::DecompressOptions d;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("file", o->in, "Compressed file")->required()->check(CLI::ExistingFile);
  sub->add_option("--out", o->out, "Output .npy, or .sgy/.segy for a single model (IEEE floats, the stored spacing); default: FILE.decompressed.sgy when a tiled model came from SEG-Y, else FILE.decompressed.npy (never replaced without --force)");
  sub->add_option("--window", o->window, "Only rows Z0:Z1 and columns X0:X1 of a tiled model (samples, end excluded), e.g. 0:1000,5000:6000");
  sub->add_option("--resolution", o->resolution, "HxW (default: the stored grid); other grids need --latents-only when the file has an error bound")
      ->check(size_validator());
  sub->add_option("--model", o->d.model, "The decoder, when the file references one by hash (else searched in the file's folder and SEISINR_MODEL_PATH)")
      ->check(CLI::ExistingFile);
  sub->add_option("--search", o->d.search, "Another folder to search for the decoder (repeatable)");
  sub->add_flag("--latents-only", o->d.latents_only, "Decode the latent codes alone (no residuals, no error bound)");
  add_threads_option(sub, o->d.threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    if (o->out.empty()) {
      o->out = compress::default_output(o->in);
      if (std::filesystem::exists(o->out) && !o->force)
        throw Error(o->out + " exists (the default output of decompress " + o->in + "); pass --out or --force", ErrorKind::usage);
    }
    const bool segy = io::is_segy_path(o->out);
    io::check_outputs({o->in, o->d.model}, {{o->out, segy ? io::FileKind::other : io::FileKind::npy}}, o->force);
    set_threads(o->d.threads);
    if (!o->resolution.empty()) parse_size(o->resolution, "--resolution", o->d.height, o->d.width);
    io::Geometry grid;
    const io::MapStack maps = o->window.empty() ? compress::decompress(o->in, o->d, &grid)
                                                : compress::decompress_window(o->in, compress::parse_window(o->window), o->d, &grid);
    if (segy)
      io::write_segy(o->out, maps, grid);
    else
      io::write_velocity_npy(o->out, maps);
    std::printf("%s: %s of %lldx%lld\n", o->out.c_str(), count_of(maps.n, "map").c_str(), static_cast<long long>(maps.h),
                static_cast<long long>(maps.w));
  });
}

void add_encode(CLI::App* sub) {
  struct Opts {
    std::vector<std::string> data;
    std::string out, json;
    bool force = false;
    compress::CompressOptions c;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--model", o->c.model, "Trained model (RUN/model.sinr)")->required()->check(CLI::ExistingFile);
  add_data_option(sub, o->data)->required();
  sub->add_option("--out", o->out, "Codes (.sinr, float32; decompress turns them back into maps)")->required();
  add_encode_options(sub, o->c.encode);
  sub->add_option("--json", o->json, "Write per-map quality and timing to this JSON file");
  add_threads_option(sub, o->c.threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    io::check_outputs(input_files(o->data, {o->c.model}), {{o->out, io::FileKind::sinr}, {o->json, io::FileKind::json}}, o->force);
    o->c.replace_other_kind = o->force;
    set_threads(o->c.threads);
    keep_freed_memory();
    o->c.latent_bits = 32;
    o->c.max_error = 0;
    const data::Dataset ds = read_data(o->data);
    const auto t0 = std::chrono::steady_clock::now();
    nlohmann::json s = compress::compress(ds, o->c, o->out);  // under MPI the encoding is shared out
    if (dist::rank() != 0) return;
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    s["seconds"] = secs;
    s["seconds_per_map"] = secs / static_cast<double>(ds.size());
    std::printf("%s: %lld maps (%lld encoded, the rest the decoder's own training maps) in %.1f s (%.3f s/map)\n", o->out.c_str(),
                static_cast<long long>(ds.size()), static_cast<long long>(s["encoded_maps"].get<std::int64_t>()), secs,
                secs / static_cast<double>(ds.size()));
    std::fputs(compress::quality_table(s).c_str(), stdout);
    write_json(o->json, s);
  });
}

}  // namespace seisinr::cli
