// seisinr/cli/commands.h — each subcommand registers itself on the top-level CLI11 app.
//
// The CLI only wires library calls together: option parsing here, all logic in seisinr::core.
// Every option is declared with its default so `--help` shows it.
#pragma once

#include <CLI/CLI.hpp>

namespace seisinr::cli {

void add_info(CLI::App& app);
void add_convert(CLI::App& app);
void add_synth(CLI::App& app);
void add_demo(CLI::App& app);
void add_train(CLI::App& app);
void add_eval(CLI::App& app);
void add_decode(CLI::App& app);
void add_interp(CLI::App& app);
void add_sample(CLI::App& app);
void add_report(CLI::App& app);
void add_encode(CLI::App& app);
void add_compress(CLI::App& app);
void add_decompress(CLI::App& app);
void add_forward(CLI::App& app);
void add_invert(CLI::App& app);

}  // namespace seisinr::cli
