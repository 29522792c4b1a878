#include "core/fit/fit_bench.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "core/base/rng.hpp"
#include "core/model/regnet.hpp"
#include "core/model/width_fit.hpp"

namespace regnet {

std::vector<std::vector<int>> bench_widths(int models, std::uint64_t seed) {
  SplitMix64 rng(seed);
  auto uniform = [&] { return static_cast<double>(rng.next() >> 11) * 0x1.0p-53; };
  std::vector<std::vector<int>> inputs;
  for (int i = 0; i < models; ++i) {
    const int d = 12 + static_cast<int>(rng.below(17));
    const double w0 = 8.0 * (1 + static_cast<double>(rng.below(32)));
    const double wa = 8 * std::exp(uniform() * std::log(32.0));
    const double wm = 2 + uniform();
    auto w = generate_regnet_unchecked(wa, w0, wm, d).block_widths;
    if (i % 2)
      for (int& x : w) x = std::max(8, static_cast<int>(std::lround(x * std::exp(0.1 * (2 * uniform() - 1)) / 8)) * 8);
    inputs.push_back(std::move(w));
  }
  return inputs;
}

FitBench run_fit_bench(int models, std::uint64_t seed) {
  const auto inputs = bench_widths(models, seed);
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
  };
  FitBench b;
  b.models = models;
  b.exact_inputs = (models + 1) / 2;
  const auto t0 = Clock::now();
  double e_sum = 0;
  long blocks = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto t1 = Clock::now();
    const WidthFit f = fit_widths(inputs[i]);
    b.max_ms = std::max(b.max_ms, ms_since(t1));
    e_sum += f.e_fit;
    b.exact_recovered += (i % 2 == 0 && f.e_fit == 0) ? 1 : 0;
    blocks += static_cast<long>(inputs[i].size());
  }
  b.total_ms = ms_since(t0);
  b.mean_depth = static_cast<double>(blocks) / models;
  b.mean_e_fit = e_sum / models;
  return b;
}

nlohmann::json to_json(const FitBench& b) {
  return {{"models", b.models},
          {"mean_depth", b.mean_depth},
          {"total_ms", b.total_ms},
          {"ms_per_model", b.total_ms / b.models},
          {"max_ms", b.max_ms},
          {"exact_inputs", b.exact_inputs},
          {"exact_recovered", b.exact_recovered},
          {"mean_e_fit", b.mean_e_fit}};
}

}  // namespace regnet
