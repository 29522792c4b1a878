#pragma once
// The three-outcome comparison's benchmark (docs/statistics.md, "Three outcomes: measured"):
// a mixed scenario set on recorded errors, and equal spaces over the ratio spread / margin, each
// against the fixed-n test with the same error rates and the max-n protocol.
#include <cstdint>
#include <string>
#include <vector>

#include "core/stats/sequential_design.hpp"

namespace regnet::bench {

struct ThreeWayBenchOptions {
  SequentialDesign design;  // looks (max-n), alpha, spending
  double margin = 1;        // error points
  int reps = 2000;
  std::uint64_t seed = 1;
  std::vector<int> table_max_n = {32, 64, 128};
  std::vector<int> mixed_max_n = {32, 64};
  // The recorded errors of two sweeps (empty: normal errors stand in), with their names.
  std::string name_a, name_b;
  std::vector<double> recorded_a, recorded_b;
};

void run_three_way_bench(const ThreeWayBenchOptions& o);

}  // namespace regnet::bench
