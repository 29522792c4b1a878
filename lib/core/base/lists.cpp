#include "core/base/lists.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"

namespace regnet {

std::vector<std::string> split_list(const std::string& text, const std::string& separators, EmptyItems empty) {
  std::vector<std::string> out;
  for (size_t pos = 0;;) {
    const size_t end = std::min(text.find_first_of(separators, pos), text.size());
    if (end > pos || empty == EmptyItems::keep) out.push_back(text.substr(pos, end - pos));
    if (end == text.size()) return out;
    pos = end + 1;
  }
}

std::vector<double> parse_numbers(const std::string& text, const std::string& option) {
  const bool from_file = !text.empty() && text[0] == '@';
  const std::string where = from_file ? text.substr(1) : option;
  const std::string body = from_file ? read_text_file(where) : text;
  std::vector<double> out;
  for (const std::string& token : split_list(body, ", \t\n\v\f\r", EmptyItems::skip)) {
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(v))
      fail(from_file ? where : "", option, "'" + token + "' is not a finite number");
    out.push_back(v);
  }
  return out;
}

}  // namespace regnet
