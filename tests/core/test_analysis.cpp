// analyze's numbers on synthetic sweeps: counts, summaries, EDFs, KS, bootstrap, random search,
// width fits, trends, and the user errors.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <numeric>

#include "core/analysis.hpp"
#include "core/error.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

namespace {

AnalyzeOptions quick(int resamples = 2000) {
  AnalyzeOptions o;
  o.resamples = resamples;
  o.seed = 7;
  return o;
}

const ParameterBootstrap& bootstrap_of(const SweepAnalysis& s, const std::string& key) {
  for (const auto& b : s.bootstrap)
    if (b.parameter.key == key) return b;
  FAIL("no bootstrap for " << key);
  throw;
}

}  // namespace

TEST_CASE("analysis: summary, EDF, random search and warnings of a partial sweep", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "xr", 40, 30, [](const SampleRecord& s) { return trend_error(s); });
  const Analysis a = analyze({load_sweep_data(t / "xr", "xr", ErrorMetric::best)}, quick());
  REQUIRE(a.sweeps.size() == 1);
  const auto& s = a.sweeps[0];

  std::vector<double> e;
  for (int i = 0; i < 30; ++i) e.push_back(trend_error(regnet_sample(i)));
  const double mean = std::accumulate(e.begin(), e.end(), 0.0) / e.size();
  CHECK(s.error.n == 30);
  CHECK(s.error.min == Approx(*std::min_element(e.begin(), e.end())));
  CHECK(s.error.mean == Approx(mean));
  CHECK(s.edf.y.back() == Approx(1.0));
  CHECK(s.edf.x.front() == Approx(s.error.min));

  // m = 1, 2, 4, 8, 16: one random model is the mean; more models can only do better.
  CHECK(s.best_of_m == std::vector<int>{1, 2, 4, 8, 16});
  CHECK(s.expected_best[0] == Approx(mean));
  for (size_t i = 1; i < s.expected_best.size(); ++i) CHECK(s.expected_best[i] <= s.expected_best[i - 1]);
  CHECK(s.expected_best.back() >= s.error.min);

  bool partial = false;
  for (const auto& w : a.warnings) partial = partial || w.find("10 of 40 samples have no result") != std::string::npos;
  CHECK(partial);
  CHECK(a.trends.empty());  // one sweep: no regimes to compare
}

TEST_CASE("analysis: the bootstrap finds the best depth of a known trend, whatever the thread count", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "xr", 120, 120, [](const SampleRecord& s) { return trend_error(s); });
  const SweepData d = load_sweep_data(t / "xr", "xr", ErrorMetric::best);
  AnalyzeOptions one = quick(), two = quick();
  one.threads = 1;
  two.threads = 2;
  const Analysis a = analyze({d}, one), b = analyze({d}, two);
  const auto& depth = bootstrap_of(a.sweeps[0], "d");
  INFO("median " << depth.best.median << " [" << depth.best.lo << ", " << depth.best.hi << "]");
  CHECK(std::fabs(depth.best.median - 20) <= 1);
  CHECK(depth.best.lo <= 20);
  CHECK(depth.best.hi >= 20);
  CHECK(depth.best.resamples == 2000);
  CHECK(depth.x_min == 12);
  CHECK(depth.x_max == 28);
  // Deterministic in the seed, independent of threads.
  for (size_t i = 0; i < a.sweeps[0].bootstrap.size(); ++i) {
    CHECK(a.sweeps[0].bootstrap[i].best.median == b.sweeps[0].bootstrap[i].best.median);
    CHECK(a.sweeps[0].bootstrap[i].best.lo == b.sweeps[0].bootstrap[i].best.lo);
  }
  // The best model is the RegNet with depth 20 and the lowest jitter; its widths fit well.
  REQUIRE(a.sweeps[0].best.has_value());
  CHECK(regnet_sample(a.sweeps[0].best->id).regnet->depth == 20);
  CHECK(a.sweeps[0].best->widths.size() == 20u);
  CHECK(a.sweeps[0].best->fit.e_fit < 0.1);
  CHECK(a.sweeps[0].worst->error == Approx(a.sweeps[0].error.max));
}

