#include "core/base/lists.hpp"

#include <cctype>
#include <cmath>
#include <cstdlib>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"

namespace regnet {

std::vector<double> parse_numbers(const std::string& text, const std::string& option) {
  const bool from_file = !text.empty() && text[0] == '@';
  const std::string where = from_file ? text.substr(1) : option;
  const std::string body = from_file ? read_text_file(where) : text;
  auto separator = [](char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)); };
  std::vector<double> out;
  for (size_t i = 0; i < body.size();) {
    if (separator(body[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < body.size() && !separator(body[j])) ++j;
    const std::string token = body.substr(i, j - i);
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(v))
      fail(from_file ? where : "", option, "'" + token + "' is not a finite number");
    out.push_back(v);
    i = j;
  }
  return out;
}

}  // namespace regnet
