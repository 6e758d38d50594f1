// seisinr/seisinr.h — the public C++ API: everything a program needs to use trained models and
// the codec, without libtorch in its own code (the implementation links it).
//
//   #include <seisinr/seisinr.h>
//
//   seisinr::Model model = seisinr::Model::load("run/model.sinr");
//   seisinr::Maps two = model.decode({0, 5});                  // trained maps 0 and 5, m/s
//   seisinr::Maps big = model.decode({0}, 280, 280);           // map 0 at 4x the resolution
//   seisinr::Maps mine = seisinr::read_npy("new_maps.npy");    // (N, 1, H, W) or (N, H, W)
//   std::vector<float> codes = model.encode(mine);             // N x latent_dim, decoder frozen
//   seisinr::write_npy("back.npy", model.decode_codes(codes, mine.h, mine.w));
//   seisinr::Maps fresh = model.sample("CurveVel", 100, /*seed=*/1);  // new maps of a family
//
//   seisinr::CompressOptions c;                                // `seisinr compress`'s defaults
//   c.model = "run/model.sinr", c.max_error = 5;               // shared decoder, |error| <= 5 m/s
//   seisinr::compress_maps(seisinr::dataset(mine), "new.sinr", c);
//   seisinr::DecompressOptions d;
//   d.model = "run/model.sinr";                                // the decoder the file names by hash
//   seisinr::Maps back = seisinr::decompress_maps("new.sinr", d);
//   seisinr::Evaluation e = model.evaluate(seisinr::load_data({"test/FaultA.npy"}));
//
//   seisinr::InversionOptions v;                               // `seisinr invert`'s defaults
//   v.data = "gathers.npy", v.model = "run/model.sinr", v.out = "v.npy";
//   v.uncertainty.method = seisinr::invert::UncertaintyMethod::laplace;  // + v.std.npy, v.samples.npy
//   nlohmann::json summary = seisinr::invert_data(v);
//
// CMake: find_package(seisinr CONFIG REQUIRED) and target_link_libraries(app seisinr::seisinr);
// or pkg-config --cflags --libs seisinr.
// Errors are seisinr::Error (seisinr/error.h): the file and the problem in what(), and a kind
// (usage, io, corrupt, unsupported, failed).
// Stable: the names in this header. The option structs are the library's own (one home, one
// default each); their headers are installed because these names refer to them.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "seisinr/compress/options.h"
#include "seisinr/data/dataset.h"
#include "seisinr/data/synth.h"
#include "seisinr/error.h"
#include "seisinr/eval/evaluate.h"
#include "seisinr/invert/options.h"
#include "seisinr/io/npy.h"
#include "seisinr/model/code_density.h"
#include "seisinr/model/precision.h"
#include "seisinr/threads.h"  // set_threads(n): CPU threads for the library's kernels (0 = all cores)
#include "seisinr/encode/options.h"

