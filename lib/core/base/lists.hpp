#pragma once
// Lists a user writes in one option value: the one splitter behind every comma list (--ids,
// --devices, --widths, --formats, REGNET_FAILPOINT) and the number lists (--looks, the hidden
// stats command's samples).
#include <string>
#include <vector>

namespace regnet {

enum class EmptyItems { keep, skip };

// The items of `text` between `separators` (any of its characters; "," by default), in order and
// as written (no trimming). Empty items are kept by default ("a,,b" has three items, "a," two, ""
// one) so that the caller names them as errors; EmptyItems::skip drops them ("" has none).
std::vector<std::string> split_list(const std::string& text, const std::string& separators = ",",
                                    EmptyItems empty = EmptyItems::keep);

// Numbers separated by commas or white space ("1,2.5 3"), or "@FILE" to read them from FILE.
// UserError naming `option` (or FILE) for a token that is not a finite number.
std::vector<double> parse_numbers(const std::string& text, const std::string& option);

}  // namespace regnet
