#pragma once
// Group-width compatibility: make each stage's bottleneck width a multiple of its group width.
#include <vector>

namespace regnet {

enum class Rounding {
  pycls,        // pycls's adjust_block_compatibility, half-to-even (the reference)
  torchvision,  // torchvision's _make_divisible: round half up, +1 quantum if it lost more than 10%
};

struct StageShape {
  std::vector<int> widths;
  std::vector<double> bottleneck_ratios;  // paper's b (w_b = w / b)
  std::vector<int> group_widths;
};

// pycls works with the multiplier m = 1/b: v = int(max(1, w*m)); g = min(g, v);
// q = lcm(g, m) if m > 1 else g; v = max(q, round_half_even(v/q)*q); w = int(v/m).
// A stage whose w / b does not fit in an int is a UserError naming bottleneck_ratios[i].
// (Read from the paper the lcm would apply for b > 1; pycls's code applies it for the multiplier > 1,
// i.e. inverted bottlenecks b < 1. We follow pycls's code; the zoo is unaffected.)
StageShape adjust_block_compatibility(const StageShape& in, Rounding rounding = Rounding::pycls);

}  // namespace regnet
