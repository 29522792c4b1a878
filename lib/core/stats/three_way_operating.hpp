#pragma once
// What a three-outcome design does on given error populations, by simulation (docs/statistics.md,
// "Three outcomes: measured"): how often each outcome is reached and how many trainings it takes,
// for the planner (`compare --plan`), the benchmark and the tests' error rates.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/rng.hpp"
#include "core/stats/three_way_test.hpp"

namespace regnet {

// n errors of one sweep.
using ErrorDraw = std::function<std::vector<double>(SplitMix64& rng, int n)>;

// Populations. grid > 0 rounds to multiples of it (top-1 errors on 100/grid test images: ties).
ErrorDraw normal_population(double mean, double sd, double grid = 0);
// mean + (Gamma(shape, 1) - shape) sd / sqrt(shape): skewed to the right, standard deviation sd.
// shape is a whole number (a sum of exponentials).
ErrorDraw gamma_population(double mean, double sd, int shape, double grid = 0);
// Draws with replacement from recorded errors (finite ones).
ErrorDraw resampled_population(std::vector<double> pool);
// The population moved by `shift` error points.
ErrorDraw shifted(ErrorDraw draw, double shift);

// The outcomes of `reps` simulated comparisons of sweeps drawn from two populations.
struct OperatingPoint {
  int reps = 0;
  double different_a_lower = 0, different_b_lower = 0;  // fractions of the comparisons
  double equivalent = 0, non_inferior = 0, undecided = 0;
  double mean_trainings = 0;                // both sweeps, up to the settling look (max-n when undecided)
  double mean_trainings_settled = 0;        // trainings per settled comparison: all trainings / settled ones
  std::vector<double> trainings_by_status;  // mean trainings given each ThreeWayStatus (NaN: never)
  double settled() const { return 1 - undecided; }
};

// reps comparisons split into fixed chunks over up to `threads` threads (the result does not depend
// on the thread count): each draws max-n errors per sweep and applies three_way_test.
OperatingPoint simulate_operating(const ErrorDraw& a, const ErrorDraw& b, const SequentialDesign& design,
                                  const ThreeWayQuestion& question, int reps, std::uint64_t seed, int threads = 0);

// The fractions of true and of false claims when the true shift (a - b) is `shift`: "different"
// is true in the right direction when shift != 0, "equivalent" when |shift| < margin,
// "non-inferior" when the candidate's shift is below the margin.
double true_claims(const OperatingPoint& p, const ThreeWayQuestion& q, double shift);
double false_claims(const OperatingPoint& p, const ThreeWayQuestion& q, double shift);

// A design with one look at n: the fixed-n test with the same error rates.
SequentialDesign fixed_n_design(const SequentialDesign& d, int n);

nlohmann::json to_json(const OperatingPoint& p);

// The planner (`compare --plan`): what the design will cost and decide, predicted from pilot
// errors. The pilot's two samples, each centred on its median, are pooled: the shape and spread
// the comparison will meet, without the pilot's own shift; each scenario draws both sweeps from
// that pool with replacement, one of them moved by the scenario's shift (a - b).
struct PlanScenario {
  std::string name;  // "equal", "at the margin", "half the margin", "2 margins", "4 margins", "as the pilot"
  double shift = 0;
};
struct PlanRow {
  PlanScenario scenario;
  OperatingPoint point;
  double true_claims = 0, false_claims = 0;
};
struct ThreeWayPlan {
  int pilot_a = 0, pilot_b = 0;  // finite pilot errors per sweep
  double pilot_shift = 0;        // the pilot's Hodges-Lehmann shift a - b
  double spread_sd = 0;          // standard deviation of the pooled centred errors
  double spread_iqr = 0;         // their interquartile range / 1.349 (the sd a normal with that IQR has)
  std::vector<PlanRow> rows;
};
// UserError when either pilot has fewer than 5 finite errors.
ThreeWayPlan plan_three_way(const std::vector<double>& pilot_a, const std::vector<double>& pilot_b,
                            const SequentialDesign& design, const ThreeWayQuestion& question, int reps,
                            std::uint64_t seed);
// The planner's table: per scenario the shift, each outcome's probability, the trainings.
std::string plan_table(const ThreeWayPlan& p, const ThreeWayQuestion& q);
nlohmann::json to_json(const ThreeWayPlan& p);

}  // namespace regnet
