// seisinr train — fit the auto-decoder (decoder + one code per map) to velocity maps. Its
// setting flags, their --help and the resume rule come from train/option_table.h.
#include <iostream>
#include <memory>
#include <sstream>

#include "seisinr/cli/commands.h"
#include "seisinr/cli/data_option.h"
#include "seisinr/cli/parse.h"
#include "seisinr/data/dataset.h"
#include "seisinr/dist/comm.h"
#include "seisinr/error.h"
#include "seisinr/threads.h"
#include "seisinr/train/option_table.h"
#include "seisinr/train/options.h"
#include "seisinr/train/trainer.h"

namespace seisinr::cli {
namespace {

std::string shown(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "on" : "off";
  return v.dump();
}

// "[paper 3000 | small 300 | ...]": each preset's value of one setting, for --help.
std::string per_preset(const train::OptionSpec& spec) {
  std::ostringstream o;
  o << " [";
  for (const auto& name : train::preset_names()) o << (&name == &train::preset_names().front() ? "" : " | ") << name << " " << shown(spec.get(train::preset(name)));
  o << "]";
  return o.str();
}

}  // namespace

void add_train(CLI::App* sub) {
  struct Opts {
    std::vector<std::string> data;
    std::string out;
    std::string preset = train::kRecommendedPreset;
    std::vector<std::string> text;  // per option_table row: the word given
    std::vector<std::unique_ptr<bool>> flag;  // per kBool row: the flag's value
    bool resume = false, force = false, print_config = false;
    double time_limit_min = 0;
  };
  auto o = std::make_shared<Opts>();
  const auto& table = train::option_table();
  o->text.resize(table.size());
  o->flag.resize(table.size());
  for (auto& f : o->flag) f = std::make_unique<bool>(false);
  sub->add_option("--data", o->data, "Velocity maps: PATH[:FAMILY], a .npy file or a folder of them (repeatable)");
  sub->add_option("--out", o->out, "Run folder: config.json, log.jsonl, checkpoint.sinr, model.sinr");
  sub->add_option("--preset", o->preset, std::string("Settings to start from; the options below override them (paper: the paper's Table 2, kept exactly) [") +
                                             train::kRecommendedPreset + "]")
      ->check(CLI::IsMember(train::preset_names()));
  sub->add_flag("--resume", o->resume, "Continue the run in --out from its checkpoint (may change --epochs, --threads, --checkpoint-every)");
  sub->add_flag("--force", o->force, "Start over in an --out folder that holds another run");
  sub->add_flag("--print-config", o->print_config, "Print the resolved configuration as JSON and exit");
  sub->add_option("--time-limit", o->time_limit_min,
                  "Minutes of training: the first epoch to end past it is the last (model written; --resume continues) [0 = none]")
      ->check(finite_non_negative());
  for (std::size_t i = 0; i < table.size(); ++i) {
    const train::OptionSpec& spec = table[i];
    const std::string help = std::string(spec.help) + per_preset(spec);
    if (spec.type == train::OptionType::kBool) {
      sub->add_flag(std::string(spec.flag) + ",!--no-" + (spec.flag + 2), *o->flag[i], help);
      continue;
    }
    CLI::Option* opt = sub->add_option(spec.flag, o->text[i], help);
    opt->type_name(spec.type == train::OptionType::kInt ? "INT" : spec.type == train::OptionType::kFloat ? "FLOAT" : "TEXT");
    if (!spec.choices.empty()) opt->check(CLI::IsMember(spec.choices));
  }

  sub->callback([o, sub] {
    const auto& table = train::option_table();
    train::OptionOverrides changed;
    for (std::size_t i = 0; i < table.size(); ++i) {
      const train::OptionSpec& spec = table[i];
      const bool is_bool = spec.type == train::OptionType::kBool;
      if (sub->count(spec.flag) == 0 && !(is_bool && sub->count(std::string("--no-") + (spec.flag + 2)) > 0)) continue;
      try {
        changed.emplace_back(&spec, is_bool ? nlohmann::json(*o->flag[i]) : train::parse_option_value(spec, o->text[i]));
      } catch (const Error& e) {
        throw CLI::ValidationError(e.what());
      }
    }
    const train::TrainOptions t = train::resolve_options(o->preset, changed);
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
    if (o->resume) train::apply_resume_overrides(changed, t, run);
    std::vector<data::DataSpec> specs;
    for (const auto& d : o->data) specs.push_back(data::parse_data_spec(d));
    // Under MPI each rank reads only its shard of the maps (dist/comm.h, train/trainer.h).
    const data::Dataset ds = data::load_dataset(specs, dist::rank(), dist::size());
    if (dist::rank() == 0) print_warnings(ds);
    keep_freed_memory();
    train::TrainSummary s = train::train(ds, t, run);
    if (dist::rank() == 0) std::cout << s.model_path << "\n";
  });
}

}  // namespace seisinr::cli
