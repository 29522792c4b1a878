#pragma once
// How sure a comparison of two error samples is: percentile-bootstrap 95% intervals of the
// difference b - a in mean, median and expected best-of-m error (docs/statistics.md). Each
// resample draws n_a errors from a and n_b from b with replacement, independently.
#include <cstdint>
#include <memory>
#include <vector>

namespace regnet {

struct DifferenceBand {
  double estimate = 0;    // b - a on the data
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

// The same bootstrap in chunks of kDifferenceChunk resamples that may run at the same time (on
// threads of their own or beside other work): chunk c draws from its own stream (`seed` for chunk
// 0, derive_seed(seed, c) after), so the numbers depend neither on the threads nor on the order.
constexpr int kDifferenceChunk = 1000;
class DifferenceBootstrap {
 public:
  DifferenceBootstrap(const std::vector<double>& a, const std::vector<double>& b, int resamples, std::uint64_t seed);
  ~DifferenceBootstrap();
  DifferenceBootstrap(DifferenceBootstrap&&) noexcept;
  DifferenceBootstrap& operator=(DifferenceBootstrap&&) noexcept;
  size_t chunks() const;
  void run(size_t chunk);            // each chunk once; distinct chunks may run concurrently
  SampleDifferences result() const;  // once every chunk has run

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The differences a - b from those of b - a: every value negated, each interval's ends swapped
// (exactly, so a comparison reads the same whichever sample comes first).
SampleDifferences reversed(const SampleDifferences& d);

}  // namespace regnet
