// The report on disk: index.html with its tables and inline SVG, summary.json, figure sources.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/base/json_io.hpp"
#include "core/report/html_report.hpp"
#include "test_analysis_fixtures.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;
namespace fs = std::filesystem;

namespace {

// A report asked to render where no gnuplot is found: the CSV data and scripts, no image, one
// note naming the missing gnuplot and how to render later, and the page says so.
void check_report_without_gnuplot(const Analysis& a, const std::string& out) {
  const ReportOutput r = write_report(a, out, {});
  CHECK_FALSE(r.rendered);
  CHECK(r.formats.empty());
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Catch::Contains("gnuplot not found on PATH") && Catch::Contains("gnuplot figures/*.gp"));
  CHECK_FALSE(r.figures.empty());
  for (const auto& name : r.figures) {
    CHECK(fs::file_size(out + "/figures/" + name + ".csv") > 0);
    CHECK(fs::file_size(out + "/figures/" + name + ".gp") > 0);
    for (const char* ext : {".png", ".svg", ".pdf"}) CHECK_FALSE(fs::exists(out + "/figures/" + name + ext));
  }
  const std::string page = read_text_file(r.index_html);
  CHECK_THAT(page, Catch::Contains("gnuplot not found on PATH"));
  CHECK_THAT(page, !Catch::Contains("<svg"));
  CHECK(read_json_file(r.summary_json)["sweeps"].size() == 2);
}

}  // namespace

TEST_CASE("report: index.html has the tables and inline SVG - without gnuplot only CSV and scripts", "[report]") {
  TempDir t;
  const Analysis a = two_regnet_sweeps(t);
  ReportOptions no_render;
  no_render.render = false;
  const std::string out = t / "report";
  const ReportOutput r = write_report(a, out, no_render);
  CHECK_FALSE(r.rendered);
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Catch::Contains("--no-render"));
  const std::string html = read_text_file(r.index_html);
  for (const char* id :
       {"id=\"summary\"", "id=\"ks\"", "id=\"ks-normalized\"", "id=\"pairs\"", "id=\"pairs-best-of-m\"",
        "id=\"best-values\"", "id=\"fits\"", "id=\"random-search\"", "\"space\": \"RegNetX\"", "href=\"models.csv\""})
    CHECK_THAT(html, Catch::Contains(id));
  // How sure: the pair's differences with intervals and the power; the normalization's range.
  CHECK_THAT(html, Catch::Contains("models per space") && Catch::Contains("percentile-bootstrap 95% intervals"));
  CHECK_THAT(html, Catch::Contains("the intersection of the sweeps&#39; ranges") ||
                       Catch::Contains("the intersection of the sweeps' ranges"));
  CHECK_THAT(html, Catch::Contains("left out of the normalized EDF and KS: xa ") && Catch::Contains(" of 40, x b "));
  CHECK(r.models_csv == out + "/models.csv");
  CHECK(read_text_file(r.models_csv).find("\r\n\"x b\"") == std::string::npos);  // "x b" needs no quotes
  CHECK(to_json(r)["models_csv"] == r.models_csv);
  CHECK_THAT(html, Catch::Contains("x b"));
  CHECK_THAT(html, Catch::Contains("not rendered"));
  CHECK(read_json_file(r.summary_json)["sweeps"].size() == 2);
  CHECK(fs::exists(out + "/figures/edf.csv"));
  CHECK(fs::exists(out + "/figures/edf.gp"));
  for (const auto& e : fs::directory_iterator(out)) CHECK(e.path().string().find(".tmp") == std::string::npos);

  if (!find_gnuplot()) {
    WARN("gnuplot not installed: rendering not tested (the report without it is)");
    check_report_without_gnuplot(a, out);
    return;
  }
  const ReportOutput r2 = write_report(a, out, {});
  CHECK(r2.rendered);
  const std::string page = read_text_file(r2.index_html);
  CHECK_THAT(page, Catch::Contains("<svg"));
  CHECK_THAT(page, !Catch::Contains("<?xml"));
  // gnuplot's symbol ids are made unique per figure.
  CHECK_THAT(page, Catch::Contains("id='edf-gpPt0'") && Catch::Contains("id='random_search-gpPt0'"));
}

TEST_CASE("report: without gnuplot (REGNET_GNUPLOT names none) CSV and scripts, a note, and the page says so",
          "[report]") {
  TempDir t;
  const Analysis a = two_regnet_sweeps(t);
  ScopedEnv no_gnuplot("REGNET_GNUPLOT", t / "no-gnuplot-here");
  REQUIRE_FALSE(find_gnuplot().has_value());
  check_report_without_gnuplot(a, t / "report");
}
