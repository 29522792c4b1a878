#include "core/stats/difference.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/edf.hpp"

namespace regnet {

namespace {

// The statistics compared (mean, median, expected best of each m) of resamples of one sorted
// sample of n, from the counts of each value drawn: no resample is built or sorted.
class ResampleStatistics {
 public:
  ResampleStatistics(const std::vector<double>& sorted, const std::vector<int>& ms) : s_(sorted) {
    const size_t n = sorted.size();
    // P(the minimum of m of the n resampled values is the i-th smallest) depends on n and m only:
    // prefix sums of p_1 = m/n, p_{i+1} = p_i (n-i-m+1)/(n-i), one table per m. The weights
    // fall off as (1 - i/n)^(m-1): past limit_ the rest of them sums to below 1e-16, nothing
    // a double of the sum would hold.
    for (int m : ms) {
      std::vector<double> w(n + 1, 0.0);
      double p = static_cast<double>(m) / static_cast<double>(n);
      for (size_t i = 1; i <= n; ++i) {
        w[i] = w[i - 1] + (i <= n - static_cast<size_t>(m) + 1 ? p : 0.0);
        if (i < n) p *= static_cast<double>(n - i - static_cast<size_t>(m) + 1) / static_cast<double>(n - i);
      }
      size_t limit = n;
      while (limit > 0 && w[n] - w[limit - 1] < 1e-16) --limit;
      limit_.push_back(limit);
      prefix_.push_back(std::move(w));
    }
  }

  // counts[k]: how often value k was drawn (the counts sum to n). Fills out: mean, median, best of each m.
  void of(const std::vector<std::uint32_t>& counts, std::vector<double>& out) const {
    const size_t n = s_.size(), lo = (n - 1) / 2, hi = n / 2;
    out.assign(2 + prefix_.size(), 0.0);
    double sum = 0, at_lo = 0, at_hi = 0;
    size_t pos = 0, active = prefix_.size();  // the m (ascending, limits descending) still weighing
    for (size_t k = 0; k < n; ++k) {
      if (counts[k] == 0) continue;
      const size_t next = pos + counts[k];
      sum += counts[k] * s_[k];
      if (pos <= lo && lo < next) at_lo = s_[k];
      if (pos <= hi && hi < next) at_hi = s_[k];
      while (active > 0 && pos >= limit_[active - 1]) --active;
      for (size_t j = 0; j < active; ++j) out[2 + j] += s_[k] * (prefix_[j][next] - prefix_[j][pos]);
      pos = next;
    }
    out[0] = sum / static_cast<double>(n);
    out[1] = at_lo + 0.5 * (at_hi - at_lo);  // quantile(0.5)'s interpolation
  }

 private:
  const std::vector<double>& s_;
  std::vector<std::vector<double>> prefix_;
  std::vector<size_t> limit_;
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

struct DifferenceBootstrap::State {
  std::vector<double> sa, sb;
  SampleDifferences d;
  std::vector<double> on_a, on_b;
  ResampleStatistics stats_a, stats_b;
  std::vector<std::vector<double>> diffs;  // [statistic][resample]
  std::uint64_t seed;

  State(std::vector<double> a, std::vector<double> b, const std::vector<int>& m, int resamples, std::uint64_t s)
      : sa(std::move(a)),
        sb(std::move(b)),
        on_a(statistics_of(sa, m)),
        on_b(statistics_of(sb, m)),
        stats_a(sa, m),
        stats_b(sb, m),
        diffs(on_a.size(), std::vector<double>(static_cast<size_t>(resamples))),
        seed(s) {
    d.m = m;
    d.resamples = resamples;
  }
};

namespace {

std::vector<int> powers_of_two_upto(size_t n) {
  std::vector<int> m;
  for (size_t k = 1; k <= n; k *= 2) m.push_back(static_cast<int>(k));
  return m;
}

}  // namespace

DifferenceBootstrap::DifferenceBootstrap(const std::vector<double>& a, const std::vector<double>& b, int resamples,
                                         std::uint64_t seed) {
  if (a.empty() || b.empty()) fail("", "errors", "an empty sample (a difference needs models on both sides)");
  if (resamples < 0) fail("", "resamples", std::to_string(resamples) + " must be >= 0");
  state_ =
      std::make_unique<State>(sorted(a), sorted(b), powers_of_two_upto(std::min(a.size(), b.size())), resamples, seed);
}

DifferenceBootstrap::~DifferenceBootstrap() = default;
DifferenceBootstrap::DifferenceBootstrap(DifferenceBootstrap&&) noexcept = default;
DifferenceBootstrap& DifferenceBootstrap::operator=(DifferenceBootstrap&&) noexcept = default;

size_t DifferenceBootstrap::chunks() const {
  return (static_cast<size_t>(state_->d.resamples) + kDifferenceChunk - 1) / kDifferenceChunk;
}

void DifferenceBootstrap::run(size_t chunk) {
  State& st = *state_;
  SplitMix64 rng(chunk == 0 ? st.seed : derive_seed(st.seed, chunk));
  std::vector<std::uint32_t> counts;
  std::vector<double> x, y;
  const size_t end = std::min(static_cast<size_t>(st.d.resamples), (chunk + 1) * kDifferenceChunk);
  for (size_t r = chunk * kDifferenceChunk; r < end; ++r) {
    draw_counts(st.sa.size(), st.sa.size(), rng, counts);
    st.stats_a.of(counts, x);
    draw_counts(st.sb.size(), st.sb.size(), rng, counts);
    st.stats_b.of(counts, y);
    for (size_t k = 0; k < x.size(); ++k) st.diffs[k][r] = y[k] - x[k];
  }
}

SampleDifferences DifferenceBootstrap::result() const {
  const State& st = *state_;
  SampleDifferences d = st.d;
  std::vector<std::vector<double>> diffs = st.diffs;
  d.mean = band(st.on_b[0] - st.on_a[0], diffs[0]);
  d.median = band(st.on_b[1] - st.on_a[1], diffs[1]);
  for (size_t k = 2; k < diffs.size(); ++k) d.expected_best.push_back(band(st.on_b[k] - st.on_a[k], diffs[k]));
  return d;
}

SampleDifferences bootstrap_differences(const std::vector<double>& a, const std::vector<double>& b, int resamples,
                                        std::uint64_t seed) {
  DifferenceBootstrap boot(a, b, resamples, seed);
  for (size_t c = 0; c < boot.chunks(); ++c) boot.run(c);
  return boot.result();
}

SampleDifferences reversed(const SampleDifferences& d) {
  SampleDifferences r = d;
  r.mean = negated(d.mean);
  r.median = negated(d.median);
  for (auto& e : r.expected_best) e = negated(e);
  return r;
}

}  // namespace regnet
