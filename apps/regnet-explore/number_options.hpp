#pragma once
// Every numeric option of every command is read here, strictly and within a bound that the message
// states ("--bins: 2147483647 must be in [0, 10000]"): CLI11 alone reads "-1" into an unsigned as
// 2^64 - 1, "010" as 8, "0x10" as 16, clamps huge values and takes "nan" for a double. The bounds
// keep what a number sizes (memory, processes, time) sane and every product of two of them in range;
// main() refuses to start when an INT, UINT or FLOAT option has no such check (unbounded_numbers).
#include <CLI/CLI.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include "core/base/bounded_number.hpp"
#include "core/base/error.hpp"

namespace regnet::cli {

// Bounds of the CLI's own (the others are the library's: kMaxSamples, kMaxThreads, kMaxJobs, kMaxTasks):
// bootstrap resamples (below 100 an interval means little; each costs a pass over the models) and
// the normalized EDFs' complexity bins.
constexpr int kMinResamples = 100, kMaxResamples = 1'000'000;
constexpr int kMaxBins = 10'000;

// The name every bounded check carries; what unbounded_numbers looks for.
inline const std::string kBoundedCheck = "bounded number";

// Bind with ->transform(), not ->check(): CLI11 runs a check() on a copy, so "010" would still
// be read as 8. Replaces the option's text by parse(text), or reports parse's UserError (CLI11 prefixes the option's
// name). `bound` is shown in --help after the type: "--bins INT:in [0, 10000]".
inline CLI::Validator canonical_number(std::function<std::string(const std::string&)> parse, const std::string& bound) {
  return CLI::Validator(
      [parse](std::string& text) -> std::string {
        try {
          text = parse(text);
          return "";
        } catch (const UserError& e) {
          return e.what();
        }
      },
      "in " + bound, kBoundedCheck);
}

// A value of the option's integer type T within [lo, hi] (both given: each option states its bound).
template <typename T>
CLI::Validator whole_number(std::int64_t lo, std::int64_t hi) {
  static_assert(std::is_integral_v<T> && std::is_signed_v<T>);
  if (lo < std::numeric_limits<T>::min() || hi > std::numeric_limits<T>::max()) throw std::logic_error("bound");
  return canonical_number([lo, hi](const std::string& t) { return std::to_string(bounded_integer(t, lo, hi)); },
                          interval_text(lo, hi));
}

// A seed: 0 .. 2^64 - 1 (every command's seed is a std::uint64_t).
inline CLI::Validator seed_number() {
  return canonical_number([](const std::string& t) { return std::to_string(bounded_seed(t)); }, "[0, 2^64 - 1]");
}

// A finite decimal number in [lo, hi], or (lo, hi] when open_lo (no nan, inf or hex); the text is
// passed on unchanged.
inline CLI::Validator real_number(double lo, double hi, bool open_lo = false, bool open_hi = false) {
  const RealBound bound{lo, hi, open_lo, open_hi};
  return canonical_number(
      [bound](const std::string& t) {
        bounded_real(t, bound);
        return t;
      },
      bound.text());
}

// "cmd --option" for each option of `app` and its subcommands (recursively) that takes a number
// but has no bounded check: a bug that main() reports before parsing anything.
inline std::vector<std::string> unbounded_numbers(CLI::App& app, const std::string& path = "") {
  std::vector<std::string> out;
  for (CLI::Option* o : app.get_options()) {
    const std::string type = o->get_type_name();
    const bool numeric = type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0 || type.rfind("FLOAT", 0) == 0;
    if (!numeric) continue;
    try {
      o->get_validator(kBoundedCheck);
    } catch (const CLI::OptionNotFound&) {
      out.push_back(path + o->get_name());
    }
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; }))
    for (const auto& o : unbounded_numbers(*sub, path + sub->get_name() + " ")) out.push_back(o);
  return out;
}

// CLI11 leaves a hidden option's name (group "") out of its errors (": 0x10 ..."): the bounded check
// of each such option says the name itself; main() drops the empty prefix.
inline void name_hidden_numbers(CLI::App& app) {
  for (CLI::Option* o : app.get_options()) {
    if (!o->get_group().empty() || (o->get_lnames().empty() && o->get_snames().empty())) continue;
    const std::string name = o->get_lnames().empty() ? "-" + o->get_snames().front() : "--" + o->get_lnames().front();
    try {
      CLI::Validator* v = o->get_validator(kBoundedCheck);
      const CLI::Validator inner = *v;
      *v = CLI::Validator(
          [inner, name](std::string& text) {
            const std::string e = inner(text);
            return e.empty() ? e : name + ": " + e;
          },
          inner.get_description(), kBoundedCheck);
    } catch (const CLI::OptionNotFound&) {
    }
  }
  for (CLI::App* sub : app.get_subcommands([](CLI::App*) { return true; })) name_hidden_numbers(*sub);
}

}  // namespace regnet::cli
