// Bootstrap intervals of the difference between two error samples, on samples whose difference
// is known.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/difference.hpp"
#include "core/stats/edf.hpp"

using namespace regnet;

namespace {

// n errors spread over [30, 40) by a fixed generator.
std::vector<double> errors(int n, std::uint64_t seed, double shift = 0) {
  SplitMix64 rng(seed);
  std::vector<double> e;
  for (int i = 0; i < n; ++i) e.push_back(30 + shift + 10 * static_cast<double>(rng.next() >> 11) * 0x1.0p-53);
  return e;
}

}  // namespace

TEST_CASE("difference: a known shift lies inside the intervals of mean, median and best of m", "[stats]") {
  const auto a = errors(120, 1);
  std::vector<double> b = a;
  for (double& e : b) e += 2;  // every model 2 points worse
  const SampleDifferences d = bootstrap_differences(a, b, 2000, 5);
  CHECK(d.resamples == 2000);
  CHECK(d.mean.estimate == Approx(2));
  CHECK(d.median.estimate == Approx(2));
  CHECK(d.m == std::vector<int>{1, 2, 4, 8, 16, 32, 64});
  REQUIRE(d.expected_best.size() == d.m.size());
  for (const auto* band : {&d.mean, &d.median, &d.expected_best[0], &d.expected_best[3]}) {
    CHECK(band->lo < 2);
    CHECK(band->hi > 2);
  }
  // The interval of the mean is about +-1.96 sqrt(2 var / n): var of U(30, 40) is 100/12.
  const double half = 1.96 * std::sqrt(2 * 100.0 / 12 / 120);
  CHECK(d.mean.hi - d.mean.lo == Approx(2 * half).epsilon(0.15));
  // The best of 64 random models is close to the minimum: a narrow interval.
  CHECK(d.expected_best.back().hi - d.expected_best.back().lo < d.mean.hi - d.mean.lo);
  const auto on_a = expected_best_of(a, d.m), on_b = expected_best_of(b, d.m);
  for (size_t k = 0; k < d.m.size(); ++k) CHECK(d.expected_best[k].estimate == Approx(on_b[k] - on_a[k]));
}

TEST_CASE("difference: no difference gives intervals around 0, deterministic in the seed", "[stats]") {
  const auto a = errors(80, 2), b = errors(100, 3);  // the same distribution
  const SampleDifferences d = bootstrap_differences(a, b, 1000, 7);
  CHECK(d.mean.lo < 0);
  CHECK(d.mean.hi > 0);
  CHECK(d.m.back() == 64);  // <= min(80, 100)
  const SampleDifferences again = bootstrap_differences(a, b, 1000, 7);
  CHECK(again.mean.lo == d.mean.lo);
  CHECK(again.median.hi == d.median.hi);
  CHECK(bootstrap_differences(a, b, 1000, 8).mean.lo != d.mean.lo);
}

TEST_CASE("difference: reversed negates exactly, no resamples gives estimates only, empty is an error", "[stats]") {
  const SampleDifferences d = bootstrap_differences(errors(30, 4), errors(40, 5, 1), 500, 1);
  const SampleDifferences r = reversed(d);
  CHECK(r.mean.estimate == -d.mean.estimate);
  CHECK(r.mean.lo == -d.mean.hi);
  CHECK(r.mean.hi == -d.mean.lo);
  CHECK(r.expected_best[2].lo == -d.expected_best[2].hi);
  CHECK(r.m == d.m);
  const SampleDifferences none = bootstrap_differences({1, 2}, {3, 4}, 0, 1);
  CHECK(none.mean.estimate == 2);
  CHECK(std::isnan(none.mean.lo));
  CHECK_THROWS_AS(bootstrap_differences({}, {1}, 10, 1), UserError);
  CHECK_THROWS_AS(bootstrap_differences({1}, {1}, -1, 1), UserError);
}

TEST_CASE("difference: the resamples' statistics from counts equal those of the resamples built out", "[stats]") {
  // Replays the generator: each resample draws the counts of a, then of b (draw_counts).
  const auto a = sorted(errors(37, 6)), b = sorted(errors(50, 7, 0.5));
  const int resamples = 300;
  const SampleDifferences d = bootstrap_differences(a, b, resamples, 9);
  SplitMix64 rng(9);
  std::vector<std::uint32_t> counts;
  auto built = [&](const std::vector<double>& s) {
    draw_counts(s.size(), s.size(), rng, counts);
    std::vector<double> r;
    for (size_t k = 0; k < s.size(); ++k) r.insert(r.end(), counts[k], s[k]);
    return r;
  };
  std::vector<double> mean, median, best4;
  for (int i = 0; i < resamples; ++i) {
    const auto ra = built(a), rb = built(b);
    const Summary x = summarize(ra), y = summarize(rb);
    mean.push_back(y.mean - x.mean);
    median.push_back(y.median - x.median);
    best4.push_back(expected_best_of(rb, {4})[0] - expected_best_of(ra, {4})[0]);
  }
  CHECK(d.mean.lo == Approx(quantile(mean, 0.025)).epsilon(1e-12));
  CHECK(d.mean.hi == Approx(quantile(mean, 0.975)).epsilon(1e-12));
  CHECK(d.median.lo == Approx(quantile(median, 0.025)).epsilon(1e-12));
  CHECK(d.median.hi == Approx(quantile(median, 0.975)).epsilon(1e-12));
  REQUIRE(d.m[2] == 4);
  CHECK(d.expected_best[2].lo == Approx(quantile(best4, 0.025)).epsilon(1e-9));
  CHECK(d.expected_best[2].hi == Approx(quantile(best4, 0.975)).epsilon(1e-9));
}
