// analyze's numbers on synthetic sweeps: counts, summaries, EDFs, KS, bootstrap, random search,
// width fits, trends, and the user errors.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <numeric>

#include "core/base/error.hpp"
#include "core/report/analysis.hpp"
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
  const Analysis a =
      analyze({load_sweep_data(t / "a", "a", ErrorMetric::best), load_sweep_data(t / "b", "b", ErrorMetric::best),
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
  write_regnet_sweep(
      t / "a", 10, 10, [](const SampleRecord& s) { return trend_error(s); }, "fashion-mnist");
  write_regnet_sweep(
      t / "b", 10, 10, [](const SampleRecord& s) { return trend_error(s); }, "cifar10");
  write_regnet_sweep(t / "empty", 10, 0, [](const SampleRecord& s) { return trend_error(s); });
  const Analysis a =
      analyze({load_sweep_data(t / "a", "a", ErrorMetric::best), load_sweep_data(t / "b", "b", ErrorMetric::best),
               load_sweep_data(t / "empty", "empty", ErrorMetric::best)},
              quick(100));
  std::string all;
  for (const auto& w : a.warnings) all += w + "\n";
  CHECK_THAT(all,
             Catch::Contains("different datasets") && Catch::Contains("cifar10") && Catch::Contains("fashion-mnist"));
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
  const Analysis a = analyze(
      {load_sweep_data(t / "a", "a", ErrorMetric::best), load_sweep_data(t / "b", "b", ErrorMetric::best)}, quick(200));
  CHECK(a.ks.plain[0][1].d == Approx(0.0));
  CHECK(a.sweeps[0].edf.x == std::vector<double>{42.0});
  CHECK(a.sweeps[0].edf.y.back() == Approx(1.0));
  CHECK(a.sweeps[0].error.min == a.sweeps[0].error.max);
  CHECK(a.sweeps[0].expected_best[0] == Approx(42.0));
}

TEST_CASE("analysis: an explicit bin count that leaves a bin empty names the sweep and suggests a smaller K",
          "[analysis]") {
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

namespace {

void check_same_sweep(const SweepAnalysis& x, const SweepAnalysis& y) {
  INFO(x.name);
  CHECK(x.identity == y.identity);
  CHECK(x.error.mean == y.error.mean);
  CHECK(x.edf.y == y.edf.y);
  CHECK(x.weights == y.weights);
  CHECK(x.normalized_edf.y == y.normalized_edf.y);
  CHECK(x.outside_range == y.outside_range);
  CHECK(x.expected_best == y.expected_best);
  REQUIRE(x.bootstrap.size() == y.bootstrap.size());
  for (size_t k = 0; k < x.bootstrap.size(); ++k) {
    CHECK(x.bootstrap[k].best.median == y.bootstrap[k].best.median);
    CHECK(x.bootstrap[k].best.lo == y.bootstrap[k].best.lo);
    CHECK(x.bootstrap[k].best.hi == y.bootstrap[k].best.hi);
  }
  CHECK(x.best->id == y.best->id);
}

size_t index_of(const Analysis& a, const std::string& name) {
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    if (a.sweeps[i].name == name) return i;
  FAIL("no sweep " << name);
  return 0;
}

const PairAnalysis& pair_of(const Analysis& a, size_t i, size_t j) {
  for (const auto& p : a.pairs)
    if ((p.a == i && p.b == j) || (p.a == j && p.b == i)) return p;
  FAIL("no pair");
  throw;
}

}  // namespace

TEST_CASE("analysis: no number depends on the order of the sweeps (bootstrap bands and pairs included)", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "a", 50, 50, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "b", 70, 60, [](const SampleRecord& s) { return trend_error(s, 31) + 0.1 * (s.id % 5); });
  write_regnet_sweep(t / "c", 40, 40, [](const SampleRecord& s) { return trend_error(s, 29.5); });
  auto load = [&](const std::string& n) { return load_sweep_data(t / n, n, ErrorMetric::best); };
  const Analysis x = analyze({load("a"), load("b"), load("c")}, quick(500));
  const Analysis y = analyze({load("c"), load("a"), load("b")}, quick(500));
  REQUIRE(x.pairs.size() == 3);
  CHECK(x.bins == y.bins);
  CHECK(x.range.lo == y.range.lo);
  CHECK(x.range.hi == y.range.hi);
  for (const auto& s : x.sweeps) check_same_sweep(s, y.sweeps[index_of(y, s.name)]);
  for (const auto& p : x.pairs) {
    const size_t i = index_of(y, x.sweeps[p.a].name), j = index_of(y, x.sweeps[p.b].name);
    const PairAnalysis& q = pair_of(y, i, j);
    const bool same_way = q.a == i;  // b - a in both, or reversed
    INFO(x.sweeps[p.a].name << " vs " << x.sweeps[p.b].name << (same_way ? "" : " (reversed)"));
    const SampleDifferences d = same_way ? q.difference : reversed(q.difference);
    CHECK(d.mean.estimate == p.difference.mean.estimate);
    CHECK(d.mean.lo == p.difference.mean.lo);
    CHECK(d.median.hi == p.difference.median.hi);
    CHECK(d.expected_best.back().lo == p.difference.expected_best.back().lo);
    CHECK(q.power.power == p.power.power);
    CHECK(y.ks.plain[i][j].p_value == x.ks.plain[p.a][p.b].p_value);
    CHECK(y.ks.normalized[i][j].d == x.ks.normalized[p.a][p.b].d);
    CHECK(y.ks.normalized[i][j].p_value == x.ks.normalized[p.a][p.b].p_value);
  }
  // Legend names do not change the numbers (the identity is the data, not the name).
  const Analysis renamed = analyze({load_sweep_data(t / "a", "A", ErrorMetric::best), load("b")}, quick(500));
  CHECK(renamed.sweeps[0].bootstrap[3].best.lo == x.sweeps[0].bootstrap[3].best.lo);
}

TEST_CASE("analysis: the normalized EDFs share one range, models outside it are dropped and counted", "[analysis]") {
  TempDir t;
  // The same space, but b also holds samples 20..119: a wider spread of flops.
  write_regnet_sweep(t / "a", 20, 20, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "b", 120, 120, [](const SampleRecord& s) { return trend_error(s, 31); });
  const SweepData da = load_sweep_data(t / "a", "a", ErrorMetric::best),
                  db = load_sweep_data(t / "b", "b", ErrorMetric::best);
  const Analysis a = analyze({da, db}, quick(100));
  std::vector<double> ca, cb;
  for (const auto& m : da.models) ca.push_back(static_cast<double>(m.complexity.flops));
  for (const auto& m : db.models) cb.push_back(static_cast<double>(m.complexity.flops));
  const ComplexityRange own_a = range_of(ca), own_b = range_of(cb);
  CHECK(a.range_auto);
  CHECK(a.range.lo == std::max(own_a.lo, own_b.lo));
  CHECK(a.range.hi == std::min(own_a.hi, own_b.hi));
  long outside = 0;
  for (double c : cb) outside += a.range.contains(c) ? 0 : 1;
  REQUIRE(outside > 0);
  CHECK(a.sweeps[1].outside_range == outside);
  CHECK(a.sweeps[0].outside_range ==
        (own_a.lo == a.range.lo && own_a.hi == a.range.hi ? 0 : a.sweeps[0].outside_range));
  // The weights are NDS's over the shared range, 0 outside; the normalized KS leaves those out.
  CHECK(a.sweeps[1].weights == normalized_weights(cb, a.bins, a.range));
  const WeightedErrors nb = normalized_sample(a.sweeps[1]);
  CHECK(nb.errors.size() == cb.size() - static_cast<size_t>(outside));
  const WeightedErrors na = normalized_sample(a.sweeps[0]);
  CHECK(a.ks.normalized[0][1].d == ks_two_sample_weighted(na.errors, na.weights, nb.errors, nb.weights).d);
  CHECK(a.sweeps[1].normalized_edf.y.back() == Approx(1.0));
  const auto j = to_json(a);
  CHECK(j["normalization"]["outside_range"]["b"] == outside);
  CHECK(j["normalization"]["range"][0].get<double>() == a.range.lo);
  CHECK(j["normalization"]["bin_spacing"] == "linear");
  CHECK(j["sweeps"][1]["normalized"]["outside_range"] == outside);
  CHECK_THAT(normalization_text(a),
             Catch::Contains("the intersection of the sweeps' ranges") && Catch::Contains("linear bins"));
}

TEST_CASE("analysis: per pair, the bootstrap intervals of the differences and the KS power", "[analysis]") {
  TempDir t;
  write_regnet_sweep(t / "a", 60, 60, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "b", 60, 60, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "c", 60, 60, [](const SampleRecord& s) { return trend_error(s, 40); });
  auto load = [&](const std::string& n) { return load_sweep_data(t / n, n, ErrorMetric::best); };
  const Analysis a = analyze({load("a"), load("b"), load("c")}, quick(1000));
  const PairAnalysis& same = pair_of(a, 0, 1);
  const PairAnalysis& worse = pair_of(a, 0, 2);
  CHECK(worse.a == 0);
  CHECK(worse.b == 2);
  // c = a + 10 model by model: the differences are 10, inside their intervals.
  for (const DifferenceBand* d :
       {&worse.difference.mean, &worse.difference.median, &worse.difference.expected_best[2]}) {
    CHECK(d->estimate == Approx(10));
    CHECK(d->lo < 10);
    CHECK(d->hi > 10);
    CHECK(d->lo > 8);
  }
  CHECK(worse.power.needed == 8);  // disjoint error ranges: the fewest models suffice
  CHECK(same.difference.mean.estimate == Approx(0));
  CHECK(same.difference.mean.lo < 0);
  CHECK(same.difference.mean.hi > 0);
  CHECK(same.power.needed == 0);  // identical EDFs: more than the grid's largest size
  CHECK(same.power.largest == 1024);
  const auto j = to_json(a)["pairs"];
  REQUIRE(j.size() == 3);
  CHECK(j[1]["a"] == "a");
  CHECK(j[1]["b"] == "c");
  CHECK(j[1]["difference"] == "b - a");
  CHECK(j[1]["mean"]["estimate"].get<double>() == Approx(10));
  CHECK(j[1]["ks_power"]["models_per_space"] == 8);
  CHECK(j[0]["ks_power"]["models_per_space"].is_null());
  CHECK(j[0]["ks_power"]["more_than"] == 1024);
  CHECK(j[1]["expected_best"][0]["m"] == 1);
  // The EDF bands: DKW at each sweep's n.
  CHECK(a.sweeps[0].edf_band == Approx(dkw_epsilon(60, 0.05)));
}
