#include "core/stats_difference.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"

namespace regnet {

namespace {

// quantile(sorted, 0.5) without a copy: the same interpolation.
double median_of_sorted(const std::vector<double>& s) {
  const size_t k = (s.size() - 1) / 2;
  return s.size() % 2 ? s[k] : s[k] + 0.5 * (s[k + 1] - s[k]);
}

// The statistics compared, of one sorted sample: mean, median, expected best of each m.
std::vector<double> statistics_of(const std::vector<double>& sorted, const std::vector<int>& ms) {
  std::vector<double> s{std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size()),
                        median_of_sorted(sorted)};
  for (int m : ms) s.push_back(expected_best_of_sorted(sorted, m));
  return s;
}

DifferenceBand band(double estimate, std::vector<double>& resampled) {
  if (resampled.empty()) return {estimate, NAN, NAN};
  std::sort(resampled.begin(), resampled.end());
  return {estimate, quantile(resampled, 0.025), quantile(resampled, 0.975)};
}

DifferenceBand negated(const DifferenceBand& d) { return {-d.estimate, -d.hi, -d.lo}; }

}  // namespace

SampleDifferences bootstrap_differences(const std::vector<double>& a, const std::vector<double>& b, int resamples,
                                        std::uint64_t seed) {
  if (a.empty() || b.empty()) fail("", "errors", "an empty sample (a difference needs models on both sides)");
  if (resamples < 0) fail("", "resamples", std::to_string(resamples) + " must be >= 0");
  const std::vector<double> sa = sorted(a), sb = sorted(b);
  SampleDifferences d;
  d.resamples = resamples;
  for (size_t m = 1; m <= std::min(sa.size(), sb.size()); m *= 2) d.m.push_back(static_cast<int>(m));
  const auto on_a = statistics_of(sa, d.m), on_b = statistics_of(sb, d.m);
  std::vector<std::vector<double>> diffs(on_a.size(), std::vector<double>(static_cast<size_t>(resamples)));
  SplitMix64 rng(seed);
  std::vector<double> ra, rb;
  std::vector<std::uint32_t> counts;
  for (size_t r = 0; r < static_cast<size_t>(resamples); ++r) {
    sorted_resample(sa, sa.size(), rng, ra, counts);
    sorted_resample(sb, sb.size(), rng, rb, counts);
    const auto x = statistics_of(ra, d.m), y = statistics_of(rb, d.m);
    for (size_t k = 0; k < x.size(); ++k) diffs[k][r] = y[k] - x[k];
  }
  d.mean = band(on_b[0] - on_a[0], diffs[0]);
  d.median = band(on_b[1] - on_a[1], diffs[1]);
  for (size_t k = 2; k < diffs.size(); ++k) d.expected_best.push_back(band(on_b[k] - on_a[k], diffs[k]));
  return d;
}

SampleDifferences reversed(const SampleDifferences& d) {
  SampleDifferences r = d;
  r.mean = negated(d.mean);
  r.median = negated(d.median);
  for (auto& e : r.expected_best) e = negated(e);
  return r;
}

}  // namespace regnet
