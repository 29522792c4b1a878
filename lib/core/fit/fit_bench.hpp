#pragma once
// The width fit's benchmark (scripts/bench-fit.sh, through `stats fit-bench`): fits random RegNet
// width lists, half of them exact quantized linear widths that the fit must recover (e_fit = 0).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <vector>

namespace regnet {

// Random RegNet widths (docs/reference.md §4's refined ranges); every other model gets +-10% noise.
std::vector<std::vector<int>> bench_widths(int models, std::uint64_t seed);

struct FitBench {
  int models = 0;
  double mean_depth = 0;
  double total_ms = 0, max_ms = 0;  // wall time of all fits, and of the slowest
  int exact_inputs = 0;             // the noise-free half
  int exact_recovered = 0;          // of those, fitted with e_fit == 0
  double mean_e_fit = 0;
};
// Fits `models` >= 1 width lists drawn with `seed`.
FitBench run_fit_bench(int models, std::uint64_t seed);

// The fields, and ms_per_model.
nlohmann::json to_json(const FitBench& b);

}  // namespace regnet
