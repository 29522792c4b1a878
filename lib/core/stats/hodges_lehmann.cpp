#include "core/stats/hodges_lehmann.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/base/error.hpp"

namespace regnet {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// The bits of a finite double as an integer of the same order: bisection over doubles in at
// most 64 steps, whatever the range.
std::int64_t ordered(double v) {
  std::int64_t i;
  std::memcpy(&i, &v, sizeof i);
  return i < 0 ? std::numeric_limits<std::int64_t>::min() - i : i;
}

double from_ordered(std::int64_t i) {
  if (i < 0) i = std::numeric_limits<std::int64_t>::min() - i;
  double v;
  std::memcpy(&v, &i, sizeof v);
  return v;
}

}  // namespace

PairwiseDifferences::PairwiseDifferences(std::vector<double> a, std::vector<double> b, std::int64_t store_limit)
    : a_(std::move(a)), b_(std::move(b)) {
  std::sort(a_.begin(), a_.end());
  std::sort(b_.begin(), b_.end());
  n_ = static_cast<std::int64_t>(a_.size()) * static_cast<std::int64_t>(b_.size());
  if (n_ > store_limit) return;
  sorted_.reserve(static_cast<size_t>(n_));
  for (double x : a_)
    for (double y : b_) sorted_.push_back(x - y);
  std::sort(sorted_.begin(), sorted_.end());
}

// #{(i, j): a_i - b_j <= v}: for each a_i the b_j >= a_i - v, a suffix of b that moves right
// as a_i grows (a rounded difference is monotone in each operand).
std::int64_t PairwiseDifferences::count_at_most(double v) const {
  std::int64_t count = 0;
  size_t j = 0;
  for (double x : a_) {
    while (j < b_.size() && x - b_[j] > v) ++j;
    count += static_cast<std::int64_t>(b_.size() - j);
  }
  return count;
}

// The smallest double v with count_at_most(v) >= k is the k-th difference itself.
double PairwiseDifferences::select(std::int64_t k) const {
  std::int64_t lo = ordered(a_.front() - b_.back()), hi = ordered(a_.back() - b_.front());
  if (count_at_most(from_ordered(lo)) >= k) return from_ordered(lo);
  auto gap = [&] { return static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo); };  // no overflow
  while (gap() > 1) {  // count(lo) < k <= count(hi)
    const auto mid = static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + gap() / 2);
    (count_at_most(from_ordered(mid)) >= k ? hi : lo) = mid;
  }
  return from_ordered(hi);
}

double PairwiseDifferences::order_statistic(std::int64_t k) const {
  if (k < 1) return -kInf;
  if (k > n_) return kInf;
  return sorted_.empty() ? select(k) : sorted_[static_cast<size_t>(k - 1)];
}

double hodges_lehmann(const PairwiseDifferences& d) {
  const std::int64_t n = d.count();
  if (n == 0) return std::numeric_limits<double>::quiet_NaN();
  if (n % 2 == 1) return d.order_statistic((n + 1) / 2);
  return (d.order_statistic(n / 2) + d.order_statistic(n / 2 + 1)) / 2;
}

ShiftInterval shift_interval(const PairwiseDifferences& d, std::int64_t r) {
  if (r < 1 || r > d.count() + 1 - r) return {-kInf, kInf};
  return {d.order_statistic(r), d.order_statistic(d.count() + 1 - r)};
}

// P_H0(U = v), v = 0..n_a n_b: p(i, j, v) = i/(i+j) p(i-1, j, v-j) + j/(i+j) p(i, j-1, v) (the
// largest value is a's, above all j of b, or b's), built up over i, in probabilities.
std::vector<double> mann_whitney_pmf(int n_a, int n_b) {
  if (n_a < 0 || n_b < 0 || static_cast<double>(n_a) * n_b > 1e4)
    fail("", "mann-whitney", fmt::format("sizes {} and {}: the exact distribution is for n_a n_b <= 10^4", n_a, n_b));
  const size_t n = static_cast<size_t>(n_a) * static_cast<size_t>(n_b), nb = static_cast<size_t>(n_b);
  std::vector<std::vector<double>> p(nb + 1, std::vector<double>(n + 1, 0));
  for (auto& row : p) row[0] = 1;  // i = 0: U = 0
  for (size_t i = 1; i <= static_cast<size_t>(n_a); ++i) {
    std::vector<std::vector<double>> next(nb + 1, std::vector<double>(n + 1, 0));
    next[0][0] = 1;  // j = 0: U = 0
    for (size_t j = 1; j <= nb; ++j)
      for (size_t v = 0; v <= i * j; ++v)
        next[j][v] = (double(i) * (v >= j ? p[j][v - j] : 0) + double(j) * next[j - 1][v]) / double(i + j);
    p.swap(next);
  }
  return p[nb];
}

double mann_whitney_cdf(int n_a, int n_b, std::int64_t u) {
  const std::vector<double> pmf = mann_whitney_pmf(n_a, n_b);
  double cdf = 0;
  for (std::int64_t v = 0; v <= u && v < static_cast<std::int64_t>(pmf.size()); ++v) cdf += pmf[static_cast<size_t>(v)];
  return std::min(1.0, cdf);
}

std::int64_t mann_whitney_rank(int n_a, int n_b, double alpha) {
  const std::vector<double> pmf = mann_whitney_pmf(n_a, n_b);
  double cdf = 0;
  std::int64_t r = 0;
  for (double p : pmf) {  // r qualifies while P(U <= r - 1) <= alpha
    if (cdf + p > alpha * (1 + 1e-12)) break;
    cdf += p;
    ++r;
  }
  return r;
}

}  // namespace regnet
