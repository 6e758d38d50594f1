// seisinr eval — per-map PSNR, SSIM, MSE and RMSE of a model on maps (trained ones decoded,
// others encoded with the decoder frozen); the paper's Tables 6, 7 and 9.
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/parse.h"
#include "seisinr/dist/comm.h"
#include "seisinr/threads.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/eval/evaluate.h"
#include "seisinr/seisinr.h"
#include "seisinr/io/atomic_file.h"

namespace seisinr::cli {

void add_eval(CLI::App* sub) {
  struct Opts {
    std::string model, resolution, json, save;
    Device device = Device::cpu;
    std::vector<std::string> data;
    EvalOptions e;
    std::int64_t threads = 0;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--model", o->model, "Model file (RUN/model.sinr)")->required()->check(CLI::ExistingFile);
  add_data_option(sub, o->data)->required();
  sub->add_option("--resolution", o->resolution, "Decode at HxW (default: the model's grid); ground truth is resampled bilinearly")
      ->check(size_validator());
  sub->add_option("--json", o->json, "Write the full results (overall, families, trained, heldout, per_map) to this JSON file");
  sub->add_option("--save", o->save, "Write the reconstructions (m/s, one per per_map row, in order) to this .npy");
  add_fields(sub, o->e.encode);  // held-out maps' encoding (encode/options.h: EncodeOptions::fields)
  add_threads_option(sub, o->threads);
  add_device_option(sub, o->device);
  add_force_option(sub, o->force);
  sub->callback([o] {
    io::check_outputs(input_files(o->data, {o->model}), {{o->json, io::FileKind::json}, {o->save, io::FileKind::npy}}, o->force);
    set_threads(o->threads);
    keep_freed_memory();
    if (!o->resolution.empty()) parse_size(o->resolution, "--resolution", o->e.height, o->e.width);
    o->e.keep_reconstructions = !o->save.empty();
    const data::Dataset ds = read_data(o->data);
    const Model m = Model::load(o->model, o->device);
    Evaluation r = m.evaluate(ds, o->e);  // under MPI the encoding is shared out (encode/encoder.h)
    if (dist::rank() != 0) return;
    std::cout << "resolution " << r.summary["resolution"]["height"] << "x" << r.summary["resolution"]["width"]
              << ", ground truth " << r.summary["ground_truth"].get<std::string>() << "\n"
              << eval::summary_markdown(r.summary);
    const auto rr = r.summary["latent_norm_psnr_r"];
    std::cout << "latent norm vs PSNR (trained maps): r = " << (rr.is_null() ? std::string("n/a") : std::to_string(rr.get<double>())) << "\n";
    if (!o->json.empty()) {
      const std::string text = r.summary.dump(1) + "\n";
      io::write_file_atomic(o->json, text.data(), text.size());
    }
    if (!o->save.empty()) io::write_velocity_npy(o->save, r.reconstructions);
  });
}

}  // namespace seisinr::cli
