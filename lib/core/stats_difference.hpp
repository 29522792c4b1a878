#pragma once
// How sure a comparison of two error samples is: percentile-bootstrap 95% intervals of the
// difference b - a in mean, median and expected best-of-m error (docs/statistics.md). Each
// resample draws n_a errors from a and n_b from b with replacement, independently.
#include <cstdint>
#include <vector>

namespace regnet {

struct DifferenceBand {
  double estimate = 0;  // b - a on the data
  double lo = 0, hi = 0;  // 2.5th and 97.5th percentiles of the resampled differences
};

struct SampleDifferences {
  DifferenceBand mean, median;
  std::vector<int> m;                         // 1, 2, 4, ... <= min(n_a, n_b)
  std::vector<DifferenceBand> expected_best;  // of the expected best error among m random models
  int resamples = 0;
};

// Deterministic in seed. resamples = 0: the estimates only (NaN intervals). UserError for an
// empty sample or resamples < 0.
SampleDifferences bootstrap_differences(const std::vector<double>& a, const std::vector<double>& b, int resamples,
                                        std::uint64_t seed);

// The differences a - b from those of b - a: every value negated, each interval's ends swapped
// (exactly, so a comparison reads the same whichever sample comes first).
SampleDifferences reversed(const SampleDifferences& d);

}  // namespace regnet
