#include "core/base/units.hpp"

#include <fmt/format.h>

#include <cctype>
#include <limits>
#include <optional>

#include "core/base/error.hpp"
#include "core/base/text.hpp"

namespace regnet {

namespace {

constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();

[[noreturn]] void bad(const std::string& text, const std::string& field, const std::string& why) {
  fail("", field, "'" + shorten(text) + "' " + why);
}

}  // namespace

std::int64_t parse_count(const std::string& text, const std::string& field) {
  // mantissa digits (with the decimal point removed) and a power of ten, kept as integers.
  const std::string usage = "is not a count (examples: 400000000, 400M, 0.4G, 1.6G, 4e8)";
  size_t i = 0;
  const size_t n = text.size();
  std::string digits;
  int frac_digits = 0;
  bool seen_point = false;
  for (; i < n; ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      digits += c;
      if (seen_point) ++frac_digits;
    } else if (c == '.' && !seen_point) {
      seen_point = true;
    } else {
      break;
    }
  }
  if (digits.empty()) {
    if (!text.empty() && text[0] == '-') bad(text, field, "is negative");
    bad(text, field, usage);
  }
  int exp10 = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
    std::string e;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) e += text[i++];
    if (e.empty() || e.size() > 3) bad(text, field, usage);
    exp10 = neg ? -std::stoi(e) : std::stoi(e);
  }
  if (i < n) {
    switch (text[i]) {
      case 'k':
      case 'K':
        exp10 += 3;
        ++i;
        break;
      case 'M':
      case 'm':
        exp10 += 6;
        ++i;
        break;
      case 'G':
      case 'g':
        exp10 += 9;
        ++i;
        break;
      case 'T':
      case 't':
        exp10 += 12;
        ++i;
        break;
      default: break;
    }
    if (i < n && (text[i] == 'F' || text[i] == 'f')) ++i;  // "400MF"
  }
  if (i != n) bad(text, field, usage);
  exp10 -= frac_digits;
  // Strip leading zeros, then trailing zeros into the exponent.
  size_t start = digits.find_first_not_of('0');
  if (start == std::string::npos) return 0;
  digits = digits.substr(start);
  while (exp10 < 0 && !digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exp10;
  }
  if (exp10 < 0) bad(text, field, "is not a whole number");
  if (digits.size() + static_cast<size_t>(exp10) > 18) bad(text, field, "is too large");
  std::int64_t v = 0;
  for (char c : digits) v = v * 10 + (c - '0');
  for (int k = 0; k < exp10; ++k) v *= 10;
  return v;
}

namespace {

// The digits of text from `start` as a number, or nullopt when there are none, others, or too many.
std::optional<std::uint64_t> decimal_digits(const std::string& text, size_t start) {
  if (start >= text.size()) return std::nullopt;
  std::uint64_t v = 0;
  for (size_t i = start; i < text.size(); ++i) {
    const char c = text[i];
    if (c < '0' || c > '9') return std::nullopt;
    if (v > (std::numeric_limits<std::uint64_t>::max() - static_cast<unsigned>(c - '0')) / 10) return std::nullopt;
    v = v * 10 + static_cast<unsigned>(c - '0');
  }
  return v;
}

bool all_digits(const std::string& text, size_t start) {
  return start < text.size() && text.find_first_not_of("0123456789", start) == std::string::npos;
}

}  // namespace

std::uint64_t parse_unsigned(const std::string& text, const std::string& field) {
  if (!text.empty() && text[0] == '-' && all_digits(text, 1)) bad(text, field, "must be >= 0");
  const size_t start = !text.empty() && text[0] == '+' ? 1 : 0;
  if (!all_digits(text, start)) bad(text, field, "is not a whole number");
  const auto v = decimal_digits(text, start);
  if (!v) bad(text, field, "is too large (at most " + std::to_string(std::numeric_limits<std::uint64_t>::max()) + ")");
  return *v;
}

std::int64_t parse_integer(const std::string& text, const std::string& field, std::int64_t lo, std::int64_t hi) {
  const bool negative = !text.empty() && text[0] == '-';
  const size_t start = !text.empty() && (negative || text[0] == '+') ? 1 : 0;
  if (!all_digits(text, start)) bad(text, field, "is not a whole number");
  // 128 bits hold every 64-bit magnitude with its sign; beyond 2^64 is simply out of range.
  using Wide = __int128;
  const auto mag = decimal_digits(text, start);
  const Wide m = mag ? Wide(*mag) : Wide(1) << 65;
  const Wide v = negative ? -m : m;
  if (v < lo) fail("", field, text + " must be >= " + std::to_string(lo));
  if (v > hi) fail("", field, text + " must be <= " + std::to_string(hi));
  return static_cast<std::int64_t>(v);
}

Window parse_window(const std::string& text, const std::string& field) {
  const auto colon = text.find(':');
  if (colon == std::string::npos)
    bad(text, field, "is not a window LO:HI (e.g. 360M:400M, or :400M / 360M: for an open side)");
  if (text.find(':', colon + 1) != std::string::npos) bad(text, field, "has more than one ':'");
  Window w;
  const std::string lo = text.substr(0, colon), hi = text.substr(colon + 1);
  if (!lo.empty()) w.lo = parse_count(lo, field);
  if (!hi.empty()) w.hi = parse_count(hi, field);
  if (w.lo && w.hi && *w.lo > *w.hi) bad(text, field, "is empty: the lower bound exceeds the upper bound");
  return w;
}

std::string format_count(std::int64_t v) {
  if (v < 0) return "-" + format_count(-v);
  static const struct {
    double scale;
    const char* suffix;
  } units[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  if (v < 1000) return std::to_string(v);
  for (size_t u = 0; u < 4; ++u) {
    const double x = static_cast<double>(v) / units[u].scale;
    if (x < 1.0) continue;
    // 999.6k would print as "1000k": say "1.00M" instead.
    if (u > 0 && x >= 999.5) return fmt::format("{:.2f}{}", x / 1000.0, units[u - 1].suffix);
    return fmt::format("{:.{}f}{}", x, x < 9.995 ? 2 : x < 99.95 ? 1 : 0, units[u].suffix);
  }
  return std::to_string(v);
}

std::string format_thousands(std::int64_t v) {
  const bool neg = v < 0;
  std::string s = std::to_string(neg ? -v : v);
  for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<size_t>(i), ",");
  return neg ? "-" + s : s;
}

std::string format_count_exact(std::int64_t v) {
  if (v != 0) {
    if (v % 1000000000000 == 0) return std::to_string(v / 1000000000000) + "T";
    if (v % 1000000000 == 0) return std::to_string(v / 1000000000) + "G";
    if (v % 1000000 == 0) return std::to_string(v / 1000000) + "M";
    if (v % 1000 == 0) return std::to_string(v / 1000) + "k";
  }
  return std::to_string(v);
}

std::string to_string(const Window& w) {
  if (w.unbounded()) return "any";
  return (w.lo ? format_count_exact(*w.lo) : "") + ":" + (w.hi ? format_count_exact(*w.hi) : "");
}

}  // namespace regnet
