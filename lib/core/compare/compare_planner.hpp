#pragma once
// `compare --plan` (docs/compare.md): before training more, what a three-outcome comparison of
// these sweeps will cost and decide, predicted from the errors already trained (or the first k,
// a pilot) by simulation (three_way_operating.hpp). Trains nothing and writes nothing; the
// `analyze` report can call it on a compare directory's setup.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/compare/compare_state.hpp"
#include "core/stats/three_way_operating.hpp"

namespace regnet {

struct PairPlan {
  int a = 0, b = 0;  // indices into the setup's sweeps
  ThreeWayQuestion question;
  ThreeWayPlan plan;
};

struct CompareForecast {
  int pilot = 0;  // models per sweep the prediction used (0: all trained)
  int reps = 0;   // simulated comparisons per scenario
  std::vector<PairPlan> pairs;
};

// For every pair the comparison would test (the same pairs and alpha / pairs as three_way_pairs),
// from each sweep's trained errors, ids 0..pilot-1 (pilot 0: as far as trained). UserError when
// the setup has no margin, pilot is outside 0..10000, or a sweep has fewer than `pilot` trained
// models (or fewer than 5 with an error).
CompareForecast forecast_compare(const CompareSetup& setup, int pilot, int reps = 2000, std::uint64_t seed = 1);

// Per pair: the pilot's spread over the margin, then the planner's table.
std::string forecast_text(const CompareForecast& f, const CompareSetup& setup);
nlohmann::json to_json(const CompareForecast& f, const CompareSetup& setup);

}  // namespace regnet
