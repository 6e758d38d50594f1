// seisinr report — the self-contained HTML report of a model on maps.
#include <filesystem>
#include <iostream>
#include <memory>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/parse.h"
#include "seisinr/threads.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/invert/run.h"
#include "seisinr/report/report.h"

namespace seisinr::cli {

void add_report(CLI::App* sub) {
  struct Opts {
    std::string model, out, log, posterior;
    std::vector<std::string> data;
    report::ReportOptions r;
    std::int64_t threads = 0;
    bool force = false;
  };
  auto o = std::make_shared<Opts>();
  sub->add_option("--model", o->model, "Model file")->required()->check(CLI::ExistingFile);
  add_data_option(sub, o->data)->required();
  sub->add_option("--out", o->out, "Report folder")->required();
  sub->add_option("--log", o->log, "Training log (default: log.jsonl beside the model)");
  sub->add_option("--posterior", o->posterior,
                  "An inversion's --out written with --uncertainty: its mean, standard deviation and |error| against the --data maps");
  add_fields(sub, o->r.eval.encode);  // held-out maps' encoding (encode/options.h: EncodeOptions::fields)
  add_threads_option(sub, o->threads);
  add_force_option(sub, o->force);
  sub->callback([o] {
    o->r.out_dir = o->out;
    o->r.log_path = o->log.empty() ? (std::filesystem::path(o->model).parent_path() / "log.jsonl").string() : o->log;
    if (!o->posterior.empty())
      o->r.posterior_mean = invert::posterior_path(o->posterior, "mean"), o->r.posterior_std = invert::posterior_path(o->posterior, "std");
    io::check_outputs(input_files(o->data, {o->model, o->r.log_path, o->r.posterior_mean, o->r.posterior_std}),
                      {{o->out, io::FileKind::directory}, {(std::filesystem::path(o->out) / "index.html").string(), io::FileKind::text}},
                      o->force);
    set_threads(o->threads);
    const data::Dataset ds = read_data(o->data);
    report::write_report(o->model, ds, o->r);
    std::cout << (std::filesystem::path(o->out) / "index.html").string() << "\n";
  });
}

}  // namespace seisinr::cli
