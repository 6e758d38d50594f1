// seisinr/cli/commands.h — the subcommands, one row each: name, one-line help, the function that
// adds its options to the subcommand, and how it runs (main.cpp reads nothing else).
//
// The CLI only wires library calls together: option parsing here, all logic in seisinr::core.
// Every option is declared with its default so `--help` shows it.
#pragma once

#include <CLI/CLI.hpp>

namespace seisinr::cli {

void add_info(CLI::App* sub);
void add_convert(CLI::App* sub);
void add_synth(CLI::App* sub);
void add_demo(CLI::App* sub);
void add_train(CLI::App* sub);
void add_eval(CLI::App* sub);
void add_decode(CLI::App* sub);
void add_interp(CLI::App* sub);
void add_sample(CLI::App* sub);
void add_report(CLI::App* sub);
void add_encode(CLI::App* sub);
void add_compress(CLI::App* sub);
void add_decompress(CLI::App* sub);
void add_forward(CLI::App* sub);
void add_invert(CLI::App* sub);

struct Command {
  const char* name;
  const char* help;
  void (*add)(CLI::App* sub);
  bool mpi;    // runs across MPI ranks (the others refuse mpirun)
  bool stops;  // its long loops poll for SIGINT/SIGTERM and stop cleanly (interrupt.h)
};

// In the order --help lists them.
inline const Command kCommands[] = {
    {"info", "Describe .sinr, .npy and SEG-Y files",
     add_info, false, false},
    {"synth", "Write OpenFWI-like synthetic velocity maps (FAMILY.npy per family, m/s)",
     add_synth, false, false},
    {"convert", "Convert a velocity model between raw float32, SEG-Y (.sgy/.segy) and .npy",
     add_convert, false, false},
    {"train", "Train the auto-decoder on velocity maps; writes RUN/model.sinr",
     add_train, true, true},
    {"eval", "Score a model on maps: per map, per family, trained and held out",
     add_eval, true, true},
    {"encode", "Fit latent codes to new maps with a trained decoder frozen; writes codes that reference the decoder by hash",
     add_encode, true, true},
    {"compress", "Compress velocity maps into a .sinr file (latent codes, optional error bound)",
     add_compress, false, true},
    {"decompress", "Decompress a .sinr dataset to .npy (m/s, shape N x 1 x H x W), or one model to SEG-Y (.sgy/.segy)",
     add_decompress, false, false},
    {"decode", "Decode maps from a model at any resolution into a .npy (m/s)",
     add_decode, false, true},
    {"interp", "Interpolate between two maps in latent space",
     add_interp, false, false},
    {"sample", "Draw new maps of a family from a density fitted to its trained codes",
     add_sample, false, false},
    {"report", "Write DIR/index.html: tables, figures, storage, training curve",
     add_report, false, true},
    {"forward", "Simulate shot gathers of velocity maps (2D acoustic, OpenFWI's survey by default)",
     add_forward, false, true},
    {"invert", "Recover velocity maps from shot gathers (FWI in the latent space or on the cells; docs/fwi.md)",
     add_invert, false, true},
    {"demo", "Synthesise, train, evaluate and report on embedded synthetic data",
     add_demo, false, true},
};

}  // namespace seisinr::cli
