#pragma once
// Fitting the quantized linear width curve (docs/reference.md §7) to a model's per-block widths.
// The search is documented in docs/fit.md.
#include <vector>

#include "core/model/regnet.hpp"

namespace regnet {

struct WidthFit {
  double w0 = 0, wa = 0, wm = 0;
  int depth = 0;
  double e_fit = 0;            // mean over blocks of |ln(predicted_j / observed_j)|
  std::vector<int> predicted;  // per-block widths of the fitted RegNet
};

// e_fit of given parameters against observed per-block widths (depth = observed.size()).
// Predicted widths are generate_regnet_unchecked's block widths (no group compatibility).
double fit_error(const std::vector<int>& observed, double w0, double wa, double wm, int q = 8);

struct FitGrid {
  // w0 takes every value of w0_min..w0_max step w0_step. For each (w0, wm) the best wa in
  // [0, wa_max] is found exactly (e_fit is piecewise constant in wa: every breakpoint is visited),
  // so wa needs no grid. wm takes wm_points values evenly spaced over [wm_min, wm_max], then,
  // with refine, finer grids around the best wm of the three best w0 (docs/fit.md).
  int w0_min = 8, w0_max = 256, w0_step = 8;
  double wa_max = 256;
  int wm_points = 41;
  double wm_min = 1.5, wm_max = 3.0;
  bool refine = true;
  int q = 8;
};

// Throws UserError for an empty width list or a width <= 0, or an invalid grid.
WidthFit fit_widths(const std::vector<int>& observed, const FitGrid& grid = {});

}  // namespace regnet