namespace seisinr {

// N maps of H × W values (m/s), row-major, z along rows: io::MapStack.
using Maps = io::MapStack;
// Maps with the family, file and position of each: what `--data` reads.
using Dataset = data::Dataset;
using EncodeOptions = encode::EncodeOptions;
using EncodeInit = encode::EncodeInit;  // EncodeOptions::init; its words: name_of, parse_name (names.h)
using CompressOptions = compress::CompressOptions;
using DecompressOptions = compress::DecompressOptions;
using EvalOptions = eval::EvalOptions;
using Evaluation = eval::EvalResult;  // per-map scores, the summary JSON, reconstructions if asked
using SynthOptions = data::SynthOptions;
using InversionOptions = invert::RunOptions;
using Device = model::Device;  // where a model's tensors live: cpu | cuda (names.h words)

// Reads velocity maps from .npy (float32/float64, either byte order, (N,1,H,W), (N,H,W), (H,W)).
Maps read_npy(const std::string& path);
// Writes (N, 1, H, W) float32, atomically.
void write_npy(const std::string& path, const Maps& maps);

// Maps from files, as `--data` takes them: "PATH[:FAMILY]", a .npy file or a folder of them.
Dataset load_data(const std::vector<std::string>& specs);
// Maps held in memory as a dataset of one family.
Dataset dataset(const Maps& maps, const std::string& family = "maps");

// `count` maps of a synthetic family (FlatVel, CurveVel, FlatFault, CurveFault, Style); the same
// seed gives the same values on any machine (`seisinr synth`).
Maps synth(const std::string& family, std::int64_t count, std::uint64_t seed = 0, const SynthOptions& options = {});

// Compresses maps into `out` (.sinr, written atomically): `seisinr compress`. Returns its
// statistics (bytes per section and map, paths taken, PSNR/SSIM of the latent-only decode).
nlohmann::json compress_maps(const Dataset& maps, const std::string& out, const CompressOptions& options = {});
// The lines `seisinr compress` prints for those statistics (sizes, paths, errors, PSNR/SSIM per
// family), naming the file `out`.
std::string compress_summary(const nlohmann::json& stats, const std::string& out);
// The maps of a .sinr dataset (`seisinr decompress`); a tiled model is one map.
Maps decompress_maps(const std::string& path, const DecompressOptions& options = {});
// Rows [z0, z1) and columns [x0, x1) of a tiled model (`compress` of one large model), on
// options.height × options.width (0 = the window's own samples): `seisinr decompress --window`.
using Window = compress::Window;
Window parse_window(const std::string& text);  // "Z0:Z1,X0:X1"
Maps decompress_window(const std::string& path, const Window& window, const DecompressOptions& options = {});
// Decompresses `path` into `out`: a .npy (N, 1, H, W), or for one model a .sgy/.segy (IEEE floats;
// the stored spacing, stretched when decoded on another grid, and the window's origin). With a
// `window` the file must be a tiled model (Window{} = the whole model). Written atomically;
// returns the maps written. `seisinr decompress` and `seisinr decode FILE`.
Maps decompress_to_file(const std::string& path, const std::string& out, const DecompressOptions& options = {},
                        const std::optional<Window>& window = std::nullopt);
// Where `seisinr decompress` writes when not told: FILE.decompressed.sgy for a tiled model read from
// SEG-Y (the output follows the input's format), else FILE.decompressed.npy.
std::string default_decompress_output(const std::string& path);
// The Markdown table of mean PSNR / SSIM per family and overall from compress_maps' statistics
// (what `seisinr encode` prints).
std::string quality_table(const nlohmann::json& stats);

// Full-waveform inversion of shot gathers (`seisinr invert`, docs/fwi.md): reads options.data,
// writes options.out and its log (and with an uncertainty method STEM.mean/std/samples.npy), and
// returns the summary (per map: misfits, PSNR/SSIM against options.truth, the posterior's figures).
// Progress lines go to `progress` when given.
nlohmann::json invert_data(const InversionOptions& options, std::ostream* progress = nullptr);

class Model {
 public:
  // Loads a trained model (.sinr written by `seisinr train`) onto `device` (cuda needs a CUDA
  // build of libtorch and a visible GPU; a usage error otherwise).
  static Model load(const std::string& path, Device device = Device::cpu);

  std::int64_t latent_dim() const;
  std::int64_t trained_maps() const;  // rows of the latent table
  std::int64_t height() const;        // the training grid
  std::int64_t width() const;

  // Trained maps `rows` at height × width (0 = the training grid), in m/s.
  Maps decode(const std::vector<std::int64_t>& rows, std::int64_t height = 0, std::int64_t width = 0) const;
  // The same maps streamed, a block of points at a time, so memory stays flat in N, H and W:
  // sink(map, first_point, values, count) gets map `map`'s points first_point.. in row-major
  // order. batch_points bounds a block (0 = automatic).
  using Sink = std::function<void(std::int64_t map, std::int64_t first_point, const float* values, std::int64_t count)>;
  void decode_stream(const std::vector<std::int64_t>& rows, std::int64_t height, std::int64_t width, const Sink& sink,
                     std::int64_t batch_points = 0) const;
  // Streams them into `path` (.npy, (N, 1, H, W) float32), written atomically (`seisinr decode`).
  void decode_to_npy(const std::string& path, const std::vector<std::int64_t>& rows, std::int64_t height = 0, std::int64_t width = 0,
                     std::int64_t batch_points = 0) const;
  // Maps from codes (N × latent_dim, row-major) at height × width (0 = the training grid).
  Maps decode_codes(const std::vector<float>& codes, std::int64_t height = 0, std::int64_t width = 0) const;
  // `count` new maps of `family` at height × width (0 = the training grid): codes drawn from a
  // density fitted to the family's trained codes (`density`: a kernel density by default, or a
  // Gaussian; model/sampler.h states both), decoded. The same seed gives the same maps. Usage
  // errors: count ≤ 0, a family with fewer than 2 trained maps, a bandwidth not above 0.
  Maps sample(const std::string& family, std::int64_t count, std::uint64_t seed = 0, std::int64_t height = 0,
              std::int64_t width = 0, const model::DensityOptions& density = {}) const;
  // Codes (N × latent_dim) of maps the decoder may never have seen, fitted with it frozen
  // (`seisinr encode`; a map the decoder was trained on gets its trained code).
  std::vector<float> encode(const Maps& maps, const EncodeOptions& options = {}) const;
  // PSNR, SSIM, MSE and RMSE per map, family, trained and held out (`seisinr eval`).
  Evaluation evaluate(const Dataset& maps, const EvalOptions& options = {}) const;

 private:
  struct Impl;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace seisinr
