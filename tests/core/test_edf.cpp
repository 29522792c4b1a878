// Statistics (docs/reference.md §6): EDFs, NDS weights, bootstrap, best-of-m, summaries (the KS tests are
// in test_ks.cpp). Values here are worked out by hand or by brute force in the test;
// tests/cli/stats_vs_scipy.sh compares the same functions with scipy on random data.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/edf.hpp"

using namespace regnet;

TEST_CASE("stats: the EDF counts errors strictly below e", "[stats]") {
  const std::vector<double> e = {2, 1, 3, 2};
  CHECK(edf(e, {0, 1, 1.5, 2, 2.5, 3, 4}) == std::vector<double>{0, 0, 0.25, 0.25, 0.75, 0.75, 1});
  const EdfCurve c = edf_curve(e);
  CHECK(c.x == std::vector<double>{1, 2, 3});
  CHECK(c.y == std::vector<double>{0.25, 0.75, 1});
  const EdfCurve w = edf_curve(e, {0.1, 0.2, 0.3, 0.4});
  CHECK(w.x == std::vector<double>{1, 2, 3});
  CHECK(w.y[0] == Approx(0.2));
  CHECK(w.y[1] == Approx(0.7));
  CHECK(w.y[2] == Approx(1.0));
  CHECK_THROWS_AS(edf({}, {1}), UserError);
}

TEST_CASE("stats: NDS weights give each complexity bin the same total weight", "[stats]") {
  // Bins over [0, 10] with 2 bins: [0, 5) holds 4 models, [5, 10] holds 1 (the max).
  const std::vector<double> c = {0, 1, 2, 3, 10};
  const auto w = normalized_weights(c, 2, range_of(c));
  CHECK(w == std::vector<double>{0.125, 0.125, 0.125, 0.125, 0.5});
  CHECK(complexity_bins(c, 2, range_of(c)) == std::vector<int>{0, 0, 0, 0, 1});
  CHECK(std::accumulate(w.begin(), w.end(), 0.0) == Approx(1.0));
  const std::vector<double> errors = {5, 4, 3, 2, 1};
  // F(e) = sum of weights with e_i < e.
  CHECK(weighted_edf(errors, w, {1, 1.5, 4.5, 6})[1] == Approx(0.5));
  CHECK(weighted_edf(errors, w, {1, 1.5, 4.5, 6})[0] == 0.0);
  CHECK(weighted_edf(errors, w, {1, 1.5, 4.5, 6})[2] == Approx(0.875));
  CHECK(weighted_edf(errors, w, {1, 1.5, 4.5, 6})[3] == Approx(1.0));
}

TEST_CASE("stats: bins over a given range: values outside weigh 0, the right edge is in the last bin", "[stats]") {
  // Range [1, 9], 4 bins of width 2: edges 1, 3, 5, 7, 9 (numpy.histogram's rule: [e_j, e_j+1) and
  // the last bin closed).
  const std::vector<double> c = {0, 1, 2.999, 3, 5, 6, 7, 9, 9.5};
  const ComplexityRange r{1, 9};
  CHECK(complexity_bins(c, 4, r) == std::vector<int>{-1, 0, 0, 1, 2, 2, 3, 3, -1});
  CHECK(bin_counts(complexity_bins(c, 4, r), 4) == std::vector<int>{2, 1, 2, 2});
  CHECK(bin_edge(r, 4, 0) == 1);
  CHECK(bin_edge(r, 4, 2) == 5);
  CHECK(bin_edge(r, 4, 4) == 9);
  const auto w = normalized_weights(c, 4, r);
  CHECK(w == std::vector<double>{0, 0.125, 0.125, 0.25, 0.125, 0.125, 0.125, 0.125, 0});
  CHECK(std::accumulate(w.begin(), w.end(), 0.0) == Approx(1.0));
  // A degenerate range (one value) allows one bin.
  CHECK(max_nonempty_bins({5, 5, 5}, 4, {5, 5}) == 1);
  CHECK(max_nonempty_bins({1, 2}, 4, {3, 4}) == 0);  // nothing in the range
  CHECK_THROWS_AS(complexity_bins(c, 2, {3, 1}), UserError);
}

TEST_CASE("stats: an empty complexity bin is a user error naming the bin and a smaller K", "[stats]") {
  const std::vector<double> c = {0, 1, 9, 10};  // 3 bins of width 10/3: the middle one is empty
  CHECK_THROWS_WITH(normalized_weights(c, 3, range_of(c)),
                    Catch::Contains("bin 2") && Catch::Contains("--bins, e.g. 2"));
  CHECK(max_nonempty_bins(c, 3, range_of(c)) == 2);
  CHECK(max_nonempty_bins(c, 10, range_of(c)) == 2);
  CHECK(max_nonempty_bins({5, 5, 5}, 4, range_of({5, 5, 5})) == 1);  // no spread: one bin
  CHECK_THROWS_AS(normalized_weights(c, 0, range_of(c)), UserError);
}

