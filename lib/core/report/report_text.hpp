#pragma once
// How the numbers and labels of an analysis read in its figures, its page and the terminal.
#include <string>

#include "core/stats/difference.hpp"
#include "core/stats/ks_power.hpp"

namespace regnet {

// fixed(v, decimals), or "n/a" when v is not finite.
std::string fixed_or_na(double v, int decimals);
// significant(v, digits), or "n/a" when v is not finite.
std::string significant_or_na(double v, int digits);
// Compact value: integers as integers, else 3 significant digits (4 from 10 on): "48", "2.49", "36.44".
std::string value_text(double v);
// A difference with its sign and interval: "+3.02 [+2.10, +3.93]" ("+3.02" without an interval).
std::string difference_text(const DifferenceBand& d, int decimals = 2);
// "23 models per space", "more than 1024 models per space".
std::string power_text(const KsPower& p);
// A gnuplot enhanced-text label as plain text: "w_0 (initial width)" -> "w0 (initial width)".
std::string plain_label(const std::string& label);

}  // namespace regnet
