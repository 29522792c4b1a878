// EDFs, NDS normalized weights, bootstrap, random-search efficiency (docs/reference.md §6).
// The Kolmogorov-Smirnov tests are ks.hpp.
#include "core/stats/edf.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/base/text.hpp"

namespace regnet {

namespace {

void require_nonempty(const std::vector<double>& v, const std::string& field) {
  if (v.empty()) fail("", field, "no values (an EDF needs at least one finished model)");
}

void require_same_size(const std::vector<double>& a, const std::vector<double>& b, const std::string& field) {
  if (a.size() != b.size())
    fail("", field, std::to_string(b.size()) + " values for " + std::to_string(a.size()) + " errors");
}

}  // namespace

std::vector<double> sorted(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v;
}

std::vector<double> edf(const std::vector<double>& errors, const std::vector<double>& at) {
  require_nonempty(errors, "errors");
  const std::vector<double> s = sorted(errors);
  const double n = static_cast<double>(s.size());
  std::vector<double> f;
  f.reserve(at.size());
  for (double e : at) f.push_back(static_cast<double>(std::lower_bound(s.begin(), s.end(), e) - s.begin()) / n);
  return f;
}

EdfCurve edf_curve(const std::vector<double>& errors, const std::vector<double>& weights) {
  require_nonempty(errors, "errors");
  const bool weighted = !weights.empty();
  if (weighted) require_same_size(errors, weights, "weights");
  std::vector<size_t> order(errors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return errors[i] < errors[j]; });
  EdfCurve c;
  double acc = 0;
  for (size_t k = 0; k < order.size(); ++k) {
    const size_t i = order[k];
    acc += weighted ? weights[i] : 1.0;
    const bool last_of_value = k + 1 == order.size() || errors[order[k + 1]] != errors[i];
    if (!last_of_value) continue;
    c.x.push_back(errors[i]);
    // Unweighted: count/n exactly (not a running sum of 1/n).
    c.y.push_back(weighted ? acc : static_cast<double>(k + 1) / static_cast<double>(order.size()));
  }
  return c;
}

ComplexityRange range_of(const std::vector<double>& values) {
  require_nonempty(values, "complexity");
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  return {*lo, *hi};
}

double bin_edge(ComplexityRange range, int bins, int j) {
  // numpy.linspace: j * step + start, the endpoint set exactly.
  return j == bins ? range.hi : j * ((range.hi - range.lo) / bins) + range.lo;
}

std::vector<int> complexity_bins(const std::vector<double>& complexity, int bins, ComplexityRange range) {
  if (bins < 1) fail("", "bins", std::to_string(bins) + " must be >= 1");
  if (!(range.lo <= range.hi))
    fail("", "range", significant(range.lo, 6) + ":" + significant(range.hi, 6) + " is empty");
  std::vector<double> edges;
  for (int j = 0; j <= bins; ++j) edges.push_back(bin_edge(range, bins, j));
  std::vector<int> index;
  index.reserve(complexity.size());
  for (double c : complexity) {
    if (!range.contains(c)) {
      index.push_back(-1);
      continue;
    }
    // The last inner edge <= c (upper_bound over edges 1..bins-1): hi lands in the last bin.
    index.push_back(static_cast<int>(std::upper_bound(edges.begin() + 1, edges.end() - 1, c) - (edges.begin() + 1)));
  }
  return index;
}

std::vector<int> bin_counts(const std::vector<int>& index, int bins) {
  std::vector<int> count(static_cast<size_t>(bins), 0);
  for (int j : index)
    if (j >= 0) ++count[static_cast<size_t>(j)];
  return count;
}

int first_empty_bin(const std::vector<int>& index, int bins) {
  const auto count = bin_counts(index, bins);
  const auto empty = std::find(count.begin(), count.end(), 0);
  return empty == count.end() ? -1 : static_cast<int>(empty - count.begin());
}

int max_nonempty_bins(const std::vector<double>& complexity, int max_bins, ComplexityRange range) {
  for (int k = max_bins; k >= 1; --k)
    if (first_empty_bin(complexity_bins(complexity, k, range), k) < 0) return k;
  return 0;
}