TEST_CASE("stats: DKW band half-width, seeds, resamples as counts", "[stats]") {
  CHECK(dkw_epsilon(100, 0.05) == Approx(std::sqrt(std::log(40.0) / 200)));
  CHECK(dkw_epsilon(400) == Approx(dkw_epsilon(100) / 2));
  CHECK_THROWS_AS(dkw_epsilon(0), UserError);
  CHECK(hash_text("xa") == hash_text("xa"));
  CHECK(hash_text("xa") != hash_text("xb"));
  CHECK(derive_seed(1, 2) != derive_seed(2, 1));
  CHECK(derive_seed(1, 2) == derive_seed(1, 2));
  SplitMix64 rng(3);
  std::vector<std::uint32_t> counts;
  draw_counts(5, 12, rng, counts);
  CHECK(counts.size() == 5);
  CHECK(std::accumulate(counts.begin(), counts.end(), 0u) == 12u);
  // Uniform: 50000 draws over 5 values, each about 10000.
  draw_counts(5, 50000, rng, counts);
  for (auto c : counts) CHECK(std::abs(static_cast<int>(c) - 10000) < 400);
}

TEST_CASE("stats: bootstrap finds the best value of a parameter with a known optimum", "[stats]") {
  // Error minimized at x = 3, with noise.
  SplitMix64 rng(11);
  auto uniform = [&] { return double(rng.next() >> 11) * 0x1.0p-53; };
  std::vector<double> x, e;
  for (int i = 0; i < 300; ++i) {
    x.push_back(6 * uniform());
    e.push_back(30 + 2 * (x.back() - 3) * (x.back() - 3) + (uniform() - 0.5));
  }
  const BootstrapResult r = bootstrap_best(x, e, 10000, 0.25, 5);
  CHECK(r.resamples == 10000);
  CHECK(r.lo <= 3.0);
  CHECK(r.hi >= 3.0);
  CHECK(r.median == Approx(3.0).margin(0.3));
  CHECK(r.lo <= r.median);
  CHECK(r.median <= r.hi);
  // Deterministic in the seed.
  const BootstrapResult again = bootstrap_best(x, e, 10000, 0.25, 5);
  CHECK(again.median == r.median);
  CHECK(again.lo == r.lo);
  CHECK(again.hi == r.hi);
  CHECK_THROWS_AS(bootstrap_best(x, {1, 2}, 10), UserError);
  CHECK_THROWS_AS(bootstrap_best(x, e, 10, 0.0), UserError);
}

TEST_CASE("stats: bootstrap of the median brackets the sample median", "[stats]") {
  const std::vector<double> v = {5, 1, 4, 2, 3, 9, 7, 8, 6};
  const BootstrapResult r = bootstrap_median(v, 2000, 1);
  CHECK(r.lo <= 5);
  CHECK(r.hi >= 5);
  CHECK(r.lo >= 1);
  CHECK(r.hi <= 9);
}

TEST_CASE("stats: expected best of m random models", "[stats]") {
  const std::vector<double> e = {7, 3, 5, 5, 9, 4};
  const int n = 6;
  std::vector<int> ms = {1, 2, 3, 4, 5, 6};
  const auto got = expected_best_of(e, ms);
  // Brute force: the mean of the minimum over every subset of size m.
  for (int m : ms) {
    double sum = 0;
    int count = 0;
    for (int mask = 0; mask < (1 << n); ++mask) {
      if (__builtin_popcount(mask) != m) continue;
      double best = 1e9;
      for (int i = 0; i < n; ++i)
        if (mask >> i & 1) best = std::min(best, e[i]);
      sum += best;
      ++count;
    }
    INFO("m = " << m);
    CHECK(got[m - 1] == Approx(sum / count).epsilon(1e-12));
  }
  CHECK(got.front() == Approx(5.5));  // m = 1: the mean
  CHECK(got.back() == Approx(3.0));   // m = n: the minimum
  CHECK_THROWS_AS(expected_best_of(e, {7}), UserError);
}

TEST_CASE("stats: summary and quantiles", "[stats]") {
  const Summary s = summarize({3, 1, 2, 10});
  CHECK(s.n == 4);
  CHECK(s.min == 1);
  CHECK(s.max == 10);
  CHECK(s.mean == 4);
  CHECK(s.median == 2.5);
  CHECK(summarize({}).n == 0);
  CHECK(quantile({1, 2, 3, 4, 5}, 0.25) == 2);
  CHECK(quantile({1, 2}, 0.975) == Approx(1.975));
}

TEST_CASE("stats: the best of m draws is drawn with the law of m draws with replacement", "[stats]") {
  // n models with distinct errors (rank r = the r-th smallest, here model n-1-r): the best of m
  // draws has rank >= r with probability (1 - r/n)^m.
  const size_t n = 20;
  const int m = 5, resamples = 200000;
  std::vector<double> errors;
  for (size_t i = 0; i < n; ++i) errors.push_back(static_cast<double>(n - i));
  const auto best = bootstrap_best_indices(errors, resamples, 0.25, 7);  // m = round(0.25 * 20) = 5
  REQUIRE(best.size() == static_cast<size_t>(resamples));
  std::vector<int> counts(n, 0);
  for (size_t i : best) ++counts[n - 1 - i];
  for (size_t r = 0; r < n; ++r) {
    const double p = std::pow(1 - double(r) / n, m) - std::pow(1 - double(r + 1) / n, m);
    const double sd = std::sqrt(resamples * p * (1 - p));
    CHECK(std::abs(counts[r] - resamples * p) <= 5 * sd + 1);
  }
  // Ties go to the lower index: of two equal best errors the first is kept whenever it is drawn,
  // P = 1 - (2/3)^3 for 3 draws of 3 models.
  const auto tied = bootstrap_best_indices({1, 1, 5}, 100000, 1.0, 3);
  CHECK(std::count(tied.begin(), tied.end(), size_t{0}) / 1e5 == Approx(1 - 8.0 / 27).margin(0.01));
  CHECK(best_value_band({10, 20, 30}, {0, 0, 2}).median == 10);
}
