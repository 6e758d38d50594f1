// seisinr/names.h — a setting with a fixed set of values is an enum in the code and a word in
// files, flags, logs and Python. Each such enum has one table of its words (a specialisation of
// `Names`), and everything else goes through it: parsing where text enters (the option tables,
// the JSON readers, the CLI, Python), printing, the choices in --help and the words an error
// names. No other code compares a setting with a string. Torch-free.
//
//   enum class Activation { sine, relu, relu_ff };
//   template <> struct Names<Activation> {
//     static constexpr const char* what = "activation";       // the setting's name in errors
//     static constexpr NamedValue<Activation> table[] = {{Activation::sine, "sine"}, ...};
//   };
//   name_of(Activation::relu)              "relu"
//   parse_name<Activation>("relu")         Activation::relu
//   parse_name<Activation>("tanh")         throws Error(usage): "activation must be sine, relu or
//                                          relu_ff, got 'tanh'"
//   find_name<Activation>("tanh")          std::nullopt (the caller words its own error)
//   names_of<Activation>()                 {"sine", "relu", "relu_ff"} (CLI choices)
//   choices_text<Activation>(" | ")        "sine | relu | relu_ff" (help)
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "seisinr/error.h"

namespace seisinr {

template <class E>
struct NamedValue {
  E value;
  const char* name;
};

template <class E>
struct Names;  // specialised next to each enum: `what` and `table`

// The word for `v` (every value of E has a row; a missing one is a programming error: "?").
template <class E>
const char* name_of(E v) {
  for (const auto& row : Names<E>::table)
    if (row.value == v) return row.name;
  return "?";
}

// Whether `v` is one of E's values (false only for an integer cast to E).
template <class E>
bool is_named(E v) {
  for (const auto& row : Names<E>::table)
    if (row.value == v) return true;
  return false;
}

template <class E>
std::optional<E> find_name(const std::string& text) {
  for (const auto& row : Names<E>::table)
    if (text == row.name) return row.value;
  return std::nullopt;
}

template <class E>
std::vector<std::string> names_of() {
  std::vector<std::string> out;
  for (const auto& row : Names<E>::table) out.emplace_back(row.name);
  return out;
}

// The words joined by `sep`, the last two by `last` ("a, b or c" by default).
template <class E>
std::string choices_text(const std::string& sep = ", ", const std::string& last = " or ") {
  std::string out;
  const auto n = std::size(Names<E>::table);
  for (std::size_t k = 0; k < n; ++k) out += (k == 0 ? "" : k + 1 == n ? last : sep) + std::string(Names<E>::table[k].name);
  return out;
}

// The value named `text`; otherwise throws "`prefix``what` must be A, B or C, got 'text'".
template <class E>
E parse_name(const std::string& text, const std::string& prefix = "", ErrorKind kind = ErrorKind::usage) {
  if (auto v = find_name<E>(text)) return *v;
  throw Error(prefix + Names<E>::what + " must be " + choices_text<E>() + ", got '" + text + "'", kind);
}

}  // namespace seisinr
