#pragma once
// Fitting the quantized linear width curve (REGNET.md §7) to a model's per-block widths.
#include <vector>

#include "core/regnet.hpp"

namespace regnet {

struct WidthFit {
  double w0 = 0, wa = 0, wm = 0;
  int depth = 0;
  double e_fit = 0;                  // mean over blocks of |ln(predicted_j / observed_j)|
  std::vector<int> predicted;        // per-block widths of the fitted RegNet
};

// e_fit of given parameters against observed per-block widths (depth = observed.size()).
double fit_error(const std::vector<int>& observed, double w0, double wa, double wm, int q = 8);

struct FitGrid {
  // Documented in docs/fit.md. Defaults: w0 in 8..256 step 8; wa log-spaced in (0, 256] plus 0;
  // wm in [1.5, 3]; then a local refinement around the best grid point.
  int w0_min = 8, w0_max = 256, w0_step = 8;
  int wa_points = 64;
  double wa_max = 256;
  int wm_points = 31;
  double wm_min = 1.5, wm_max = 3.0;
  bool refine = true;
};

WidthFit fit_widths(const std::vector<int>& observed, const FitGrid& grid = {});

}  // namespace regnet
