// Reading sweeps for `analyze`: counts, the chosen metric, legend names, and analyze_sweeps's
// checks of the options before anything is read.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/base/error.hpp"
#include "core/report/analysis.hpp"
#include "core/sweep/reader.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

TEST_CASE("analysis: load_sweep_data counts done, diverged, failed and missing", "[analysis]") {
  TempDir t;
  const std::string dir = t / "xr";
  write_regnet_sweep(dir, 20, 12, [](const SampleRecord& s) { return trend_error(s); });
  TrainResult div = done_result(12, NAN);
  div.status = RunStatus::diverged;
  write_result(dir, div);
  TrainResult failed = done_result(13, 50);
  failed.status = RunStatus::failed;
  write_result(dir, failed);
  write_result(dir, done_result(14, NAN));  // "done" without a finite error counts as diverged

  const SweepData best = load_sweep_data(dir, "xr", ErrorMetric::best);
  CHECK(best.counts.samples == 20);
  CHECK(best.counts.done == 12);
  CHECK(best.counts.diverged == 2);
  CHECK(best.counts.failed == 1);
  CHECK(best.counts.missing == 5);
  CHECK(best.dataset == "fashion-mnist");
  REQUIRE(best.models.size() == 12);
  CHECK(best.models[3].error == Approx(trend_error(regnet_sample(3))));
  CHECK(best.models[3].regnet.has_value());

  const SweepData fin = load_sweep_data(dir, "xr", ErrorMetric::final);
  CHECK(fin.models[3].error == Approx(trend_error(regnet_sample(3)) + 1.0));
  CHECK_THROWS_AS(load_sweep_data(t / "nothing", "x", ErrorMetric::best), UserError);
}

TEST_CASE("analysis: legend names default to the directory's last component, repeats are numbered", "[analysis]") {
  CHECK(legend_names({"sweeps/xa/", "other/xa", "xe", "."}, {}) == std::vector<std::string>{"xa", "xa-2", "xe", "."});
  CHECK(legend_names({"a", "b"}, {"R", "R"}) == std::vector<std::string>{"R", "R-2"});
  try {
    legend_names({"a", "b"}, {"only"});
    FAIL("expected a UserError");
  } catch (const UserError& e) {
    CHECK(std::string(e.what()) == "--names: 1 names for 2 sweeps (give one per sweep, comma-separated)");
  }
}

TEST_CASE("analysis: analyze_sweeps checks the options before reading, then reads and analyzes", "[analysis]") {
  auto message = [](const std::vector<std::string>& dirs, const std::vector<std::string>& names,
                    const AnalyzeOptions& o) {
    try {
      analyze_sweeps(dirs, names, o);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  AnalyzeOptions bad_bins, bad_bootstrap;
  bad_bins.bins = -1;
  bad_bootstrap.resamples = -1;
  CHECK(message({"/nonexistent"}, {}, bad_bins) == "--bins: -1 must be >= 1 (or 0 to choose automatically)");
  CHECK(message({"/nonexistent"}, {}, bad_bootstrap) == "--bootstrap: -1 must be >= 0");
  CHECK(message({"/nonexistent", "/x"}, {"a"}, {}) ==
        "--names: 1 names for 2 sweeps (give one per sweep, comma-separated)");

  TempDir t;
  write_regnet_sweep(t / "xr", 30, 24, [](const SampleRecord& s) { return trend_error(s); });
  AnalyzeOptions o;
  o.resamples = 200;
  o.seed = 3;
  std::vector<std::string> lines;
  o.progress = [&](const std::string& line) { lines.push_back(line); };
  const Analysis a = analyze_sweeps({t / "xr"}, {}, o);
  REQUIRE(a.sweeps.size() == 1);
  CHECK(a.sweeps[0].name == "xr");
  REQUIRE(!lines.empty());
  CHECK(lines[0] == "read xr (" + (t / "xr") + "): 30 samples, 24 done, 0 diverged, 0 failed, 6 without a result");
  o.progress = nullptr;
  const Analysis direct = analyze({load_sweep_data(t / "xr", "xr", ErrorMetric::best)}, o);
  CHECK(to_json(a) == to_json(direct));
}

TEST_CASE("analysis: the error metric by name, label and value", "[analysis]") {
  CHECK(error_metric_from_string("final") == ErrorMetric::final);
  CHECK(to_string(ErrorMetric::best) == "best");
  CHECK(metric_label(ErrorMetric::final) == "top-1 error, final epoch");
  CHECK_THROWS_WITH(error_metric_from_string("last", "x.json"), "x.json: --metric: 'last' is not one of final, best");
  const TrainResult r = done_result(1, 30.5);
  CHECK(error_of(r, ErrorMetric::best) == 30.5);
  CHECK(error_of(r, ErrorMetric::final) == 31.5);
}
