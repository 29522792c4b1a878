#pragma once
// The boundaries of the three-outcome sequential comparison (docs/statistics.md, "Three
// outcomes"): at each look, the critical values that make one sequence of repeated confidence
// intervals for the shift between two sweeps' errors (Jennison & Turnbull, Group Sequential
// Methods, ch. 9) cover the true shift at every look at once with the probability the spending
// function allows, and the KS boundary that decides "different" beside the interval.
//
// Under a location shift, F_a(x) = F_b(x - shift), the Mann-Whitney counts U_k(shift) of the
// looks' prefixes depend only on how a - shift and b interleave: a uniformly random order, the
// same for every continuous error distribution. So the critical values are quantiles of
// simulated H0 trajectories (null_trajectory.hpp), exact for the design up to Monte Carlo error,
// which a 3-standard-error margin absorbs, as for the KS boundaries (sequential_design.hpp).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

#include "core/stats/sequential_design.hpp"

namespace regnet {

// One look's critical values. The intervals are [d_(r), d_(N+1-r)] of the pairwise differences
// a_i - b_j (N = n_a n_b; hodges_lehmann.hpp); r = 0: the whole line.
struct ThreeWayBoundary : LookPlan {
  // "different": the KS lattice distance reaches ks_h_reject (> lcm: KS cannot decide at this
  // look), or the (1 - alpha) interval with r_different excludes 0. Both tests are rank
  // statistics of one trajectory, so their union is what is spent: P_H0(either, at any look so
  // far) <= alpha_spent.
  long ks_h_reject = 2;
  std::int64_t r_different = 0;
  // "equivalent", "non-inferior": the (1 - 2 alpha) interval with r_equivalence; each of its ends
  // misses the true shift at some look so far with probability <= alpha_spent.
  std::int64_t r_equivalence = 0;
  double crossing_different = 0;    // Monte Carlo P_H0(different by this look)
  double crossing_equivalence = 0;  // Monte Carlo P(the upper end below the true shift by this look)
  double mc_error = 0;              // standard error of a crossing at alpha_spent
  bool ks_reachable() const { return ks_h_reject <= lcm; }
  double ks_d() const { return static_cast<double>(ks_h_reject) / static_cast<double>(lcm); }
};

// Boundaries of looks 1..sizes.size() from design.simulations H0 trajectories (sizes as for
// ks_boundaries: non-decreasing, within the planned looks). Look k depends only on sizes[0..k].
// Cached per design and sizes.
std::vector<ThreeWayBoundary> three_way_boundaries(const SequentialDesign& design, const std::vector<LookSize>& sizes);

nlohmann::json to_json(const ThreeWayBoundary& b);

}  // namespace regnet
