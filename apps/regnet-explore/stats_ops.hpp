#pragma once
// lib/core's statistics as named operations on JSON inputs: what the hidden `stats` command runs,
// so that tests/cli/stats_vs_scipy.sh can compare them with scipy, and scripts/bench-fit.sh can
// time the width fit.
//
//   ks        a, b [, wa, wb]         D, p-value, method (weighted with wa/wb)
//   kstwo     n, d                    scipy.stats.kstwo.sf(d, n)
//   edf       a [, at]                curve_x, curve_y [, edf at `at`]
//   nds       complexity (an array per sample; or a [, b]), bins (0: automatic), range "LO:HI"
//             or lo/hi, log_bins [, errors (an array per sample) [, at]]
//                                     the shared range, K, edges; per sample bin, weights,
//                                     outside [, weighted EDF and curve]; [normalized KS per pair]
//   bootstrap x, errors, resamples, fraction, seed     median, lo, hi
//   difference a, b, resamples, seed  bootstrap 95% intervals of b - a: mean, median, best of m
//   ks-power  a, b, alpha, resamples (repetitions), seed   models per space for 80% KS power
//   best-of   a, m                    expected best of m random models
//   summary   a                       n, min, mean, median, max
//   fit-bench models, seed            ms per width fit on random RegNet widths
//   sequential a, b (errors in trained order), looks [, alpha, spending, simulations, seed]
//                                     each look's n, D, boundary, decision; status, decided_at, verdict
//   three-way a, b, looks, margin [, non_inferior ("a" or "b"), alpha, spending, simulations, seed]
//                                     each look's D, shift, both intervals, decision; status, settled_at,
//                                     decided_by, verdict
//   spearman  x, y                    rho, two-sided p (scipy.stats.spearmanr)
//   kendall   x, y                    tau-b, two-sided p, method (scipy.stats.kendalltau)
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace regnet {

// The operation names, in the order above.
const std::vector<std::string>& stats_operations();

// Runs operation `op` on inputs `in` (arrays of numbers and scalars by name). UserError for an
// unknown operation or a missing or bad input (named as the option --KEY).
nlohmann::json run_stats_op(const std::string& op, const nlohmann::json& in);

// Runs every {"op": ..., inputs} of the array `list` (read from `where`); an operation that fails
// gives {"error": message} in its place.
nlohmann::json run_stats_batch(const nlohmann::json& list, const std::string& where);

}  // namespace regnet