std::vector<double> bin_weights(const std::vector<int>& index, int bins) {
  const auto count = bin_counts(index, bins);
  std::vector<double> w;
  w.reserve(index.size());
  for (int j : index) w.push_back(j < 0 ? 0.0 : 1.0 / (static_cast<double>(bins) * count[static_cast<size_t>(j)]));
  return w;
}

std::vector<double> normalized_weights(const std::vector<double>& complexity, int bins, ComplexityRange range) {
  const std::vector<int> index = complexity_bins(complexity, bins, range);
  const int empty = first_empty_bin(index, bins);
  if (empty >= 0) {
    const long inside = std::count_if(index.begin(), index.end(), [](int j) { return j >= 0; });
    fail("", "bins",
         std::to_string(bins) + " complexity bins leave bin " + std::to_string(empty + 1) + " [" +
             significant(bin_edge(range, bins, empty), 6) + ", " + significant(bin_edge(range, bins, empty + 1), 6) +
             (empty + 1 == bins ? "]" : ")") + " empty (" + std::to_string(inside) +
             " models in the range); use a smaller --bins, e.g. " +
             std::to_string(std::max(1, max_nonempty_bins(complexity, bins - 1, range))));
  }
  return bin_weights(index, bins);
}

std::vector<double> weighted_edf(const std::vector<double>& errors, const std::vector<double>& weights,
                                 const std::vector<double>& at) {
  require_nonempty(errors, "errors");
  require_same_size(errors, weights, "weights");
  std::vector<size_t> order(errors.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return errors[i] < errors[j]; });
  std::vector<double> xs, cum;  // cum[k] = weight of the k smallest errors
  double acc = 0;
  for (size_t i : order) {
    xs.push_back(errors[i]);
    acc += weights[i];
    cum.push_back(acc);
  }
  std::vector<double> f;
  f.reserve(at.size());
  for (double e : at) {
    const size_t k = static_cast<size_t>(std::lower_bound(xs.begin(), xs.end(), e) - xs.begin());
    f.push_back(k == 0 ? 0.0 : cum[k - 1]);
  }
  return f;
}

double quantile(std::vector<double> values, double p) {
  if (values.empty()) fail("", "values", "quantile of no values");
  std::sort(values.begin(), values.end());
  const double pos = std::clamp(p, 0.0, 1.0) * static_cast<double>(values.size() - 1);
  const size_t i = static_cast<size_t>(std::floor(pos));
  if (i + 1 >= values.size()) return values.back();
  const double frac = pos - static_cast<double>(i);
  return values[i] + frac * (values[i + 1] - values[i]);
}

namespace {

BootstrapResult band(std::vector<double> stats, int resamples) {
  std::sort(stats.begin(), stats.end());
  BootstrapResult r;
  r.resamples = resamples;
  r.median = quantile(stats, 0.5);
  r.lo = quantile(stats, 0.025);
  r.hi = quantile(stats, 0.975);
  return r;
}

}  // namespace

std::vector<size_t> bootstrap_best_indices(const std::vector<double>& errors, int resamples, double fraction,
                                           std::uint64_t seed) {
  require_nonempty(errors, "errors");
  if (resamples < 1) fail("", "resamples", std::to_string(resamples) + " must be >= 1");
  if (!(fraction > 0 && fraction <= 1)) fail("", "fraction", significant(fraction, 6) + " must be in (0, 1]");
  const size_t n = errors.size();
  const size_t m = std::max<size_t>(1, static_cast<size_t>(std::floor(fraction * static_cast<double>(n) + 0.5)));
  // The models ranked by error, ties to the lower index (so no result depends on draw order).
  std::vector<size_t> by_rank(n);
  std::iota(by_rank.begin(), by_rank.end(), size_t{0});
  std::stable_sort(by_rank.begin(), by_rank.end(), [&](size_t a, size_t b) { return errors[a] < errors[b]; });
  // The best of m draws is the smallest rank drawn: floor(n V) with V the minimum of m uniforms,
  // V = 1 - U^(1/m), so P(rank >= r) = (1 - r/n)^m exactly as for the m draws themselves.
  SplitMix64 rng(seed);
  std::vector<size_t> best(static_cast<size_t>(resamples));
  const double nd = static_cast<double>(n), md = static_cast<double>(m);
  for (size_t& b : best) {
    const double u = 1.0 - rng.uniform();  // (0, 1]
    const double v = 1.0 - det_exp(det_log(u) / md);
    b = by_rank[std::min(n - 1, static_cast<size_t>(std::max(0.0, std::floor(nd * v))))];
  }
  return best;
}

