#pragma once
// More operations of the hidden `stats` command (core/stats_ops.hpp runs them by name):
//
//   sequential  a, b (errors in trained order), looks [, alpha, spending, simulations, seed]
//               each look's n, D, boundary, decision; status, decided_at, verdict
//   three-way   a, b, looks, margin [, non_inferior ("a" or "b"), alpha, spending, simulations, seed]
//               each look's D, shift, both intervals, decision; status, settled_at, decided_by, verdict
//   spearman    x, y                 rho, two-sided p (scipy.stats.spearmanr)
//   kendall     x, y                 tau-b, two-sided p, method (scipy.stats.kendalltau)
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace regnet {

struct StatsOperation {
  const char* name;
  nlohmann::json (*run)(const nlohmann::json& in);  // UserError for a missing or bad input (--KEY)
};
const std::vector<StatsOperation>& sequential_stats_operations();

}  // namespace regnet
