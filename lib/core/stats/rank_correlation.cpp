// Spearman and Kendall as scipy 1.10 computes them (scipy.stats.spearmanr, kendalltau with
// variant "b", method "auto"); the exact Kendall distribution follows Kendall, "Rank
// Correlation Methods" (1970), the tie-corrected variance Kendall's as scipy writes it.
#include "core/stats/rank_correlation.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/stats/distributions.hpp"

namespace regnet {

namespace {

void require_pairs(const std::vector<double>& x, const std::vector<double>& y) {
  if (x.size() != y.size())
    fail("", "y", std::to_string(y.size()) + " values for " + std::to_string(x.size()) + " in x (pairs needed)");
  if (x.size() < 3) fail("", "x", std::to_string(x.size()) + " pairs: a rank correlation needs at least 3");
  for (const auto* v : {&x, &y}) {
    const char* field = v == &x ? "x" : "y";
    if (std::any_of(v->begin(), v->end(), [](double e) { return std::isnan(e); })) fail("", field, "NaN in sample");
    if (std::all_of(v->begin(), v->end(), [&](double e) { return e == v->front(); }))
      fail("", field, "constant sample: the correlation is undefined");
  }
}

double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n, my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return std::clamp(sxy / std::sqrt(sxx * syy), -1.0, 1.0);
}

int sign(double v) { return (v > 0) - (v < 0); }

// Pairs tied in one variable, and the two sums over tie groups of size c the variance needs.
struct Ties {
  double pairs = 0, c3 = 0, c5 = 0;  // sum c(c-1)/2, sum c(c-1)(c-2), sum c(c-1)(2c+5)
};

Ties ties_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  Ties t;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j < v.size() && v[j] == v[i]) ++j;
    const double c = static_cast<double>(j - i);
    t.pairs += c * (c - 1) / 2;
    t.c3 += c * (c - 1) * (c - 2);
    t.c5 += c * (c - 1) * (2 * c + 5);
    i = j;
  }
  return t;
}

// Two-sided P(|S| >= |s|) for c concordant pairs among n untied values (scipy's
// _kendall_p_exact): the counts of permutations by inversions, built by cumulative sums.
double kendall_exact_p(long n, long c) {
  const long total = n * (n - 1) / 2;
  c = std::min(c, total - c);
  if (n <= 2) return 1.0;
  if (c == 0) return n < 171 ? 2.0 / std::tgamma(static_cast<double>(n) + 1) : 0.0;
  if (c == 1) return n < 172 ? 2.0 / std::tgamma(static_cast<double>(n)) : 0.0;
  if (4 * c == n * (n - 1)) return 1.0;
  // Only n <= 33 reaches here (method "auto"), so counts up to 33! stay finite in doubles.
  std::vector<double> counts(static_cast<size_t>(c + 1), 0.0);
  counts[0] = counts[1] = 1.0;
  for (long j = 3; j <= n; ++j) {
    std::partial_sum(counts.begin(), counts.end(), counts.begin());
    for (long i = c; i >= j; --i) counts[static_cast<size_t>(i)] -= counts[static_cast<size_t>(i - j)];
  }
  const double sum = std::accumulate(counts.begin(), counts.end(), 0.0);
  return std::clamp(2.0 * sum / std::tgamma(static_cast<double>(n) + 1), 0.0, 1.0);
}

}  // namespace

std::vector<double> average_ranks(const std::vector<double>& values) {
  std::vector<size_t> order(values.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t i, size_t j) { return values[i] < values[j]; });
  std::vector<double> ranks(values.size());
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && values[order[j]] == values[order[i]]) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (size_t k = i; k < j; ++k) ranks[order[k]] = mean_rank;
    i = j;
  }
  return ranks;
}

RankCorrelation spearman(const std::vector<double>& x, const std::vector<double>& y) {
  require_pairs(x, y);
  RankCorrelation r;
  r.method = "t";
  r.statistic = pearson(average_ranks(x), average_ranks(y));
  const double rho = r.statistic, dof = static_cast<double>(x.size()) - 2;
  // As scipy: rho = +-1 gives t = +-inf and p = 0.
  const double t = rho * std::sqrt(std::max(0.0, dof / ((rho + 1.0) * (1.0 - rho))));
  r.p_value = 2 * student_t_sf(std::abs(t), dof);
  return r;
}

RankCorrelation kendall(const std::vector<double>& x, const std::vector<double>& y) {
  require_pairs(x, y);
  const long n = static_cast<long>(x.size());
  double con_minus_dis = 0, discordant = 0;
  for (long i = 0; i < n; ++i)
    for (long j = i + 1; j < n; ++j) {
      const int s = sign(x[i] - x[j]) * sign(y[i] - y[j]);  // signs, not a product that could underflow
      con_minus_dis += s;
      discordant += s < 0;
    }
  const Ties tx = ties_of(x), ty = ties_of(y);
  const double total = static_cast<double>(n) * (n - 1) / 2;
  RankCorrelation r;
  r.statistic = std::clamp(con_minus_dis / std::sqrt(total - tx.pairs) / std::sqrt(total - ty.pairs), -1.0, 1.0);
  const bool untied = tx.pairs == 0 && ty.pairs == 0;
  if (untied && (n <= 33 || std::min(discordant, total - discordant) <= 1)) {
    r.method = "exact";
    r.p_value = kendall_exact_p(n, static_cast<long>(total - discordant));
    return r;
  }
  r.method = "asymptotic";
  const double m = static_cast<double>(n) * (n - 1);
  const double var =
      (m * (2.0 * n + 5) - tx.c5 - ty.c5) / 18 + 2 * tx.pairs * ty.pairs / m + tx.c3 * ty.c3 / (9 * m * (n - 2));
  r.p_value = 2 * normal_sf(std::abs(con_minus_dis / std::sqrt(var)));
  return r;
}

}  // namespace regnet
