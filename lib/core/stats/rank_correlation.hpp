#pragma once
// Rank correlations between two paired samples (e.g. a structural parameter and the error),
// with the two-sided p-values of scipy 1.10's spearmanr and kendalltau (docs/statistics.md,
// "Rank correlations").
#include <string>
#include <vector>

namespace regnet {

struct RankCorrelation {
  double statistic = 0;  // rho or tau-b, in [-1, 1]
  double p_value = 1;    // two-sided, H0: no association
  std::string method;    // "t" (Spearman), "exact" or "asymptotic" (Kendall)
};

// Average ranks (1-based), ties sharing the mean of their ranks (scipy.stats.rankdata "average").
std::vector<double> average_ranks(const std::vector<double>& values);

// Spearman's rho: Pearson's r of the average ranks; p from t = rho sqrt((n-2)/(1-rho^2)) with
// n - 2 degrees of freedom. Needs n >= 3 pairs, no NaN, neither sample constant (UserError).
RankCorrelation spearman(const std::vector<double>& x, const std::vector<double>& y);

// Kendall's tau-b (ties in x or y counted as neither concordant nor discordant). p exact
// (Kendall's recursion) when there are no ties and n <= 33 or at most one pair is out of
// order, otherwise normal with the tie-corrected variance, as scipy's method "auto".
// O(n^2) pairs. Same input rules as spearman.
RankCorrelation kendall(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace regnet
