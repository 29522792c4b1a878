// Figures as data (CSV + gnuplot script) and their rendering with gnuplot.
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/base/json_io.hpp"
#include "core/report/plot.hpp"
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

// Where gnuplot is not installed: a render with no gnuplot to run reports the figure as failed
// (not thrown) and leaves its sources as written, and no image or raster.
void check_render_without_gnuplot(const Figure& f) {
  TempDir t;
  write_figure_sources(f, t.path.string());
  const RenderResult r = render_figures({f}, t.path.string(), t / "no-gnuplot-here", {1});
  CHECK(r.rendered.empty());
  CHECK(r.failed == std::vector<std::string>{f.name});
  CHECK(r.formats.empty());
  CHECK_FALSE(r.timed_out);
  CHECK(read_text_file(t / ("figures/" + f.name + ".csv")) == figure_csv(f));
  CHECK(read_text_file(t / ("figures/" + f.name + ".gp")) == figure_script(f));
  for (const char* ext : {".png", ".svg", ".pdf", ".points.rgba"})
    CHECK_FALSE(fs::exists(t / ("figures/" + f.name + ext)));
}

}  // namespace

TEST_CASE("plot: CSV has named columns, empty cells for NaN and past a column's end", "[plot]") {
  CHECK(figure_csv(small_figure()) == "a_x,a_y,b_x,b_y\n1,0.1,5,0.5\n2,,,\n3,0.9,,\n");
  CHECK(slug("x b/c") == "x_b_c");
}

TEST_CASE("plot: the script reads its CSV by relative path, names columns, falls back on terminals", "[plot]") {
  const std::string gp = figure_script(small_figure());
  CHECK_THAT(gp, Catch::Contains("data = 'figures/demo.csv'"));
  CHECK_THAT(gp, Catch::Contains("using 'a_x':'a_y' with steps"));
  CHECK_THAT(gp, Catch::Contains("title 'a 3|1|2' noenhanced"));
  CHECK_THAT(gp, Catch::Contains("set title 'A \"quoted\" title' noenhanced"));
  CHECK_THAT(gp, Catch::Contains("set output 'figures/demo.'.regnet_format") &&
                     Catch::Contains("regnet_formats = 'png svg pdf'"));
  CHECK_THAT(gp, Catch::Contains("strstrt(GPVAL_TERMINALS, 'pngcairo')") &&
                     Catch::Contains("strstrt(GPVAL_TERMINALS, 'pdfcairo')"));
  Figure bad = small_figure();
  bad.layers[0].columns = {"a_x"};
  CHECK_THROWS(figure_script(bad));
}

TEST_CASE("plot: gnuplot renders PNG, SVG and PDF, and the script re-renders from the report directory", "[plot]") {
  const auto gp = find_gnuplot();
  if (!gp) {
    WARN("gnuplot not installed: rendering not tested (a render without gnuplot is)");
    check_render_without_gnuplot(small_figure());
    return;
  }
  TempDir t;
  const Figure f = small_figure();
  write_figure_sources(f, t.path.string());
  const RenderResult r = render_figures({f}, t.path.string(), *gp, {1});
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
  const RenderResult r2 = render_figures({f, broken}, t.path.string(), *gp, {1});
  CHECK(r2.failed == std::vector<std::string>{"broken"});
  CHECK(r2.rendered == std::vector<std::string>{"demo"});
}

TEST_CASE("plot: a gnuplot that cannot be started fails each figure, throws nothing, keeps the sources", "[plot]") {
  check_render_without_gnuplot(small_figure());
}

TEST_CASE("plot: --formats is auto or a list of png, svg and pdf", "[plot]") {
  CHECK(requested_formats("auto").empty());
  CHECK(requested_formats("svg,png,svg") == std::vector<std::string>{"svg", "png"});
  CHECK_THROWS_WITH(requested_formats("png,gif"), Catch::Contains("--formats: 'gif' is not png, svg or pdf"));
  CHECK_THROWS_WITH(requested_formats(""), Catch::Contains("names no format"));
}

TEST_CASE("plot: REGNET_GNUPLOT overrides the PATH lookup", "[plot]") {
  ::setenv("REGNET_GNUPLOT", "/nonexistent/gnuplot", 1);
  CHECK_FALSE(find_gnuplot().has_value());
  ::unsetenv("REGNET_GNUPLOT");
}

