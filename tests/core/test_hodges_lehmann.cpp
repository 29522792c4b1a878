// The Hodges-Lehmann shift and its distribution-free interval: order statistics of the pairwise
// differences (stored and selected agree), the exact Mann-Whitney distribution, and the interval's
// coverage at the level the exact distribution gives it.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/hodges_lehmann.hpp"

using namespace regnet;

namespace {

std::vector<double> draws(SplitMix64& rng, int n, double shift, double grid) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) {
    const double x = 30 + 4 * (rng.uniform() - 0.5) + shift;
    v.push_back(grid > 0 ? std::round(x / grid) * grid : x);
  }
  return v;
}

}  // namespace

TEST_CASE("hodges-lehmann: the median of the pairwise differences", "[hodges_lehmann]") {
  // a - b: 1, -1, 4, 2 -> sorted -1, 1, 2, 4: median 1.5; the interval with r = 1 spans them all.
  const PairwiseDifferences d({1, 4}, {0, 2});
  CHECK(d.count() == 4);
  CHECK(hodges_lehmann(d) == 1.5);
  CHECK(d.order_statistic(1) == -1);
  CHECK(d.order_statistic(4) == 4);
  CHECK(std::isinf(d.order_statistic(0)));
  CHECK(std::isinf(d.order_statistic(5)));
  const ShiftInterval all = shift_interval(d, 1);
  CHECK(all.lower == -1);
  CHECK(all.upper == 4);
  CHECK(shift_interval(d, 2).lower == 1);
  CHECK(shift_interval(d, 2).upper == 2);
  CHECK(std::isinf(shift_interval(d, 0).lower));
  CHECK(std::isinf(shift_interval(d, 3).upper));  // r > N + 1 - r: no interval to speak of
  CHECK(hodges_lehmann(PairwiseDifferences({1, 2, 3}, {0})) == 2);
  CHECK(std::isnan(hodges_lehmann(PairwiseDifferences({}, {1}))));
}

TEST_CASE("hodges-lehmann: selecting a difference without storing them gives the stored one", "[hodges_lehmann]") {
  SplitMix64 rng(3);
  for (double grid : {0.0, 0.05}) {
    for (int rep = 0; rep < 20; ++rep) {
      const int na = 1 + static_cast<int>(rng.below(40)), nb = 1 + static_cast<int>(rng.below(40));
      const auto a = draws(rng, na, -29.5, grid), b = draws(rng, nb, -30, grid);  // around 0: signs mix
      const PairwiseDifferences stored(a, b), selected(a, b, 0);
      for (std::int64_t k = 1; k <= stored.count(); ++k) {
        INFO("na " << na << " nb " << nb << " k " << k << " grid " << grid);
        REQUIRE(selected.order_statistic(k) == stored.order_statistic(k));
      }
    }
  }
}

TEST_CASE("hodges-lehmann: the exact Mann-Whitney distribution", "[hodges_lehmann]") {
  CHECK(mann_whitney_cdf(1, 1, 0) == Approx(0.5));
  // 2 and 2: U over the 6 arrangements is 0, 1, 2, 2, 3, 4.
  CHECK(mann_whitney_cdf(2, 2, 0) == Approx(1.0 / 6));
  CHECK(mann_whitney_cdf(2, 2, 1) == Approx(2.0 / 6));
  CHECK(mann_whitney_cdf(2, 2, 2) == Approx(4.0 / 6));
  CHECK(mann_whitney_cdf(2, 2, 4) == Approx(1.0));
  // 5 and 5: U = 0, 1, 2 in 1, 1, 2 of the 252 arrangements; U = 3 in 3 more.
  CHECK(mann_whitney_cdf(5, 5, 2) == Approx(4.0 / 252).epsilon(1e-12));
  CHECK(mann_whitney_cdf(5, 5, 3) == Approx(7.0 / 252).epsilon(1e-12));
  // The textbook critical value: two-sided 5% at 5 and 5 rejects U <= 2, so r = 3.
  CHECK(mann_whitney_rank(5, 5, 0.025) == 3);
  // scipy.stats.mannwhitneyu(method="exact"): 3 and 7, P(U <= 1) = 2/120.
  CHECK(mann_whitney_cdf(3, 7, 1) == Approx(2.0 / 120).epsilon(1e-12));
  CHECK(mann_whitney_cdf(7, 3, 1) == Approx(2.0 / 120).epsilon(1e-12));
  CHECK_THROWS_AS(mann_whitney_cdf(200, 200, 1), UserError);
}

TEST_CASE("hodges-lehmann: the fixed-n interval covers the true shift as the exact distribution says",
          "[hodges_lehmann]") {
  // 16 and 16, each end at 2.5%: coverage >= 95%, and the closed interval keeps it with ties on a grid.
  const std::int64_t r = mann_whitney_rank(16, 16, 0.025);
  const double one_side = mann_whitney_cdf(16, 16, r - 1);
  SplitMix64 rng(7);
  for (double grid : {0.0, 0.25}) {
    int miss_low = 0, miss_high = 0;
    const int reps = 4000;
    for (int i = 0; i < reps; ++i) {
      const auto a = draws(rng, 16, 1.0, grid), b = draws(rng, 16, 0, grid);
      const ShiftInterval ci = shift_interval(PairwiseDifferences(a, b), r);
      miss_low += ci.upper < 1.0;
      miss_high += ci.lower > 1.0;
    }
    INFO("grid " << grid << ": misses " << miss_low << " below, " << miss_high << " above, exact " << one_side);
    const double se = std::sqrt(one_side * (1 - one_side) / reps);
    CHECK(miss_low / double(reps) <= one_side + 3 * se);
    CHECK(miss_high / double(reps) <= one_side + 3 * se);
    if (grid == 0) CHECK(miss_low / double(reps) >= one_side - 4 * se);  // and not far below: exact
  }
}
