#include "core/stats_difference.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/error.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"

namespace regnet {

namespace {

// The statistics compared (mean, median, expected best of each m) of resamples of one sorted
// sample of n, from the counts of each value drawn: no resample is built or sorted.
class ResampleStatistics {
 public:
  ResampleStatistics(const std::vector<double>& sorted, const std::vector<int>& ms) : s_(sorted) {
    const size_t n = sorted.size();
    // P(the minimum of m of the n resampled values is the i-th smallest) depends on n and m only:
    // prefix sums of p_1 = m/n, p_{i+1} = p_i (n-i-m+1)/(n-i), one table per m.
    for (int m : ms) {
      std::vector<double> w(n + 1, 0.0);
      double p = static_cast<double>(m) / static_cast<double>(n);
      for (size_t i = 1; i <= n; ++i) {
        w[i] = w[i - 1] + (i <= n - static_cast<size_t>(m) + 1 ? p : 0.0);
        if (i < n) p *= static_cast<double>(n - i - static_cast<size_t>(m) + 1) / static_cast<double>(n - i);
      }
      prefix_.push_back(std::move(w));
    }
  }

  // counts[k]: how often value k was drawn (the counts sum to n). Fills out: mean, median, best of each m.
  void of(const std::vector<std::uint32_t>& counts, std::vector<double>& out) const {
    const size_t n = s_.size(), lo = (n - 1) / 2, hi = n / 2;
    out.assign(2 + prefix_.size(), 0.0);
    double sum = 0, at_lo = 0, at_hi = 0;
    size_t pos = 0;
    for (size_t k = 0; k < n; ++k) {
      if (counts[k] == 0) continue;
      const size_t next = pos + counts[k];
      sum += counts[k] * s_[k];
      if (pos <= lo && lo < next) at_lo = s_[k];
      if (pos <= hi && hi < next) at_hi = s_[k];
      for (size_t j = 0; j < prefix_.size(); ++j) out[2 + j] += s_[k] * (prefix_[j][next] - prefix_[j][pos]);
      pos = next;
    }
    out[0] = sum / static_cast<double>(n);
    out[1] = at_lo + 0.5 * (at_hi - at_lo);  // quantile(0.5)'s interpolation
  }

 private:
  const std::vector<double>& s_;
  std::vector<std::vector<double>> prefix_;
};

// The same statistics of the sample itself.
std::vector<double> statistics_of(const std::vector<double>& sorted, const std::vector<int>& ms) {
  std::vector<double> s{std::accumulate(sorted.begin(), sorted.end(), 0.0) / static_cast<double>(sorted.size()),
                        quantile(sorted, 0.5)};
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
  const ResampleStatistics stats_a(sa, d.m), stats_b(sb, d.m);
  std::vector<std::vector<double>> diffs(on_a.size(), std::vector<double>(static_cast<size_t>(resamples)));
  SplitMix64 rng(seed);
  std::vector<std::uint32_t> counts;
  std::vector<double> x, y;
  for (size_t r = 0; r < static_cast<size_t>(resamples); ++r) {
    draw_counts(sa.size(), sa.size(), rng, counts);
    stats_a.of(counts, x);
    draw_counts(sb.size(), sb.size(), rng, counts);
    stats_b.of(counts, y);
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
