#include "core/model/compatibility.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <string>

#include "core/base/error.hpp"

namespace regnet {

namespace {

int make_divisible_torchvision(double v, int divisor) {
  int new_v = std::max(divisor, static_cast<int>(v + divisor / 2.0) / divisor * divisor);
  if (new_v < 0.9 * v) new_v += divisor;
  return new_v;
}

// w * m must fit in an int before it is rounded (a tiny b would not).
void check_fits(int w, double mul, double b, size_t stage) {
  if (!(w * mul <= std::numeric_limits<int>::max()))
    fail("", "bottleneck_ratios[" + std::to_string(stage) + "]",
         fmt::format("{} with width {} gives a bottleneck width above {}", b, w, std::numeric_limits<int>::max()));
}

}  // namespace

StageShape adjust_block_compatibility(const StageShape& in, Rounding rounding) {
  StageShape out = in;
  for (size_t i = 0; i < in.widths.size(); ++i) {
    const double mul = 1.0 / in.bottleneck_ratios[i];
    const int w = in.widths[i];
    check_fits(w, mul, in.bottleneck_ratios[i], i);
    if (rounding == Rounding::pycls) {
      int v = static_cast<int>(std::max(1.0, w * mul));
      int g = std::min(in.group_widths[i], v);
      int m = mul > 1.0 ? std::lcm(g, static_cast<int>(mul)) : g;
      v = std::max(m, static_cast<int>(std::nearbyint(static_cast<double>(v) / m) * m));
      out.widths[i] = static_cast<int>(v / mul);
      out.group_widths[i] = g;
    } else {
      int v = static_cast<int>(w * mul);
      int g = std::min(in.group_widths[i], v);
      v = make_divisible_torchvision(v, g);
      out.widths[i] = static_cast<int>(v / mul);
      out.group_widths[i] = g;
    }
  }
  return out;
}

}  // namespace regnet
