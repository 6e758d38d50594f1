// seisinr — command-line entry point. Exit codes: 0 success; on an error (message on stderr)
// its kind's code (error.h): 1 failed, 2 usage, 3 io, 4 corrupt file, 5 unsupported; 130 / 143 stopped by SIGINT / SIGTERM (long commands finish their current step,
// save what resumes them and exit with these; a second signal exits at once: interrupt.h).
#include <iostream>

#include "seisinr/cli/commands.h"
#include "seisinr/dist/comm.h"
#include "seisinr/error.h"
#include "seisinr/interrupt.h"
#include "seisinr/version.h"

namespace {

// Under MPI an error on one rank must end them all, or the others wait in a collective forever.
int fail(const char* what, int code) {
  if (seisinr::dist::size() > 1) {
    std::cerr << "seisinr (rank " << seisinr::dist::rank() << " of " << seisinr::dist::size() << "): " << what << "\n";
    seisinr::dist::abort_all(code);
  }
  std::cerr << "seisinr: " << what << "\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    seisinr::dist::init(&argc, &argv);
  } catch (const seisinr::Error& e) {
    return fail(e.what(), seisinr::exit_code(e.kind()));
  }
  struct Finalize {
    ~Finalize() { seisinr::dist::finalize(); }
  } finalize;
  if (seisinr::dist::size() > 1) {
    const std::string cmd = argc > 1 ? argv[1] : "";
    if (cmd != "train" && cmd != "encode" && cmd != "eval" && cmd != "--help" && cmd != "-h")
      return fail(("'" + cmd + "' does not run across MPI ranks (train, encode and eval do); run it without mpirun").c_str(), 2);
  }
  {  // commands whose long loops poll for a stop; the others keep the default (immediate) exit
    const std::string cmd = argc > 1 ? argv[1] : "";
    for (const char* c : {"train", "encode", "eval", "compress", "decode", "report", "demo", "forward", "invert"})
      if (cmd == c) seisinr::install_stop_handlers();
  }
  CLI::App app{"seisinr — neural compression of seismic velocity models (SIREN auto-decoders)", "seisinr"};
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", std::string("seisinr ") + seisinr::kVersion);
  app.require_subcommand(1);
  app.footer("Run 'seisinr COMMAND --help' for a command's options.");
  seisinr::cli::add_info(app);
  seisinr::cli::add_synth(app);
  seisinr::cli::add_convert(app);
  seisinr::cli::add_train(app);
  seisinr::cli::add_eval(app);
  seisinr::cli::add_encode(app);
  seisinr::cli::add_compress(app);
  seisinr::cli::add_decompress(app);
  seisinr::cli::add_decode(app);
  seisinr::cli::add_interp(app);
  seisinr::cli::add_sample(app);
  seisinr::cli::add_report(app);
  seisinr::cli::add_forward(app);
  seisinr::cli::add_invert(app);
  seisinr::cli::add_demo(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (seisinr::dist::size() > 1) return fail(e.what(), 2);
    app.exit(e);
    return 2;
  } catch (const seisinr::Interrupted& e) {
    return fail(e.what(), e.exit_code());
  } catch (const seisinr::Error& e) {
    return fail(e.what(), seisinr::exit_code(e.kind()));
  } catch (const std::exception& e) {
    return fail(e.what(), 1);
  }
  return 0;
}