TEST_CASE("analysis: KS separates shifted sweeps and not identical ones - trends across regimes", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "a", 60, 60, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "b", 60, 60, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "c", 60, 60, [](const SampleRecord& s) { return trend_error(s, 40); });
  const Analysis a = analyze({load_sweep_data(t / "a", "a", ErrorMetric::best), load_sweep_data(t / "b", "b", ErrorMetric::best),
                              load_sweep_data(t / "c", "c", ErrorMetric::best)},
                             quick());
  REQUIRE(a.ks.names == std::vector<std::string>{"a", "b", "c"});
  CHECK(a.ks.plain[0][1].d == Approx(0.0));
  CHECK(a.ks.plain[0][1].p_value == Approx(1.0));
  CHECK(a.ks.plain[0][2].d == Approx(1.0));  // every error of c is 10 points higher
  CHECK(a.ks.plain[0][2].p_value < 1e-6);
  CHECK(a.ks.plain[2][0].d == a.ks.plain[0][2].d);  // symmetric
  // Normalized by flops with an automatic K; same data, same normalized EDF.
  CHECK(a.normalization == Normalization::flops);
  CHECK(a.bins_auto);
  CHECK(a.bins >= 1);
  REQUIRE(!a.ks.normalized.empty());
  CHECK(a.ks.normalized[0][1].d == Approx(0.0));
  CHECK(a.ks.normalized[0][2].d == Approx(1.0));
  double total = 0;
  for (double w : a.sweeps[0].weights) total += w;
  CHECK(total == Approx(1.0));
  // Trends: one point per sweep for every shared parameter.
  REQUIRE(!a.trends.empty());
  for (const auto& tr : a.trends) CHECK(tr.sweeps.size() == 3);
  const auto j = to_json(a);
  CHECK(j["ks"].size() == 3);
  CHECK(j["sweeps"][2]["error"]["min"].get<double>() == Approx(a.sweeps[2].error.min));
  CHECK(j["sweeps"][0]["best_values"]["d"]["median"].is_number());
}

TEST_CASE("analysis: mixed datasets warn - no finished result is a clear error", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "a", 10, 10, [](const SampleRecord& s) { return trend_error(s); }, "fashion-mnist");
  write_regnet_sweep(t / "b", 10, 10, [](const SampleRecord& s) { return trend_error(s); }, "cifar10");
  write_regnet_sweep(t / "empty", 10, 0, [](const SampleRecord& s) { return trend_error(s); });
  const Analysis a = analyze({load_sweep_data(t / "a", "a", ErrorMetric::best), load_sweep_data(t / "b", "b", ErrorMetric::best),
                              load_sweep_data(t / "empty", "empty", ErrorMetric::best)},
                             quick(100));
  std::string all;
  for (const auto& w : a.warnings) all += w + "\n";
  CHECK_THAT(all, Catch::Contains("different datasets") && Catch::Contains("cifar10") && Catch::Contains("fashion-mnist"));
  CHECK_THAT(all, Catch::Contains("empty: no finished results"));
  CHECK(std::isnan(a.ks.plain[0][2].d));  // the empty sweep has no EDF to compare

  try {
    analyze({load_sweep_data(t / "empty", "empty", ErrorMetric::best)}, quick(100));
    FAIL("expected a UserError");
  } catch (const UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains("no finished results") && Catch::Contains("10 without a result"));
  }
}

TEST_CASE("analysis: all errors equal is degenerate but fine", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "a", 12, 12, [](const SampleRecord&) { return 42.0; });
  write_regnet_sweep(t / "b", 12, 12, [](const SampleRecord&) { return 42.0; });
  const Analysis a =
      analyze({load_sweep_data(t / "a", "a", ErrorMetric::best), load_sweep_data(t / "b", "b", ErrorMetric::best)}, quick(200));
  CHECK(a.ks.plain[0][1].d == Approx(0.0));
  CHECK(a.sweeps[0].edf.x == std::vector<double>{42.0});
  CHECK(a.sweeps[0].edf.y.back() == Approx(1.0));
  CHECK(a.sweeps[0].error.min == a.sweeps[0].error.max);
  CHECK(a.sweeps[0].expected_best[0] == Approx(42.0));
}

TEST_CASE("analysis: an explicit bin count that leaves a bin empty names the sweep and suggests a smaller K", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "xr", 8, 8, [](const SampleRecord& s) { return trend_error(s); });
  AnalyzeOptions o = quick(100);
  o.bins = 50;
  try {
    analyze({load_sweep_data(t / "xr", "xr", ErrorMetric::best)}, o);
    FAIL("expected a UserError");
  } catch (const UserError& e) {
    CHECK_THAT(e.what(), Catch::Contains("--bins: 50 flops bins over the shared range") && Catch::Contains(" of xr ") &&
                             Catch::Contains("smaller --bins"));
  }
  o.bins = 1;
  CHECK(analyze({load_sweep_data(t / "xr", "xr", ErrorMetric::best)}, o).bins == 1);
  o.normalization = Normalization::none;
  const Analysis plain = analyze({load_sweep_data(t / "xr", "xr", ErrorMetric::best)}, o);
  CHECK(plain.ks.normalized.empty());
  CHECK(plain.sweeps[0].normalized_edf.x.empty());
}
