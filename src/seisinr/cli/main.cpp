// seisinr — command-line entry point. Exit codes: 0 success, 1 error (message on stderr),
// 2 usage error.
#include <iostream>

#include "seisinr/cli/commands.h"
#include "seisinr/error.h"
#include "seisinr/version.h"

int main(int argc, char** argv) {
  CLI::App app{"seisinr — neural compression of seismic velocity models (SIREN auto-decoders)", "seisinr"};
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", std::string("seisinr ") + seisinr::kVersion);
  app.require_subcommand(1);
  app.footer("Run 'seisinr COMMAND --help' for a command's options.");
  seisinr::cli::add_info(app);
  seisinr::cli::add_synth(app);
  seisinr::cli::add_train(app);
  seisinr::cli::add_eval(app);
  seisinr::cli::add_encode(app);
  seisinr::cli::add_compress(app);
  seisinr::cli::add_decompress(app);
  seisinr::cli::add_decode(app);
  seisinr::cli::add_interp(app);
  seisinr::cli::add_report(app);
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
    app.exit(e);
    return 2;
  } catch (const seisinr::Error& e) {
    std::cerr << "seisinr: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "seisinr: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
