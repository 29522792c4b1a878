#pragma once
// Statistics for comparing design spaces (REGNET.md §6): error EDFs, normalized EDFs,
// empirical bootstrap, random-search efficiency, summaries. The two-sample Kolmogorov-Smirnov
// tests are in ks.hpp.
// Conventions and the scipy behaviour matched: docs/statistics.md.
#include <cstdint>
#include <vector>

namespace regnet {

// F(e) = (1/n) #{i : e_i < e}, evaluated at each e of `at`.
std::vector<double> edf(const std::vector<double>& errors, const std::vector<double>& at);

// The EDF as steps: sorted distinct errors and F just after each (for plotting).
struct EdfCurve {
  std::vector<double> x;  // sorted error values
  std::vector<double> y;  // F(x+) = fraction (or weight) with e_i <= x
};
// Without weights y is a fraction; with weights y is the sum of the weights with e_i <= x
// (normalized weights sum to 1, so the last y is 1).
EdfCurve edf_curve(const std::vector<double>& errors, const std::vector<double>& weights = {});

// NDS normalization: split [min, max] of `complexity` into `bins` linear bins; each of the m_j
// models in bin j gets weight 1/(bins*m_j). Throws UserError naming the empty bin and
// suggesting a smaller K when a bin is empty.
std::vector<double> normalized_weights(const std::vector<double>& complexity, int bins);
// The bin (0..bins-1) of each value: edges min + j*(max-min)/bins, the max in the last bin.
std::vector<int> complexity_bins(const std::vector<double>& complexity, int bins);
// The largest K <= max_bins for which no bin is empty (1 when every K > 1 leaves one empty).
int max_nonempty_bins(const std::vector<double>& complexity, int max_bins);
// F(e) = sum_i w_i 1[e_i < e].
std::vector<double> weighted_edf(const std::vector<double>& errors, const std::vector<double>& weights,
                                 const std::vector<double>& at);

struct BootstrapResult {
  double median = 0;  // "most likely best value" of x
  double lo = 0;      // 2.5th percentile
  double hi = 0;      // 97.5th percentile
  int resamples = 0;
};
// Empirical bootstrap (RegNet footnote 4): resample fraction*n of the (x_i, e_i) pairs with
// replacement, keep the x of the lowest-error pair; repeat `resamples` times. Deterministic in seed.
BootstrapResult bootstrap_best(const std::vector<double>& x, const std::vector<double>& errors, int resamples = 10000,
                               double fraction = 0.25, std::uint64_t seed = 0);
// Bootstrap band of the median of `values` (n drawn with replacement per resample).
BootstrapResult bootstrap_median(const std::vector<double>& values, int resamples = 10000, std::uint64_t seed = 0);

// Expected minimum error among m models drawn at random without replacement from `errors`,
// for each m in ms (exact, from order statistics).
std::vector<double> expected_best_of(const std::vector<double>& errors, const std::vector<int>& ms);

struct Summary {
  int n = 0;
  double min = 0, mean = 0, median = 0, max = 0;
};
Summary summarize(const std::vector<double>& values);

// The p-th quantile (0 <= p <= 1) with linear interpolation between order statistics
// (numpy's default); `values` need not be sorted.
double quantile(std::vector<double> values, double p);

}  // namespace regnet
