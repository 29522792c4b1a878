// What `analyze` prints on stdout.
#include <catch2/catch.hpp>

#include "core/report/terminal_summary.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

TEST_CASE("report: text summary lists every sweep and the KS test", "[report]") {
  TempDir t;
  const std::string text = text_summary(two_regnet_sweeps(t));
  CHECK_THAT(text, Catch::Contains("xa") && Catch::Contains("x b") && Catch::Contains("xa vs x b: D = "));
  CHECK_THAT(text, Catch::Contains("best epoch"));
  CHECK_THAT(text, Catch::Contains("normalized EDFs: by flops over [") &&
                       Catch::Contains("models outside the range (left out of the normalized EDF and KS): xa ") &&
                       Catch::Contains(" of 40, x b ") && Catch::Contains(" of 30\n"));
  CHECK_THAT(text, Catch::Contains("differences b - a in error (bootstrap 95% intervals, 500 resamples)") &&
                       Catch::Contains("\n  x b - xa: mean +") && Catch::Contains(" models per space\n"));
}

TEST_CASE("report: the report line and the report's JSON say what was written", "[report]") {
  ReportOutput r;
  r.out_dir = "rep";
  r.index_html = "rep/index.html";
  r.summary_json = "rep/summary.json";
  r.figures = {"edf", "random_search"};
  CHECK(report_line(r) == "report: rep/index.html (2 figures: CSV data and gnuplot scripts only)");
  r.rendered = true;
  r.formats = {"png", "svg"};
  CHECK(report_line(r) == "report: rep/index.html (2 figures as png svg, with CSV data and gnuplot scripts)");
  const auto j = to_json(r);
  CHECK(j["out"] == "rep");
  CHECK(j["figures"].size() == 2);
  CHECK(j["rendered"] == true);
  CHECK(j["notes"].empty());
}

TEST_CASE("report: KS pairs of a sweep without results read n/a", "[report]") {
  TempDir t;
  write_regnet_sweep(t / "xa", 20, 20, [](const SampleRecord& s) { return trend_error(s); });
  write_regnet_sweep(t / "none", 5, 0, [](const SampleRecord& s) { return trend_error(s); });
  AnalyzeOptions o;
  o.resamples = 50;
  const std::string text = text_summary(analyze(
      {load_sweep_data(t / "xa", "xa", ErrorMetric::best), load_sweep_data(t / "none", "none", ErrorMetric::best)}, o));
  CHECK_THAT(text, Catch::Contains("  xa vs none: D = n/a (n/a)   normalized: D = n/a (n/a)\n"));
  CHECK_THAT(text, Catch::Contains("\nnone "));
  CHECK_THAT(text, Catch::Contains("      -       -       -\n"));
}
