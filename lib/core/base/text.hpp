#pragma once
// Numbers and lists as text, in one place (built on {fmt}): the fixed and significant-digit
// forms that tables, reports and log lines print. Counts with SI suffixes live in units.hpp,
// durations in progress.hpp.
#include <cstddef>
#include <string>
#include <vector>

namespace regnet {

// fixed(19.6234, 2) == "19.62" (printf's %.2f).
std::string fixed(double v, int decimals);
// significant(0.000123456, 3) == "0.000123", significant(8.1e-11, 2) == "8.1e-11" (printf's %g).
std::string significant(double v, int digits);
// Shortest text that reads back as the same double: "0.1", "5e-05", "120" (for JSON-like args).
std::string shortest(double v);
// plural(1, "model") == "1 model", plural(3, "model") == "3 models", plural(2, "process", "processes").
std::string plural(long long n, const std::string& one, const std::string& many = "");
// join({"a", "b"}, ", ") == "a, b".
std::string join(const std::vector<std::string>& parts, const std::string& separator);
// What an error line echoes of a name or value it did not choose: the first `max_bytes` bytes
// (never half a UTF-8 character), "..." appended if anything was cut.
std::string shorten(const std::string& text, size_t max_bytes = 60);
// shorten(text) with control characters (bytes below 0x20, and 0x7f) written as \xNN, so that an
// echoed value cannot move the cursor or recolour a terminal.
std::string printable(const std::string& text, size_t max_bytes = 60);

}  // namespace regnet
