#pragma once
// The location shift between two samples, distribution-free (docs/statistics.md, "Three
// outcomes"): the Hodges-Lehmann estimate (the median of the pairwise differences a_i - b_j) and
// the confidence interval between two order statistics of those differences, whose coverage
// follows from the Mann-Whitney count (Hodges & Lehmann 1963; Lehmann, Nonparametrics, 1975,
// ch. 2). Under a shift model, F_a(x) = F_b(x - shift), U(s) = #{(i, j): a_i - b_j > s} has at
// s = shift the distribution of the Mann-Whitney statistic under H0, whatever F_b is.
#include <cstdint>
#include <vector>

namespace regnet {

// The pairwise differences a_i - b_j of two samples, in order: N = n_a n_b of them, selected
// without being stored when N is large (more than `store_limit`).
class PairwiseDifferences {
 public:
  PairwiseDifferences(std::vector<double> a, std::vector<double> b, std::int64_t store_limit = std::int64_t{1} << 12);
  std::int64_t count() const { return n_; }
  // The k-th smallest difference, 1 <= k <= count(); -inf for k < 1 and +inf for k > count().
  double order_statistic(std::int64_t k) const;

 private:
  double select(std::int64_t k) const;  // by bisection on the values, O((n_a + n_b) 64)
  std::int64_t count_at_most(double v) const;

  std::vector<double> a_, b_, sorted_;  // a_, b_ ascending; sorted_: all differences, when stored
  std::int64_t n_ = 0;
};

// A closed interval [lower, upper] of shifts; infinite ends when the data cannot bound it.
struct ShiftInterval {
  double lower = 0, upper = 0;
  bool contains(double s) const { return lower <= s && s <= upper; }
};

// The Hodges-Lehmann estimate: the median of the differences (mean of the two middle ones for
// even N). NaN for an empty sample.
double hodges_lehmann(const PairwiseDifferences& d);

// [d_(r), d_(N+1-r)]: the shifts s with r <= U(s) and U(s) <= N - r for continuous data; it
// misses the true shift on each side with the probability P_H0(U <= r - 1). r = 0: the whole line.
ShiftInterval shift_interval(const PairwiseDifferences& d, std::int64_t r);

// P_H0(U <= u) for samples of n_a and n_b continuous values, exactly (the counts of rank
// arrangements, Mann & Whitney 1947): the fixed-n reference the simulated boundaries are tested
// against. n_a n_b <= 10^4.
double mann_whitney_cdf(int n_a, int n_b, std::int64_t u);

// The largest r such that P_H0(U <= r - 1) <= alpha: the fixed-n interval [d_(r), d_(N+1-r)]
// misses on each side with probability at most alpha (0 when no r qualifies).
std::int64_t mann_whitney_rank(int n_a, int n_b, double alpha);

}  // namespace regnet
