#pragma once
// Every numeric option of every command is read here, strictly and within a bound that the message
// states ("--bins: 2147483647 must be in [0, 10000]"): CLI11 alone reads "-1" into an unsigned as
// 2^64 - 1, "010" as 8, "0x10" as 16, clamps huge values and takes "nan" for a double. The bounds
// keep what a number sizes (memory, processes, time) sane and every product of two of them in range;
// run_program (program.hpp) refuses to start when an INT, UINT or FLOAT option has no such check.
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
CLI::Validator canonical_number(std::function<std::string(const std::string&)> parse, const std::string& bound);

// A value of the option's integer type T within [lo, hi] (both given: each option states its bound).
template <typename T>
CLI::Validator whole_number(std::int64_t lo, std::int64_t hi) {
  static_assert(std::is_integral_v<T> && std::is_signed_v<T>);
  if (lo < std::numeric_limits<T>::min() || hi > std::numeric_limits<T>::max()) throw std::logic_error("bound");
  return canonical_number([lo, hi](const std::string& t) { return std::to_string(bounded_integer(t, lo, hi)); },
                          interval_text(lo, hi));
}

// A seed: 0 .. 2^64 - 1 (every command's seed is a std::uint64_t).
CLI::Validator seed_number();

// A finite decimal number in [lo, hi], or (lo, hi] when open_lo (no nan, inf or hex); the text is
// passed on unchanged.
CLI::Validator real_number(double lo, double hi, bool open_lo = false, bool open_hi = false);

// "cmd --option" for each option of `app` and its subcommands (recursively) that takes a number
// but has no bounded check: a bug that run_program reports before parsing anything.
std::vector<std::string> unbounded_numbers(CLI::App& app, const std::string& path = "");

// CLI11 leaves a hidden option's name (group "") out of its errors (": 0x10 ..."): the bounded check
// of each such option says the name itself; input_error_line drops the empty prefix.
void name_hidden_numbers(CLI::App& app);

}  // namespace regnet::cli
