// seisinr/fields.h — a settings struct described once, field by field: the member, the name a
// program sees it by (the Python attribute), its command-line flag, its help line and what values
// it takes. The struct lists its fields in a static member template `fields(visit)`; the CLI
// (cli/parse.h: add_fields) makes its flags from the list and the Python module (def_fields)
// its properties, so neither spells a field, a flag or a help line again. The default is the
// struct's own member initialiser, and validate() stays the struct's rule. Torch-free.
//
//   struct TileOptions {
//     std::int64_t scale = 1;
//     template <class Visit>
//     static void fields(Visit&& v) {
//       v(field(&TileOptions::scale, "scale", "--tile-scale", "Model samples per decoder sample", Takes::positive));
//     }
//   };
//
// A field of a struct type that has its own `fields` (CompressOptions::encode) is visited as a
// whole: the CLI adds the nested struct's flags, Python binds the nested object. A field without a
// flag (nullptr) is set another way on the command line (--threads, --force, --resolution) or
// not at all there (Python only).
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace seisinr {

// What a field takes beyond its type (the CLI checks it as the word is read; validate() checks
// every value again wherever it came from).
enum class Takes {
  any,
  positive,             // an integer above 0
  non_negative,         // an integer, 0 or more
  finite_positive,      // a finite number above 0
  finite_non_negative,  // a finite number, 0 or more
  range,                // an integer in [lo, hi]
  existing_file,        // a path to a file that exists
  choice,               // one of choices()
};

template <class S, class M>
struct Field {
  M S::*member;
  const char* name;  // Python attribute: "latent_bits"
  const char* flag;  // "--latent-bits" (a bool also gets "--no-latent-bits"); nullptr = none
  const char* help;
  Takes takes = Takes::any;
  long long lo = 0, hi = 0;                      // Takes::range
  std::vector<std::string> (*choices)() = nullptr;  // Takes::choice
};

template <class S, class M>
Field<S, M> field(M S::*member, const char* name, const char* flag, const char* help, Takes takes = Takes::any, long long lo = 0,
                  long long hi = 0) {
  return {member, name, flag, help, takes, lo, hi, nullptr};
}

// A string field that takes one of `choices()` (a list that is not an enum: preset names).
template <class S>
Field<S, std::string> choice_field(std::string S::*member, const char* name, const char* flag, const char* help,
                                   std::vector<std::string> (*choices)()) {
  return {member, name, flag, help, Takes::choice, 0, 0, choices};
}

// Whether T lists its fields (a nested settings struct).
template <class T, class = void>
struct has_fields : std::false_type {};
template <class T>
struct has_fields<T, std::void_t<decltype(T::fields(std::declval<void (*)(int)>()))>> : std::true_type {};

}  // namespace seisinr
