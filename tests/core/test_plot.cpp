// Figures (CSV + gnuplot script), rendering, and the HTML report of an analysis.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/analysis.hpp"
#include "core/json_io.hpp"
#include "core/plot.hpp"
#include "core/report.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;
namespace fs = std::filesystem;

namespace {

Figure small_figure() {
  Figure f;
  f.name = "demo";
  f.title = "A \"quoted\" title";
  f.xlabel = "w_0";
  f.ylabel = "error (%)";
  f.columns = {{"a_x", {1, 2, 3}}, {"a_y", {0.1, NAN, 0.9}}, {"b_x", {5}}, {"b_y", {0.5}}};
  f.layers = {{"a 3|1|2", LayerStyle::steps, {"a_x", "a_y"}, 0, 2}, {"b", LayerStyle::points, {"b_x", "b_y"}, 1, 1}};
  return f;
}

bool starts_with_bytes(const std::string& path, const std::string& magic) {
  std::ifstream in(path, std::ios::binary);
  std::string head(magic.size(), '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  return in && head == magic;
}

Analysis two_sweeps(const TempDir& t) {
  write_regnet_sweep(t / "xa", 40, 40, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "xb", 40, 30, [](const SampleRecord& s) { return trend_error(s, 33); });
  AnalyzeOptions o;
  o.resamples = 500;
  return analyze({load_sweep_data(t / "xa", "xa", ErrorMetric::best), load_sweep_data(t / "xb", "x b", ErrorMetric::best)},
                 o);
}

}  // namespace

TEST_CASE("plot: CSV has named columns, empty cells for NaN and past a column's end", "[plot]") {
  CHECK(figure_csv(small_figure()) == "a_x,a_y,b_x,b_y\n1,0.1,5,0.5\n2,,,\n3,0.9,,\n");
  CHECK(slug("x b/c") == "x_b_c");
}

TEST_CASE("plot: the script reads its CSV by relative path, names columns, falls back on terminals", "[plot]") {
  const std::string gp = figure_script(small_figure());
  CHECK_THAT(gp, Catch::Contains("data = 'figures/demo.csv'"));
  CHECK_THAT(gp, Catch::Contains("using \"a_x\":\"a_y\" with steps"));
  CHECK_THAT(gp, Catch::Contains("title \"a 3|1|2\" noenhanced"));
  CHECK_THAT(gp, Catch::Contains("set title \"A \\\"quoted\\\" title\""));
  CHECK_THAT(gp, Catch::Contains("set output 'figures/demo.png'") && Catch::Contains("set output 'figures/demo.svg'") &&
                     Catch::Contains("set output 'figures/demo.pdf'"));
  CHECK_THAT(gp, Catch::Contains("strstrt(GPVAL_TERMINALS, \"pngcairo\")") &&
                     Catch::Contains("strstrt(GPVAL_TERMINALS, \"pdfcairo\")"));
  Figure bad = small_figure();
  bad.layers[0].columns = {"a_x"};
  CHECK_THROWS(figure_script(bad));
}

TEST_CASE("plot: gnuplot renders PNG, SVG and PDF, and the script re-renders from the report directory", "[plot]") {
  const auto gp = find_gnuplot();
  if (!gp) {
    WARN("gnuplot not installed: rendering not tested");
    return;
  }
  TempDir t;
  const Figure f = small_figure();
  write_figure_sources(f, t.path.string());
  const RenderResult r = render_figures({f}, t.path.string(), *gp, 1);
  CHECK(r.failed.empty());
  CHECK(r.rendered == std::vector<std::string>{"demo"});
  CHECK(starts_with_bytes(t / "figures/demo.png", "\x89PNG"));
  CHECK_THAT(read_text_file(t / "figures/demo.svg"), Catch::Contains("<svg"));
  if (std::find(r.formats.begin(), r.formats.end(), "pdf") != r.formats.end())
    CHECK(starts_with_bytes(t / "figures/demo.pdf", "%PDF"));

  fs::remove(t / "figures/demo.png");
  const std::string cmd = "cd '" + t.path.string() + "' && '" + *gp + "' figures/demo.gp >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(starts_with_bytes(t / "figures/demo.png", "\x89PNG"));

  // A broken script is reported, not thrown, and the others still render.
  Figure broken = f;
  broken.name = "broken";
  write_figure_sources(broken, t.path.string());
  write_file_atomic(t / "figures/broken.gp", "plot 'figures/nothing-here.csv' using 1:2\n");
  const RenderResult r2 = render_figures({f, broken}, t.path.string(), *gp, 1);
  CHECK(r2.failed == std::vector<std::string>{"broken"});
  CHECK(r2.rendered == std::vector<std::string>{"demo"});
}

TEST_CASE("plot: REGNET_GNUPLOT overrides the PATH lookup", "[plot]") {
  ::setenv("REGNET_GNUPLOT", "/nonexistent/gnuplot", 1);
  CHECK_FALSE(find_gnuplot().has_value());
  ::unsetenv("REGNET_GNUPLOT");
}

TEST_CASE("report: figures of an analysis: EDFs, parameters with bootstrap bands, widths, random search, trends",
          "[report]") {
  TempDir t;
  const Analysis a = two_sweeps(t);
  const auto figs = analysis_figures(a);
  std::vector<std::string> names;
  for (const auto& f : figs) names.push_back(f.name);
  for (const char* n : {"edf", "edf_normalized", "error_vs_flops", "error_vs_params", "error_vs_acts", "error_vs_d",
                        "error_vs_w0", "error_vs_wa", "error_vs_wm", "error_vs_d1", "widths_xa", "widths_x_b",
                        "random_search", "trend_error", "trend_d"}) {
    INFO(n);
    CHECK(std::find(names.begin(), names.end(), n) != names.end());
  }
  // b and g are the same for every model: no figure.
  CHECK(std::find(names.begin(), names.end(), "error_vs_b") == names.end());
  const Figure& edf = figs[0];
  REQUIRE(edf.layers.size() == 2);
  CHECK(edf.layers[0].title == "xa 40|" + std::to_string(a.sweeps[0].error.min).substr(0, 5) + "|" +
                                   std::to_string(a.sweeps[0].error.mean).substr(0, 5));
  CHECK(edf.layers[0].color == 0);
  CHECK(edf.layers[1].color == 1);
  CHECK(edf.columns[0].values.size() == a.sweeps[0].edf.x.size() + 1);  // starts at F = 0
  CHECK(edf.columns[1].values.front() == 0.0);
  const auto d = std::find_if(figs.begin(), figs.end(), [](const Figure& f) { return f.name == "error_vs_d"; });
  const auto band = std::find_if(d->columns.begin(), d->columns.end(), [](const Column& c) { return c.name == "xa_best_median"; });
  REQUIRE(band != d->columns.end());
  CHECK(std::fabs(band->values[0] - 20) <= 2);
}

TEST_CASE("report: index.html has the tables and inline SVG - without gnuplot only CSV and scripts", "[report]") {
  TempDir t;
  const Analysis a = two_sweeps(t);
  ReportOptions no_render;
  no_render.render = false;
  const std::string out = t / "report";
  const ReportOutput r = write_report(a, out, no_render);
  CHECK_FALSE(r.rendered);
  REQUIRE(r.notes.size() == 1);
  CHECK_THAT(r.notes[0], Catch::Contains("--no-render"));
  const std::string html = read_text_file(r.index_html);
  for (const char* id : {"id=\"summary\"", "id=\"ks\"", "id=\"ks-normalized\"", "id=\"best-values\"", "id=\"fits\"",
                         "id=\"random-search\"", "\"space\": \"RegNetX\""})
    CHECK_THAT(html, Catch::Contains(id));
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

TEST_CASE("report: text summary lists every sweep and the KS test", "[report]") {
  TempDir t;
  const std::string text = text_summary(two_sweeps(t));
  CHECK_THAT(text, Catch::Contains("xa") && Catch::Contains("x b") && Catch::Contains("xa vs x b: D = "));
  CHECK_THAT(text, Catch::Contains("best epoch"));
}
