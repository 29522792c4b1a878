#pragma once
// Statistics for comparing design spaces (docs/reference.md §6): error EDFs, normalized EDFs,
// empirical bootstrap, random-search efficiency, summaries. The two-sample Kolmogorov-Smirnov
// tests are in ks.hpp.
// Conventions and the scipy behaviour matched: docs/statistics.md.
#include <cstdint>
#include <string>
#include <vector>

#include "core/base/rng.hpp"

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

// NDS bins of one sample over a given closed range [lo, hi] (nds_normalization.hpp bins several
// samples over one shared range). Edges as numpy.linspace(lo, hi, bins + 1); a value belongs to
// the last edge it reaches and hi to the last bin, as numpy.histogram(values, bins, (lo, hi))
// counts (numpy.digitize(values, edges) - 1, with the right edge moved into the last bin).
struct ComplexityRange {
  double lo = 0, hi = 0;
  bool contains(double v) const { return v >= lo && v <= hi; }
};
// [min, max] of `values` (not empty).
ComplexityRange range_of(const std::vector<double>& values);
// Edge j (0..bins) of `bins` linear bins over `range`: lo + j (hi - lo) / bins, the last exactly hi.
double bin_edge(ComplexityRange range, int bins, int j);
// The bin (0..bins-1) of each value; -1 for a value outside the range.
std::vector<int> complexity_bins(const std::vector<double>& complexity, int bins, ComplexityRange range);
// Models per bin (values outside the range not counted).
std::vector<int> bin_counts(const std::vector<int>& index, int bins);
// Index of the first bin with no model, or -1.
int first_empty_bin(const std::vector<int>& index, int bins);
// NDS weights: each of the m_j models of bin j weighs 1/(bins m_j), a model outside the range 0.
// Throws UserError naming the first empty bin and the largest smaller K with none.
std::vector<double> normalized_weights(const std::vector<double>& complexity, int bins, ComplexityRange range);
// The same from bin indices (no bin may be empty).
std::vector<double> bin_weights(const std::vector<int>& index, int bins);
// The largest K <= max_bins for which no bin over `range` is empty (0 when even one bin is: no
// value in the range).
int max_nonempty_bins(const std::vector<double>& complexity, int max_bins, ComplexityRange range);
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
// The same in two steps, so that every parameter of a sweep reads the same resamples: the index of
// the lowest-error model (ties to the lower index) of each resample, drawn in O(1) per resample
// from the distribution of the smallest error rank among fraction*n draws (docs/statistics.md);
// then the band of x over those models.
std::vector<size_t> bootstrap_best_indices(const std::vector<double>& errors, int resamples = 10000,
                                           double fraction = 0.25, std::uint64_t seed = 0);
BootstrapResult best_value_band(const std::vector<double>& x, const std::vector<size_t>& best);
// Bootstrap band of the median of `values` (n drawn with replacement per resample).
BootstrapResult bootstrap_median(const std::vector<double>& values, int resamples = 10000, std::uint64_t seed = 0);

// Half-width of the Dvoretzky-Kiefer-Wolfowitz band: with probability >= 1 - alpha the true CDF
// lies within +-epsilon of an EDF of n values everywhere, epsilon = sqrt(ln(2/alpha) / (2n))
// (Massart's constant).
double dkw_epsilon(double n, double alpha = 0.05);

// Expected minimum error among m models drawn at random without replacement from `errors`,
// for each m in ms (exact, from order statistics).
std::vector<double> expected_best_of(const std::vector<double>& errors, const std::vector<int>& ms);
// The same for `sorted` errors in increasing order, one m (1 <= m <= n).
double expected_best_of_sorted(const std::vector<double>& sorted, int m);

// --- Seeds and resampling for the bootstraps and the power estimate ---
// FNV-1a (64 bit) of `text`: a stable number for a name or a file's content.
std::uint64_t hash_text(const std::string& text);
// The seed of sub-stream `salt` of `seed`: well mixed, so that nearby (seed, salt) pairs give
// unrelated SplitMix64 streams.
std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t salt);
// `values` in increasing order.
std::vector<double> sorted(std::vector<double> values);
// A resample as counts: `draws` indices drawn uniformly with replacement from 0..values-1,
// counts[k] = how often k was drawn. With the values sorted, the resample is sorted for free.
void draw_counts(size_t values, size_t draws, SplitMix64& rng, std::vector<std::uint32_t>& counts);

struct Summary {
  int n = 0;
  double min = 0, mean = 0, median = 0, max = 0;
};
Summary summarize(const std::vector<double>& values);

// The p-th quantile (0 <= p <= 1) with linear interpolation between order statistics
// (numpy's default); `values` need not be sorted.
double quantile(std::vector<double> values, double p);

}  // namespace regnet
