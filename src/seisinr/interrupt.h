// seisinr/interrupt.h — stopping long work cleanly on SIGINT (Ctrl-C) and SIGTERM (what a batch
// scheduler sends before it kills a job). Torch-free.
//
// The library never installs signal handlers by itself; a program that wants clean stops calls
// install_stop_handlers() once (the CLI does). After that the first SIGINT or SIGTERM only sets
// a flag: long loops (training steps, encoding, compression) poll stop_requested() between units
// of work, save what they must (training writes a checkpoint at the step it reached) and throw
// Interrupted. A second signal ends the process at once with the conventional status 128 + signal
// (130 for SIGINT, 143 for SIGTERM), after removing the temporaries of files being written
// (io/atomic_file.h registers them), so what is on disk is then the last complete version and
// nothing else. A library user may also call request_stop() from
// another thread to stop the work the same way.
#pragma once

#include <string>

#include "seisinr/error.h"

namespace seisinr {

// Thrown by a loop that stopped on request; `exit_code` is 128 + the signal (130 or 143), or 130
// for request_stop().
class Interrupted : public Error {
 public:
  Interrupted(const std::string& message, int exit_code) : Error(message), exit_code_(exit_code) {}
  int exit_code() const { return exit_code_; }

 private:
  int exit_code_;
};

void install_stop_handlers();  // SIGINT and SIGTERM as described above; idempotent
bool stop_requested();
int stop_signal();             // the signal that asked (SIGINT when request_stop() did), 0 if none
void request_stop();
void clear_stop();             // forget a request (tests; a library user starting new work)

// Throws Interrupted("<what>: interrupted by SIGINT" ...) when a stop was requested.
void throw_if_stop_requested(const std::string& what);
// Files the second signal removes before the process ends: an atomic writer's temporary while it
// is open (io/atomic_file.h registers it), so `timeout` or a double Ctrl-C leaves no NAME.tmp-*
// behind. At most 64 at once, each path under 4 KiB (longer or more: not registered, left as
// before). Returns a slot for unregister_temporary, or −1.
int register_temporary(const std::string& path);
void unregister_temporary(int slot);

// The exit status for the pending request: 128 + its signal.
int stop_exit_code();
const char* stop_signal_name();

}  // namespace seisinr
