// Two-sample Kolmogorov-Smirnov tests and kstwo. Values here are worked out by hand or by brute
// force in the test; tests/cli/stats_vs_scipy.sh compares the same functions with scipy.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/ks.hpp"

using namespace regnet;

TEST_CASE("stats: two-sample KS statistic and exact p-value", "[stats]") {
  // Disjoint samples of 3: D = 1; only 2 of the C(6,3) = 20 orderings reach it.
  const KsResult r = ks_two_sample({1, 2, 3}, {4, 5, 6});
  CHECK(r.d == 1.0);
  CHECK(r.p_value == Approx(0.1).epsilon(1e-12));
  CHECK(r.method == "exact");
  // Unequal sizes: the path method against scipy.stats.ks_2samp's (0.75, 1/7).
  const KsResult u = ks_two_sample({1, 2, 3, 4, 5}, {3.5, 6, 7, 8});
  CHECK(u.d == 0.75);
  CHECK(u.p_value == Approx(1.0 / 7).epsilon(1e-12));
  const KsResult v = ks_two_sample({3.5, 6, 7, 8}, {1, 2, 3, 4, 5});
  CHECK(v.d == u.d);
  CHECK(v.p_value == Approx(u.p_value).epsilon(1e-12));
  const KsResult same = ks_two_sample({1, 2, 2, 3}, {3, 2, 1, 2});
  CHECK(same.d == 0.0);
  CHECK(same.p_value == 1.0);
  CHECK_THROWS_AS(ks_two_sample({}, {1}), UserError);
}

TEST_CASE("stats: exact KS p-values agree with a brute-force count over all orderings", "[stats]") {
  // n1 = 4, n2 = 6: every way of interleaving the two samples is equally likely under H0.
  const int n1 = 4, n2 = 6;
  std::vector<double> a, b;
  SplitMix64 rng(3);
  for (int i = 0; i < n1; ++i) a.push_back(double(rng.below(1000)));
  for (int i = 0; i < n2; ++i) b.push_back(double(rng.below(1000)) + 300);
  const KsResult r = ks_two_sample(a, b);
  int total = 0, extreme = 0;
  for (int mask = 0; mask < (1 << (n1 + n2)); ++mask) {
    if (__builtin_popcount(mask) != n1) continue;
    ++total;
    int c1 = 0, c2 = 0;
    double d = 0;
    for (int k = 0; k < n1 + n2; ++k) {
      (mask >> k & 1) ? ++c1 : ++c2;
      d = std::max(d, std::abs(double(c1) / n1 - double(c2) / n2));
    }
    if (d >= r.d - 1e-12) ++extreme;
  }
  CHECK(total == 210);
  CHECK(r.p_value == Approx(double(extreme) / total).epsilon(1e-12));
}

TEST_CASE("stats: kstwo survival function", "[stats]") {
  CHECK(kstwo_sf(1, 0.7) == Approx(0.6).epsilon(1e-12));  // D_1 = max(U, 1-U)
  CHECK(kstwo_sf(10, 0) == 1.0);
  CHECK(kstwo_sf(10, 1) == 0.0);
  // Kolmogorov's limit: P(sqrt(n) D_n > 1.3581) -> 0.05.
  CHECK(kstwo_sf(10000, 1.3581 / 100) == Approx(0.05).margin(0.002));
  // Decreasing in d.
  double last = 1;
  for (double d = 0.01; d < 0.6; d += 0.01) {
    const double p = kstwo_sf(60, d);
    CHECK(p <= last + 1e-15);
    last = p;
  }
}

TEST_CASE("stats: weighted KS with equal weights is the plain test", "[stats]") {
  const std::vector<double> a = {1, 3, 5, 7, 9, 11}, b = {2, 4, 4.5, 6, 20};
  const KsResult plain = ks_two_sample(a, b);
  const KsResult eq = ks_two_sample_weighted(a, std::vector<double>(6, 0.2), b, std::vector<double>(5, 3.0));
  CHECK(eq.d == plain.d);
  CHECK(eq.p_value == plain.p_value);
  // Unequal weights: all the weight of a below 2 against b's above: D = 1.
  const KsResult w = ks_two_sample_weighted(a, {1, 0, 0, 0, 0, 0}, b, {1, 1, 1, 1, 1});
  CHECK(w.d == Approx(1.0));
  CHECK(w.method == "effective-n");
  CHECK(w.p_value < 0.5);
}
