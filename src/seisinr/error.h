// seisinr/error.h — the one exception type the library throws.
//
// Every error carries its context in the message, outermost first:
//   "reading FaultA_200.npy: header: expected float32 or float64, found '<i8'".
// The CLI catches seisinr::Error at the top, prints what() on stderr and exits 1;
// usage errors exit 2.
#pragma once

#include <stdexcept>
#include <string>

namespace seisinr {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

}  // namespace seisinr
