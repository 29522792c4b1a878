#include "core/base/text.hpp"

#include <fmt/format.h>

namespace regnet {

std::string fixed(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

std::string significant(double v, int digits) { return fmt::format("{:.{}g}", v, digits); }

std::string shortest(double v) { return fmt::format("{}", v); }

std::string plural(long long n, const std::string& one, const std::string& many) {
  return fmt::format("{} {}", n, n == 1 ? one : (many.empty() ? one + "s" : many));
}

std::string join(const std::vector<std::string>& parts, const std::string& separator) {
  return fmt::format("{}", fmt::join(parts, separator));
}

std::string shorten(const std::string& text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // a continuation byte
  return text.substr(0, n) + "...";
}

std::string printable(const std::string& text, size_t max_bytes) {
  std::string out;
  for (char c : shorten(text, max_bytes)) {
    const auto u = static_cast<unsigned char>(c);
    out += u < 0x20 || u == 0x7f ? fmt::format("\\x{:02x}", u) : std::string(1, c);
  }
  return out;
}

}  // namespace regnet
