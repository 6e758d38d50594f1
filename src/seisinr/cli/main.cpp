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
  const std::string cmd = argc > 1 ? argv[1] : "";
  const seisinr::cli::Command* chosen = nullptr;
  for (const auto& c : seisinr::cli::kCommands)
    if (cmd == c.name) chosen = &c;
  if (seisinr::dist::size() > 1 && cmd != "--help" && cmd != "-h" && (chosen == nullptr || !chosen->mpi)) {
    std::string runs;
    for (const auto& c : seisinr::cli::kCommands)
      if (c.mpi) runs += std::string(runs.empty() ? "" : ", ") + c.name;
    return fail(("'" + cmd + "' does not run across MPI ranks (" + runs + " do); run it without mpirun").c_str(), 2);
  }
  if (chosen != nullptr && chosen->stops) seisinr::install_stop_handlers();  // the others keep the default (immediate) exit
  CLI::App app{"seisinr — neural compression of seismic velocity models (SIREN auto-decoders)", "seisinr"};
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", std::string("seisinr ") + seisinr::kVersion);
  app.require_subcommand(1);
  app.footer("Run 'seisinr COMMAND --help' for a command's options.");
  for (const auto& c : seisinr::cli::kCommands) c.add(app.add_subcommand(c.name, c.help));
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
