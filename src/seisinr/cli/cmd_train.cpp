// seisinr train — fit the auto-decoder (decoder + one latent per map) to velocity maps.
#include <iostream>
#include <memory>
#include <sstream>

#include "seisinr/cli/commands.h"
#include "seisinr/data/dataset.h"
#include "seisinr/dist/comm.h"
#include "seisinr/train/options.h"
#include "seisinr/threads.h"
#include "seisinr/train/trainer.h"

namespace seisinr::cli {
namespace {

// "[paper 3000 | small 400 | tiny 100]": each preset's value of one setting, for --help.
template <typename F>
std::string per_preset(F get) {
  std::ostringstream o;
  o << " [";
  for (const auto& name : train::preset_names()) o << (name == "paper" ? "" : " | ") << name << " " << get(train::preset(name));
  o << "]";
  return o.str();
}

}  // namespace

void add_train(CLI::App& app) {
  struct Opts {
    std::vector<std::string> data;
    std::string out;
    std::string preset = "paper";
    train::TrainOptions v = train::preset("paper");
    bool resume = false, force = false, print_config = false;
    std::string code;
    double time_limit_min = 0;
  };
  auto o = std::make_shared<Opts>();
  CLI::App* sub = app.add_subcommand("train", "Train the SIREN auto-decoder on velocity maps; writes RUN/model.sinr");
  sub->add_option("--data", o->data, "Velocity maps: PATH[:FAMILY], a .npy file or a folder of them (repeatable)");
  sub->add_option("--out", o->out, "Run folder: config.json, log.jsonl, checkpoint.sinr, model.sinr");
  sub->add_option("--preset", o->preset, "Settings to start from; the options below override them")
      ->check(CLI::IsMember(train::preset_names()));
  sub->add_flag("--resume", o->resume, "Continue the run in --out from its checkpoint (may change --epochs, --threads, --checkpoint-every)");
  sub->add_flag("--force", o->force, "Start over in an --out folder that holds another run");
  sub->add_flag("--print-config", o->print_config, "Print the resolved configuration as JSON and exit");
  auto& v = o->v;
  using T = train::TrainOptions;
  sub->add_option("--epochs", v.epochs, "Epochs" + per_preset([](const T& t) { return t.epochs; }))->check(CLI::PositiveNumber);
  sub->add_option("--hidden", v.model.hidden, "Hidden layer width" + per_preset([](const T& t) { return t.model.hidden; }));
  sub->add_option("--layers", v.model.layers, "Hidden sine layers" + per_preset([](const T& t) { return t.model.layers; }));
  sub->add_option("--latent-dim", v.model.latent_dim, "Latent code size d" + per_preset([](const T& t) { return t.model.latent_dim; }));
  sub->add_option("--batch", v.batch, "Maps per step: the global batch, shared out over MPI ranks by which rank holds each map" + per_preset([](const T& t) { return t.batch; }));
  sub->add_option("--lr", v.lr, "Decoder learning rate" + per_preset([](const T& t) { return t.lr; }));
  sub->add_option("--latent-lr", v.latent_lr, "Latent learning rate" + per_preset([](const T& t) { return t.latent_lr; }));
  sub->add_option("--lambda", v.lambda, "Latent L2 weight" + per_preset([](const T& t) { return t.lambda; }));
  sub->add_option("--omega0", v.model.omega0, "Sine frequency ω0" + per_preset([](const T& t) { return t.model.omega0; }));
  sub->add_option("--activation", v.model.activation, "sine | relu | relu_ff")->check(CLI::IsMember({"sine", "relu", "relu_ff"}));
  sub->add_option("--first-layer-init", v.model.first_layer_init,
                  "Coordinate columns of the first layer: paper U(±1/d_in) | coord_half U(±1/2)" +
                      per_preset([](const T& t) { return t.model.first_layer_init; }))
      ->check(CLI::IsMember({"paper", "coord_half"}));
  sub->add_option("--code", o->code, "Per-map code: global (the paper's vector) | grid (a lattice sampled at (x, z))" +
                                       per_preset([](const T& t) { return model::code_kind_name(t.model.code); }))
      ->check(CLI::IsMember({"global", "grid"}));
  sub->add_option("--code-grid", v.model.code_grid, "grid code: cells per side G (channels = d / G²)" +
                                                        per_preset([](const T& t) { return t.model.code_grid; }));
  sub->add_flag("--linear-path,!--no-linear-path", v.model.linear_path,
                "Add a linear path from the code to the output (mean map + learned basis, or the grid's readout)" +
                    per_preset([](const T& t) { return t.model.linear_path ? "on" : "off"; }));
  sub->add_option("--code-init", v.code_init,
                  "Start of codes and linear path: random | linear (PCA of the trained maps / least-squares lattice)" +
                      per_preset([](const T& t) { return t.code_init; }))
      ->check(CLI::IsMember({"random", "linear"}));
  sub->add_option("--warmup-steps", v.warmup_steps, "Linear learning-rate warm-up over this many steps, 0 = none" +
                                                        per_preset([](const T& t) { return t.warmup_steps; }));
  sub->add_option("--points", v.points, "Random points per map per step, 0 = all" + per_preset([](const T& t) { return t.points; }));
  sub->add_flag("--amp,!--no-amp", v.amp, "bf16 matrix products with float32 master weights" +
                                              per_preset([](const T& t) { return t.amp ? "on" : "off"; }));
  sub->add_option("--amp-activations", v.amp_activations,
                  "With --amp, activations between layers stored as float32 | bf16 (docs/performance.md)" +
                      per_preset([](const T& t) { return t.amp_activations; }))
      ->check(CLI::IsMember({"float32", "bf16"}));
  sub->add_option("--device", v.device, "cpu | cuda")->check(CLI::IsMember({"cpu", "cuda"}));
  sub->add_option("--threads", v.threads, "CPU threads, 0 = all cores");
  sub->add_option("--seed", v.seed, "Random seed (init, split, batches, points)");
  sub->add_option("--checkpoint-every", v.checkpoint_every, "Epochs between checkpoints" +
                                                                per_preset([](const T& t) { return t.checkpoint_every; }));
  sub->add_option("--holdout", v.holdout, "Fraction of each family held out (never trained on)");
  sub->add_option("--time-limit", o->time_limit_min,
                  "Minutes of training: the first epoch to end past it is the last (model written; --resume continues) [0 = none]")
      ->check(CLI::NonNegativeNumber);

  sub->callback([o, sub] {
    train::TrainOptions t = train::preset(o->preset);
    const auto given = [&](const char* name) { return sub->count(name) > 0; };
    std::vector<std::string> changed;
    auto take = [&](const char* name, auto& dst, const auto& src) {
      if (given(name)) {
        dst = src;
        changed.push_back(name);
      }
    };
    take("--epochs", t.epochs, o->v.epochs);
    take("--hidden", t.model.hidden, o->v.model.hidden);
    take("--layers", t.model.layers, o->v.model.layers);
    take("--latent-dim", t.model.latent_dim, o->v.model.latent_dim);
    take("--batch", t.batch, o->v.batch);
    take("--lr", t.lr, o->v.lr);
    take("--latent-lr", t.latent_lr, o->v.latent_lr);
    take("--lambda", t.lambda, o->v.lambda);
    take("--omega0", t.model.omega0, o->v.model.omega0);
    take("--activation", t.model.activation, o->v.model.activation);
    take("--first-layer-init", t.model.first_layer_init, o->v.model.first_layer_init);
    take("--points", t.points, o->v.points);
    if (given("--code")) {
      t.model.code = model::parse_code_kind(o->code);
      changed.push_back("--code");
    }
    take("--code-grid", t.model.code_grid, o->v.model.code_grid);
    if (given("--linear-path") || given("--no-linear-path")) {
      t.model.linear_path = o->v.model.linear_path;
      changed.push_back("--linear-path");
    }
    take("--code-init", t.code_init, o->v.code_init);
    take("--warmup-steps", t.warmup_steps, o->v.warmup_steps);
    if (given("--amp") || given("--no-amp")) {
      t.amp = o->v.amp;
      changed.push_back("--amp");
    }
    take("--amp-activations", t.amp_activations, o->v.amp_activations);
    take("--device", t.device, o->v.device);
    take("--threads", t.threads, o->v.threads);
    take("--seed", t.seed, o->v.seed);
    take("--checkpoint-every", t.checkpoint_every, o->v.checkpoint_every);
    take("--holdout", t.holdout, o->v.holdout);
    t.validate();
    if (o->print_config) {
      std::cout << nlohmann::json(t).dump(2) << "\n";
      return;
    }
    if (o->data.empty()) throw CLI::RequiredError("--data");
    if (o->out.empty()) throw CLI::RequiredError("--out");
    if (o->resume && o->force) throw CLI::ValidationError("--resume and --force exclude each other");
    train::RunOptions run;
    run.dir = o->out;
    run.resume = o->resume;
    run.force = o->force;
    run.max_seconds = o->time_limit_min * 60.0;
    if (o->resume) {
      for (const auto& c : changed)
        if (c != "--epochs" && c != "--threads" && c != "--checkpoint-every")
          throw CLI::ValidationError(c + " cannot change on --resume (the checkpoint's setting is used)");
      if (given("--epochs")) run.epochs = t.epochs;
      if (given("--threads")) run.threads = t.threads;
      if (given("--checkpoint-every")) run.checkpoint_every = t.checkpoint_every;
    }
    std::vector<data::DataSpec> specs;
    for (const auto& d : o->data) specs.push_back(data::parse_data_spec(d));
    // Under MPI each rank reads only its shard of the maps (dist/comm.h, train/trainer.h).
    const data::Dataset ds = data::load_dataset(specs, dist::rank(), dist::size());
    keep_freed_memory();
    train::TrainSummary s = train::train(ds, t, run);
    if (dist::rank() == 0) std::cout << s.model_path << "\n";
  });
}

}  // namespace seisinr::cli
