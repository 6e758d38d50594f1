// seisinr/train/option_table.h — every training setting described once: its command-line flag,
// its key in config.json, its help, its allowed values and whether a resumed run may change it.
// Torch-free.
//
// The value and default of each setting live in TrainOptions (and the presets); this table is
// the one place that names it. The CLI (cli/cmd_train.cpp) builds its flags, --help (with every
// preset's value) and its resume rule from it, and TrainOptions' JSON form reads and writes the
// non-model settings through it. Strings with a fixed set of values (code kinds, activations)
// become their C++ form when set here, at the boundary.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "seisinr/train/options.h"

namespace seisinr::train {

struct RunOptions;  // train/trainer.h

enum class OptionType { kInt, kFloat, kBool, kString };

struct OptionSpec {
  const char* flag;   // "--latent-lr"; a kBool flag also has "--no-..."
  const char* key;    // "latent_lr" in config.json; "model.hidden" for the decoder's (SirenOptions' JSON)
  OptionType type;
  const char* help;
  std::vector<std::string> choices;  // kString: the allowed values (empty: any)
  bool resumable;                    // may a resumed run change it?
  nlohmann::json (*get)(const TrainOptions&);
  // Sets from a JSON value; throws seisinr::Error naming `where` when the value does not fit.
  void (*set)(TrainOptions&, const nlohmann::json&, const std::string& where);
};

const std::vector<OptionSpec>& option_table();

// Parses a command-line word into the JSON value `spec.set` takes; throws naming the flag.
nlohmann::json parse_option_value(const OptionSpec& spec, const std::string& text);

// Settings given on top of a preset: each row with the value `set` takes.
using OptionOverrides = std::vector<std::pair<const OptionSpec*, nlohmann::json>>;

// The settings a run uses: `preset`'s, with `overrides` applied in order, validated.
TrainOptions resolve_options(const std::string& preset, const OptionOverrides& overrides);

// The resume rule: a resumed run takes its settings from its checkpoint, except the resumable
// ones (epochs, threads, checkpoint_every), which `overrides` may change; they go into `run`.
// Any other override is a usage error naming its flag.
void apply_resume_overrides(const OptionOverrides& overrides, const TrainOptions& resolved, RunOptions& run);

}  // namespace seisinr::train
