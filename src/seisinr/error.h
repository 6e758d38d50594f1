// seisinr/error.h — the one exception type the library throws, its kinds, and the helper that
// puts the context in front of a message.
//
// Every error carries its context in the message, outermost first:
//   "reading FaultA_200.npy: header: expected float32 or float64, found '<i8'".
// and one kind, which decides what a caller does with it:
//   usage        the call or its options are wrong (fix the command)          CLI exit 2
//   io           a file cannot be opened, read or written (disk, permissions) CLI exit 3
//   corrupt      a file's content fails a check (truncated, bad checksum, a field out of range)  exit 4
//   unsupported  a well-formed file or request this version cannot handle (a newer format, a dtype)  exit 5
//   failed       anything else (a computation that cannot go on)              CLI exit 1
// Python raises seisinr.Error subclasses with the same names (UsageError, IOError, CorruptError,
// UnsupportedError; python/module.cpp).
//
// Context is written once, not per message:
//   const Context in = reading(path);
//   throw in.corrupt("header: meta.grid must be between 2x2 and 65536x65536");
//   throw (in / "header").usage("...");   // "reading PATH: header: ..."
//   catch (const Error& e) { throw e.within("checkpoint refused"); }   // context added, kind kept
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

namespace seisinr {

enum class ErrorKind { failed, usage, io, corrupt, unsupported };

// The CLI's exit status for an error of this kind (1..5, see above).
inline int exit_code(ErrorKind k) {
  switch (k) {
    case ErrorKind::usage: return 2;
    case ErrorKind::io: return 3;
    case ErrorKind::corrupt: return 4;
    case ErrorKind::unsupported: return 5;
    case ErrorKind::failed: break;
  }
  return 1;
}

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message, ErrorKind kind = ErrorKind::failed) : std::runtime_error(message), kind_(kind) {}
  ErrorKind kind() const noexcept { return kind_; }
  // The same error with `context: ` in front of its message.
  Error within(const std::string& context) const { return Error(context + ": " + what(), kind_); }

 private:
  ErrorKind kind_;
};

// Where an error happened ("reading run/model.sinr", "reading x.sinr: header"), said once.
class Context {
 public:
  explicit Context(std::string where) : where_(std::move(where)) {}
  const std::string& where() const { return where_; }
  // A narrower context: reading(f) / "header" says "reading F: header".
  Context operator/(const std::string& part) const { return Context(where_ + ": " + part); }

  Error error(const std::string& what, ErrorKind kind) const { return Error(where_ + ": " + what, kind); }
  Error corrupt(const std::string& what) const { return error(what, ErrorKind::corrupt); }
  Error unsupported(const std::string& what) const { return error(what, ErrorKind::unsupported); }
  Error io(const std::string& what) const { return error(what, ErrorKind::io); }
  Error usage(const std::string& what) const { return error(what, ErrorKind::usage); }
  Error failed(const std::string& what) const { return error(what, ErrorKind::failed); }

 private:
  std::string where_;
};

inline Context reading(const std::string& path) { return Context("reading " + path); }
inline Context writing(const std::string& path) { return Context("writing " + path); }

}  // namespace seisinr
