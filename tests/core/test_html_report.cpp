// The report on disk: index.html with its tables and inline SVG, summary.json, figure sources.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/report/html_report.hpp"
#include "core/base/json_io.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;
namespace fs = std::filesystem;

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
  for (const char* id : {"id=\"summary\"", "id=\"ks\"", "id=\"ks-normalized\"", "id=\"pairs\"", "id=\"pairs-best-of-m\"",
                         "id=\"best-values\"", "id=\"fits\"", "id=\"random-search\"", "\"space\": \"RegNetX\"",
                         "href=\"models.csv\""})
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

  if (!find_gnuplot()) return;
  const ReportOutput r2 = write_report(a, out, {});
  CHECK(r2.rendered);
  const std::string page = read_text_file(r2.index_html);
  CHECK_THAT(page, Catch::Contains("<svg"));
  CHECK_THAT(page, !Catch::Contains("<?xml"));
  // gnuplot's symbol ids are made unique per figure.
  CHECK_THAT(page, Catch::Contains("id='edf-gpPt0'") && Catch::Contains("id='random_search-gpPt0'"));
}
