#pragma once
// Lists a user writes in one option value.
#include <string>
#include <vector>

namespace regnet {

// Numbers separated by commas or white space ("1,2.5 3"), or "@FILE" to read them from FILE.
// UserError naming `option` (or FILE) for a token that is not a finite number.
std::vector<double> parse_numbers(const std::string& text, const std::string& option);

}  // namespace regnet
