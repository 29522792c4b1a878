#pragma once
// `fit` as one call: the width fit of a sweep's best models, with the files it asks for written,
// or of widths given on the command line; and what it prints (docs/fit.md).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/fit/best_models.hpp"

namespace regnet {

struct FitRequest {
  std::string sweep;   // a sweep directory, or
  std::string widths;  // W1,W2,... (exactly one of the two)
  std::string metric = "best";
  FitOptions fit;                                // top, resamples, seed (metric and grid from the fields here)
  int w0_max = 256;                              // the grid: w0 = 8..w0_max step 8
  std::string out_space, space_name, out_specs;  // written after the fit (SWEEP only), checked before it
  bool force = false;
};

struct FitReport {
  std::vector<int> observed;  // --widths
  WidthFit width_fit;
  std::optional<SweepFit> sweep;  // SWEEP
  std::string out_space, out_specs;
};

// UserError for both or neither input, outputs without a SWEEP, or an output that is in the way.
FitReport run_fit(const FitRequest& request);
nlohmann::json to_json(const FitReport& r);
std::string to_text(const FitReport& r);

}  // namespace regnet
