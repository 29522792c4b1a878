// The figures of an analysis: EDFs, parameters with bootstrap bands, widths, random search, trends.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cmath>
#include <stdexcept>

#include "core/report/analysis_figures.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

TEST_CASE("report: figures of an analysis: EDFs, parameters with bootstrap bands, widths, random search, trends",
          "[report]") {
  TempDir t;
  const Analysis a = two_regnet_sweeps(t);
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
  // The EDFs: each sweep's DKW band first (under the curves), then the curves.
  const Figure& edf = figs[0];
  REQUIRE(edf.layers.size() == 4);
  CHECK(edf.layers[0].style == LayerStyle::band_y);
  CHECK(edf.layers[1].style == LayerStyle::band_y);
  const Layer& curve = edf.layers[2];
  CHECK(curve.style == LayerStyle::steps);
  CHECK(curve.title == "xa 40|" + std::to_string(a.sweeps[0].error.min).substr(0, 5) + "|" +
                           std::to_string(a.sweeps[0].error.mean).substr(0, 5));
  CHECK(curve.color == 0);
  CHECK(edf.layers[3].color == 1);
  auto column = [](const Figure& f, const std::string& name) -> const Column& {
    for (const auto& c : f.columns)
      if (c.name == name) return c;
    throw std::runtime_error("no column " + name);
  };
  CHECK(column(edf, "xa_error").values.size() == a.sweeps[0].edf.x.size() + 1);  // starts at F = 0
  CHECK(column(edf, "xa_F").values.front() == 0.0);
  // The band is F +- epsilon (DKW at n = 40), clipped to [0, 1], held from each step to the next.
  const double eps = std::sqrt(std::log(2 / 0.05) / (2 * 40));
  CHECK(a.sweeps[0].edf_band == Approx(eps));
  const auto& hi = column(edf, "xa_band_hi").values;
  const auto& lo = column(edf, "xa_band_lo").values;
  CHECK(hi.front() == Approx(eps));
  CHECK(lo.front() == 0.0);
  CHECK(hi.back() == 1.0);
  CHECK(lo.back() == Approx(1 - eps));
  CHECK(column(edf, "xa_band_x").values.size() == 2 * a.sweeps[0].edf.x.size() + 1);
  CHECK_THAT(edf.caption, Catch::Contains("Dvoretzky-Kiefer-Wolfowitz"));
  const auto d = std::find_if(figs.begin(), figs.end(), [](const Figure& f) { return f.name == "error_vs_d"; });
  const auto band =
      std::find_if(d->columns.begin(), d->columns.end(), [](const Column& c) { return c.name == "xa_best_median"; });
  REQUIRE(band != d->columns.end());
  CHECK(std::fabs(band->values[0] - 20) <= 2);
}
