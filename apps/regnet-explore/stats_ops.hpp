#pragma once
// lib/core's statistics as named operations on JSON inputs: what the hidden `stats` command runs,
// so that tests/cli/stats_vs_scipy.sh can compare them with scipy, and scripts/bench-fit.sh can
// time the width fit. The operations and their inputs: docs/commands/stats.txt (`stats --help`).
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
