// The statistics' result values as JSON (what `stats` prints): every field, by name.
#include <catch2/catch.hpp>

#include "core/stats/stats_json.hpp"

using namespace regnet;

TEST_CASE("stats json: results keep every field under its name", "[stats_json]") {
  CHECK(to_json(KsResult{0.5, 0.25, "exact"}) == nlohmann::json{{"d", 0.5}, {"p_value", 0.25}, {"method", "exact"}});
  CHECK(to_json(EdfCurve{{1, 2}, {0.5, 1}}) == nlohmann::json{{"curve_x", {1, 2}}, {"curve_y", {0.5, 1}}});
  CHECK(to_json(BootstrapResult{2, 1, 3, 100})["resamples"] == 100);
  CHECK(to_json(Summary{3, 1, 2, 2, 3}) ==
        nlohmann::json{{"n", 3}, {"min", 1.0}, {"mean", 2.0}, {"median", 2.0}, {"max", 3.0}});
  SampleDifferences d;
  d.mean = {1, 0.5, 1.5};
  d.m = {1, 2};
  d.expected_best = {{1, 0, 2}, {0.5, 0, 1}};
  const auto j = to_json(d);
  CHECK(j["mean"] == nlohmann::json{{"estimate", 1.0}, {"lo", 0.5}, {"hi", 1.5}});
  CHECK(j["expected_best"].size() == 2);
  CHECK(j["expected_best"][1]["estimate"] == 0.5);
  CHECK(to_json(RankCorrelation{0.5, 0.1, "t"})["statistic"] == 0.5);
  KsPower p;
  p.n = {8, 11};
  p.needed = 11;
  CHECK(to_json(p)["n"] == std::vector<int>{8, 11});
  CHECK(to_json(p)["needed"] == 11);
}

TEST_CASE("stats json: an NDS normalization says how its range and bins were chosen", "[stats_json]") {
  NdsNormalization n;
  n.bins = 2;
  n.bins_auto = true;
  n.range = {1, 3};
  n.log_bins = true;
  n.edges = {1, 2, 3};
  const auto j = to_json(n);
  CHECK(j["range"] == std::vector<double>{1, 3});
  CHECK(j["bin_spacing"] == "log");
  CHECK(j["bins_auto"] == true);
  CHECK(j["range_auto"] == false);
  CHECK(j["edges"].size() == 3);
}