TEST_CASE("plot: user text stays text: backquotes, quotes, system() and line breaks run nothing", "[plot]") {
  TempDir t;
  const std::string marker = t / "pwned";
  Figure f = small_figure();
  f.title = "`touch " + marker + "1` $(touch " + marker + "2)";
  f.layers[0].title = "a'.system('touch " + marker + "3').'b";
  f.layers[1].title = "@GPVAL_PWD\n`touch " + marker + "4`";
  const std::string gp_text = figure_script(f);
  CHECK_THAT(gp_text, Catch::Contains("title 'a''.system(''touch "));
  CHECK_THAT(gp_text, Catch::Contains("title '@GPVAL_PWD `touch "));  // the line break is a space
  const auto gp = find_gnuplot();
  if (!gp) {
    WARN("gnuplot not installed: rendering not tested (a render without gnuplot is)");
    check_render_without_gnuplot(f);
    return;
  }
  write_figure_sources(f, t.path.string());
  const RenderResult r = render_figures({f}, t.path.string(), *gp, {1});
  CHECK(r.failed.empty());
  const std::string cmd = "cd '" + t.path.string() + "' && '" + *gp + "' figures/demo.gp >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  for (const char* k : {"1", "2", "3", "4"}) CHECK_FALSE(fs::exists(marker + k));
}

namespace {

// A scatter of n points in two layers: a dense figure when n > kDensePoints.
Figure scatter_figure(size_t n) {
  Figure f;
  f.name = "cloud";
  f.title = "cloud";
  Column x{"x", {}}, y{"y", {}};
  for (size_t i = 0; i < n; ++i) {
    x.values.push_back(1 + static_cast<double>(i % 97));
    y.values.push_back(10 + static_cast<double>((i * 37) % 101) / 10);
  }
  f.columns = {x, y};
  f.layers = {{"a", LayerStyle::points, {"x", "y"}, 0, 1}, {"fit", LayerStyle::lines, {"x", "y"}, 1, 2}};
  return f;
}

}  // namespace

TEST_CASE("plot: a dense figure is PNG only by default, all formats when asked, its raster removed", "[plot]") {
  const Figure small = scatter_figure(100), dense = scatter_figure(3000);
  CHECK_FALSE(is_dense(small));
  CHECK(is_dense(dense));
  CHECK(drawn_points(dense) == 6000);
  CHECK(figure_formats(small, {}) == std::vector<std::string>{"png", "svg", "pdf"});
  CHECK(figure_formats(dense, {}) == std::vector<std::string>{"png"});
  CHECK(figure_formats(dense, {"svg"}) == std::vector<std::string>{"svg"});
  CHECK_THAT(figure_script(dense), Catch::Contains("regnet_raster") && Catch::Contains("set lmargin at screen"));
  const auto gp = find_gnuplot();
  if (!gp) {
    WARN("gnuplot not installed: rendering not tested (a render without gnuplot is)");
    check_render_without_gnuplot(dense);
    return;
  }
  TempDir t;
  write_figure_sources(dense, t.path.string());
  const RenderResult r = render_figures({dense}, t.path.string(), *gp, {1});
  CHECK(r.rendered == std::vector<std::string>{"cloud"});
  CHECK(starts_with_bytes(t / "figures/cloud.png", "\x89PNG"));
  CHECK_FALSE(fs::exists(t / "figures/cloud.svg"));
  CHECK_FALSE(fs::exists(t / "figures/cloud.points.rgba"));
  const RenderResult all = render_figures({dense}, t.path.string(), *gp, {1, {"png", "svg", "pdf"}});
  CHECK_THAT(read_text_file(t / "figures/cloud.svg"), Catch::Contains("<svg"));
  // Re-running the script without analyze's raster draws every point itself.
  fs::remove(t / "figures/cloud.png");
  const std::string cmd = "cd '" + t.path.string() + "' && '" + *gp + "' figures/cloud.gp >/dev/null 2>&1";
  REQUIRE(std::system(cmd.c_str()) == 0);
  CHECK(starts_with_bytes(t / "figures/cloud.png", "\x89PNG"));
}

TEST_CASE("plot: a gnuplot that hangs is stopped at the timeout and reported", "[plot]") {
  TempDir t;
  const std::string fake = t / "gnuplot";
  write_file_atomic(fake, "#!/bin/sh\nexec sleep 600\n");
  fs::permissions(fake, fs::perms::owner_all);
  const Figure f = small_figure();
  write_figure_sources(f, t.path.string());
  const RenderResult r = render_figures({f}, t.path.string(), fake, {1, {}, 0.2});
  CHECK(r.timed_out);
  CHECK(r.failed == std::vector<std::string>{"demo"});
  ::setenv("REGNET_GNUPLOT_TIMEOUT", "soon", 1);
  CHECK_THROWS_WITH(gnuplot_timeout(), Catch::Contains("REGNET_GNUPLOT_TIMEOUT: 'soon' is not a positive number"));
  ::setenv("REGNET_GNUPLOT_TIMEOUT", "2.5", 1);
  CHECK(gnuplot_timeout() == 2.5);
  ::unsetenv("REGNET_GNUPLOT_TIMEOUT");
  CHECK(gnuplot_timeout() == 300);
}