BootstrapResult best_value_band(const std::vector<double>& x, const std::vector<size_t>& best) {
  if (best.empty()) fail("", "resamples", "a bootstrap band of no resamples");
  std::vector<double> values;
  values.reserve(best.size());
  for (size_t i : best) values.push_back(x.at(i));
  return band(std::move(values), static_cast<int>(best.size()));
}

BootstrapResult bootstrap_best(const std::vector<double>& x, const std::vector<double>& errors, int resamples,
                               double fraction, std::uint64_t seed) {
  require_nonempty(errors, "errors");
  require_same_size(errors, x, "x");
  return best_value_band(x, bootstrap_best_indices(errors, resamples, fraction, seed));
}

BootstrapResult bootstrap_median(const std::vector<double>& values, int resamples, std::uint64_t seed) {
  require_nonempty(values, "values");
  if (resamples < 1) fail("", "resamples", std::to_string(resamples) + " must be >= 1");
  const size_t n = values.size();
  SplitMix64 rng(seed);
  std::vector<double> medians(static_cast<size_t>(resamples));
  std::vector<double> draw(n);
  for (double& med : medians) {
    for (double& v : draw) v = values[rng.below(n)];
    med = quantile(draw, 0.5);
  }
  return band(std::move(medians), resamples);
}

double expected_best_of_sorted(const std::vector<double>& s, int m) {
  const long n = static_cast<long>(s.size());
  if (m < 1 || m > n)
    fail("", "m", std::to_string(m) + " must be in 1.." + std::to_string(n) + " (the number of models)");
  // P(min is the i-th smallest, 1-based) = C(n-i, m-1) / C(n, m); p_1 = m/n and
  // p_{i+1} / p_i = (n-i-m+1) / (n-i): a stable product, no large binomials.
  double p = static_cast<double>(m) / static_cast<double>(n);
  double e = 0;
  for (long i = 1; i <= n - m + 1; ++i) {
    e += p * s[static_cast<size_t>(i - 1)];
    if (i < n) p *= static_cast<double>(n - i - m + 1) / static_cast<double>(n - i);
  }
  return e;
}

std::vector<double> expected_best_of(const std::vector<double>& errors, const std::vector<int>& ms) {
  require_nonempty(errors, "errors");
  const std::vector<double> s = sorted(errors);
  std::vector<double> out;
  out.reserve(ms.size());
  for (int m : ms) out.push_back(expected_best_of_sorted(s, m));
  return out;
}

double dkw_epsilon(double n, double alpha) {
  if (!(n > 0) || !(alpha > 0 && alpha < 1)) fail("", "dkw", "needs n > 0 and 0 < alpha < 1");
  return std::sqrt(std::log(2 / alpha) / (2 * n));
}

std::uint64_t hash_text(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

std::uint64_t derive_seed(std::uint64_t seed, std::uint64_t salt) {
  SplitMix64 a(seed ^ (salt * 0xD1B54A32D192ED03ull)), b(a.next() + salt);
  return b.next();
}

void draw_counts(size_t values, size_t draws, SplitMix64& rng, std::vector<std::uint32_t>& counts) {
  counts.assign(values, 0);
  for (size_t k = 0; k < draws; ++k) ++counts[rng.below(values)];
}

Summary summarize(const std::vector<double>& values) {
  Summary s;
  if (values.empty()) return s;
  s.n = static_cast<int>(values.size());
  const std::vector<double> v = sorted(values);
  s.min = v.front();
  s.max = v.back();
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / s.n;
  s.median = quantile(v, 0.5);
  return s;
}

}  // namespace regnet
