#pragma once
// Counts with SI suffixes ("360M", "1.6G", "400000000", "4e8") and complexity windows
// ("360M:400M", ":400M", "2M:"). Decimal suffixes: k = 1e3, M = 1e6, G = 1e9, T = 1e12;
// a trailing F (as in the paper's "400MF") is allowed. Parsing is exact (no floating point).
#include <cstdint>
#include <optional>
#include <string>

namespace regnet {

// Throws UserError naming `field` (e.g. "--flops") and the text when it is not a whole,
// non-negative count.
std::int64_t parse_count(const std::string& text, const std::string& field = "");

// Plain decimal whole numbers, what every integer option takes: digits with an optional sign
// ("007" is 7; no point, exponent, suffix, hex or spaces). UserError naming `field` and the text
// when it is not one or lies outside [lo, hi]; nothing wraps.
std::int64_t parse_integer(const std::string& text, const std::string& field, std::int64_t lo, std::int64_t hi);
// The same for 0 .. 2^64 - 1 (seeds): "-1" is an error, not 2^64 - 1.
std::uint64_t parse_unsigned(const std::string& text, const std::string& field = "");

// A closed interval [lo, hi]; a missing side is open.
struct Window {
  std::optional<std::int64_t> lo, hi;
  bool contains(std::int64_t v) const { return (!lo || v >= *lo) && (!hi || v <= *hi); }
  bool unbounded() const { return !lo && !hi; }
  bool operator==(const Window& o) const { return lo == o.lo && hi == o.hi; }
};

// "LO:HI" with either side optional (":" alone is unbounded); LO > HI is an error.
Window parse_window(const std::string& text, const std::string& field = "");

// "398M", "5.16M", "1.60G", "19.9M", "816k", "12": three significant digits.
std::string format_count(std::int64_t v);
// "397,976,216"
std::string format_thousands(std::int64_t v);
// Exact and short: "400M", "1600M" stays "1600M", 360500000 stays "360500000". parse_count reads it back.
std::string format_count_exact(std::int64_t v);
// "360M:400M", ":400M", "any" (exact; parse_window reads it back)
std::string to_string(const Window& w);

}  // namespace regnet
