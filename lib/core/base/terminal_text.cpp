#include "core/base/terminal_text.hpp"

#include <fmt/format.h>

namespace regnet {

namespace {

// Only the program starts a line with its own name ("regnet-explore: error: ..."): text that
// would start one after a newline (a name holding "\nregnet-explore: error: fake") keeps that
// newline escaped.
bool fakes_a_line(const std::string& text, size_t newline) {
  return text.compare(newline + 1, 15, "regnet-explore:") == 0;
}

}  // namespace

std::string terminal_text(const std::string& text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const auto u = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    const bool kept = u == '\t' || (u == '\n' && keep_newlines && !fakes_a_line(text, i));
    if ((u < 0x20 && !kept) || u == 0x7f) {
      out += fmt::format("\\x{:02x}", u);
    } else if (u == 0xc2 && next >= 0x80 && next <= 0x9f) {
      out += fmt::format("\\u{:04x}", next);
      ++i;
    } else {
      out += text[i];
    }
  }
  return out;
}

}  // namespace regnet
