#pragma once
// Numbers a user typed, read strictly and within a bound that every message states: what each
// numeric option of the CLI takes (apps/regnet-explore/number_options.hpp binds these to CLI11).
// The UserErrors name no field: the caller names the option.
#include <cstdint>
#include <string>

namespace regnet {

// "[lo, hi]"
std::string interval_text(std::int64_t lo, std::int64_t hi);

// A plain decimal whole number in [lo, hi]: "'x' is not a whole number (it must be in [0, 10])",
// "11 must be in [0, 10]".
std::int64_t bounded_integer(const std::string& text, std::int64_t lo, std::int64_t hi);

// A seed, 0 .. 2^64 - 1 ("-1" is an error, not 2^64 - 1); the message states the range.
std::uint64_t bounded_seed(const std::string& text);

// An interval of reals, each side closed or open: "[0, 1]", "(0, 0.5)".
struct RealBound {
  double lo = 0, hi = 0;
  bool open_lo = false, open_hi = false;
  bool contains(double v) const { return (open_lo ? v > lo : v >= lo) && (open_hi ? v < hi : v <= hi); }
  std::string text() const;
};

// A finite plain decimal number (no nan, inf or hex) inside `bound`.
double bounded_real(const std::string& text, const RealBound& bound);

}  // namespace regnet
