// seisinr/cli/parse.h — small parsers shared by subcommands.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <type_traits>

#include <CLI/CLI.hpp>

#include "seisinr/error.h"
#include "seisinr/fields.h"
#include "seisinr/model/precision.h"
#include "seisinr/names.h"
#include "seisinr/parallel.h"

namespace seisinr::cli {

// "HxW" with both at least 2 and at most 65536; throws seisinr::Error naming the option.
inline void parse_size(const std::string& text, const char* option, std::int64_t& h, std::int64_t& w) {
  const auto x = text.find_first_of("xX");
  try {
    if (x == std::string::npos) throw 0;
    std::size_t used_h = 0, used_w = 0;
    h = std::stoll(text.substr(0, x), &used_h);
    w = std::stoll(text.substr(x + 1), &used_w);
    if (used_h != x || used_w != text.size() - x - 1) throw 0;
  } catch (...) {
    throw Error(std::string(option) + ": expected HxW such as 70x70, got '" + text + "'", ErrorKind::usage);
  }
  if (h < 2 || w < 2 || h > 65536 || w > 65536)
    throw Error(std::string(option) + ": each side must be between 2 and 65536, got '" + text + "'", ErrorKind::usage);
}

// A CLI11 validator for HxW options, so a bad size is a usage error (exit 2).
inline CLI::Validator size_validator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        std::int64_t h = 0, w = 0;
        try {
          parse_size(text, "size", h, w);
        } catch (const Error& e) {
          return e.what();
        }
        return {};
      },
      "HxW");
}

// A CLI11 validator for a real-valued option: a finite number (CLI11's PositiveNumber and
// NonNegativeNumber let NaN and Inf through), above 0 or (allow_zero) at least 0.
inline CLI::Validator finite_number(bool allow_zero) {
  return CLI::Validator(
      [allow_zero](std::string& text) -> std::string {
        std::size_t used = 0;
        double v = 0;
        try {
          v = std::stod(text, &used);
        } catch (...) {
          used = 0;
        }
        if (used != text.size() || text.empty()) return "'" + text + "' is not a number";
        if (!std::isfinite(v)) return "'" + text + "' is not a finite number";
        if (allow_zero ? v < 0 : v <= 0) return "'" + text + "' must be " + (allow_zero ? "0 or more" : "above 0");
        return {};
      },
      allow_zero ? "NUMBER >= 0" : "NUMBER > 0");
}
inline CLI::Validator finite_positive() { return finite_number(false); }
inline CLI::Validator finite_non_negative() { return finite_number(true); }

// A flag whose value is one word of E's table (seisinr/names.h): the words are checked, shown in
// --help and turned into E here, at the boundary.
template <class E>
CLI::Option* add_named_option(CLI::App* sub, const std::string& flag, E& value, const std::string& help) {
  std::vector<std::pair<std::string, E>> words;
  for (const auto& row : Names<E>::table) words.emplace_back(row.name, row.value);
  return sub->add_option(flag, value, help)->transform(CLI::CheckedTransformer(words))->default_str(name_of(value));
}

// `--device cpu|cuda` for commands that run a model (model::torch_device checks the GPU).
inline CLI::Option* add_device_option(CLI::App* sub, model::Device& device) {
  return add_named_option(sub, "--device", device, "Where the tensors live (cuda needs a CUDA build of libtorch and a visible GPU)");
}

// `--threads N` (0 = all cores) for commands that run libtorch kernels.
inline CLI::Option* add_threads_option(CLI::App* sub, std::int64_t& threads) {
  return sub->add_option("--threads", threads, "CPU threads, 0 = all cores, at most " + std::to_string(max_threads()))
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              resolve_threads(std::stoll(text), "--threads");
            } catch (const Error& e) {
              return e.what();
            } catch (...) {
              return "--threads: '" + text + "' is not a whole number";
            }
            return {};
          },
          "INT"));
}

// One flag per field of a settings struct that has one (seisinr/fields.h), bound to `obj`'s
// member, with the field's help and check; `obj`'s values are the defaults --help shows. A bool
// is a switch (with a "--no-" form when it is on by default), an enum takes its table's words, a
// nested settings struct adds its own flags.
template <class S, class M>
void add_field(CLI::App* sub, S& obj, const Field<S, M>& f) {
  M& value = obj.*(f.member);
  if constexpr (has_fields<M>::value) {
    M::fields([&](const auto& inner) { add_field(sub, value, inner); });
  } else {
    if (f.flag == nullptr) return;
    if constexpr (std::is_same_v<M, bool>) {
      sub->add_flag(value ? std::string(f.flag) + ",!--no-" + (f.flag + 2) : std::string(f.flag), value, f.help);
    } else if constexpr (std::is_enum_v<M>) {
      add_named_option(sub, f.flag, value, f.help);
    } else {
      CLI::Option* opt = sub->add_option(f.flag, value, f.help);
      switch (f.takes) {
        case Takes::any: break;
        case Takes::positive: opt->check(CLI::PositiveNumber); break;
        case Takes::non_negative: opt->check(CLI::NonNegativeNumber); break;
        case Takes::finite_positive: opt->check(finite_positive()); break;
        case Takes::finite_non_negative: opt->check(finite_non_negative()); break;
        case Takes::range: opt->check(CLI::Range(f.lo, f.hi)); break;
        case Takes::existing_file: opt->check(CLI::ExistingFile); break;
        case Takes::choice: opt->check(CLI::IsMember(f.choices())); break;
      }
    }
  }
}

template <class S>
void add_fields(CLI::App* sub, S& obj) {
  S::fields([&](const auto& f) { add_field(sub, obj, f); });
}

}  // namespace seisinr::cli
