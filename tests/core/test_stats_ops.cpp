// The hidden `stats` command's operations: inputs parsed from text, one table of operations,
// batches in which a failing operation becomes an error entry.
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/stats/rank_correlation.hpp"
#include "core/stats/sequential_test.hpp"
#include "stats_ops.hpp"

using namespace regnet;

TEST_CASE("stats ops: every operation by name, unknown names and missing inputs are user errors", "[stats]") {
  CHECK(stats_operations() == std::vector<std::string>{"ks", "kstwo", "edf", "nds", "bootstrap", "difference",
                                                       "ks-power", "best-of", "summary", "fit-bench", "sequential",
                                                       "three-way", "spearman", "kendall"});
  const auto diff = run_stats_op("difference", {{"a", {1, 2, 3, 4}}, {"b", {3, 4, 5, 6}}, {"resamples", 200}});
  CHECK(diff["mean"]["estimate"] == 2.0);
  CHECK(diff["m"] == std::vector<int>{1, 2, 4});
  const auto pw = run_stats_op("ks-power", {{"a", {1, 2, 3, 4}}, {"b", {11, 12, 13}}, {"resamples", 50}});
  CHECK(pw["needed"] == 8);
  const auto ks = run_stats_op("ks", {{"a", {1, 2, 3}}, {"b", {4, 5, 6}}});
  CHECK(ks["d"] == 1.0);
  CHECK(ks["p_value"].get<double>() == Approx(0.1));
  CHECK(ks["method"] == "exact");
  CHECK(run_stats_op("ks", {{"a", {1, 2}}, {"b", {3}}, {"wa", {1, 0}}, {"wb", {1}}})["method"] == "effective-n");
  CHECK(run_stats_op("kstwo", {{"n", 1}, {"d", 0.7}})["sf"].get<double>() == Approx(0.6));
  CHECK(run_stats_op("edf", {{"a", {3, 1, 2}}, {"at", {2}}})["edf"] == std::vector<double>{1.0 / 3});
  const auto nds = run_stats_op("nds", {{"a", {380, 362, 399, 371}}, {"bins", 2}, {"errors", {40, 38, 36, 39}}});
  CHECK(nds["samples"][0]["bin"] == std::vector<int>{0, 0, 1, 0});  // edges 362, 380.5, 399
  CHECK(nds["samples"][0]["curve_y"].back().get<double>() == Approx(1.0));
  // Two samples over their shared range [370, 390]: the models outside weigh 0.
  const auto two = run_stats_op("nds", {{"complexity", {{360, 370, 380, 390}, {370, 375, 385, 400}}},
                                        {"errors", {{4, 3, 2, 1}, {4, 3, 2, 1}}},
                                        {"bins", 2}});
  CHECK(two["range"] == std::vector<double>{370, 390});
  CHECK(two["samples"][0]["bin"] == std::vector<int>{-1, 0, 1, 1});
  CHECK(two["samples"][1]["weights"] == std::vector<double>{0.25, 0.25, 0.5, 0});
  CHECK(two["samples"][1]["outside"] == 1);
  CHECK(two["ks"][0]["d"].get<double>() == Approx(0.25));  // at e = 1 and e = 3
  CHECK_THROWS_WITH(run_stats_op("nds", {{"a", {1, 2}}, {"b", {3, 4}}}), Catch::Contains("do not overlap"));
  const auto b =
      run_stats_op("bootstrap", {{"x", {1, 2, 3, 4}}, {"errors", {9, 7, 6, 8}}, {"resamples", 100}, {"fraction", 1.0}});
  CHECK(b["resamples"] == 100);
  CHECK(run_stats_op("best-of", {{"a", {30, 31, 35, 40}}, {"m", {1}}})["expected_best"][0] == 34.0);
  CHECK(run_stats_op("summary", {{"a", {30, 31, 35, 40}}})["median"] == 33.0);
  const auto bench = run_stats_op("fit-bench", {{"models", 2}, {"seed", 1}});
  CHECK(bench["models"] == 2);
  CHECK(bench["exact_recovered"] == 1);  // the noise-free input is recovered exactly

  CHECK_THROWS_WITH(run_stats_op("nope", nlohmann::json::object()), "stats: unknown operation 'nope'");
  CHECK_THROWS_WITH(run_stats_op("summary", nlohmann::json::object()), "--a: required for 'summary'");
  CHECK_THROWS_WITH(run_stats_op("best-of", {{"a", {1}}, {"m", {1.5}}}), "--m: 1.500000 is not an integer");
  CHECK_THROWS_WITH(run_stats_op("fit-bench", {{"models", 0}}), "--models: 0 must be >= 1");
}

TEST_CASE("stats ops: a batch runs every operation, a failing one becomes an error entry", "[stats]") {
  const nlohmann::json list = nlohmann::json::parse(R"([{"op": "summary", "a": [1, 3]}, {"op": "nope"}, {"a": [1]}])");
  const auto out = run_stats_batch(list, "b.json");
  REQUIRE(out.size() == 3);
  CHECK(out[0]["mean"] == 2.0);
  CHECK(out[1]["error"] == "stats: unknown operation 'nope'");
  CHECK_THAT(out[2]["error"].get<std::string>(), Catch::Contains("b.json[2]") && Catch::Contains("op"));
  CHECK_THROWS_WITH(run_stats_batch(nlohmann::json::object(), "b.json"), "b.json: expected a JSON array of operations");
}

TEST_CASE("stats ops: sequential, spearman and kendall run by name", "[stats]") {
  const auto& ops = stats_operations();
  for (const char* name : {"sequential", "spearman", "kendall", "ks"})
    CHECK(std::find(ops.begin(), ops.end(), name) != ops.end());
  const std::vector<double> a{1, 2, 3, 4, 5, 6, 7, 8}, b{2.5, 11, 12, 13, 14, 15, 16, 17};
  const nlohmann::json j = run_stats_op("sequential", {{"a", a}, {"b", b}, {"looks", {4, 8}}, {"alpha", 0.05}});
  SequentialDesign d;
  d.looks = {4, 8};
  const SequentialOutcome o = sequential_ks(a, b, d);
  CHECK(j["status"] == to_string(o.status));
  CHECK(j["decided_at"] == o.decided_at);
  REQUIRE(j["looks"].size() == o.looks.size());
  CHECK(j["looks"][0]["d"] == o.looks[0].d);
  CHECK(j["verdict"] == verdict(o));
  CHECK(j["table"] == looks_table(o));
  const nlohmann::json s = run_stats_op("spearman", {{"x", a}, {"y", b}});
  CHECK(s["statistic"] == spearman(a, b).statistic);
  CHECK(s["p_value"] == spearman(a, b).p_value);
  CHECK(run_stats_op("kendall", {{"x", a}, {"y", b}})["method"] == "exact");
  CHECK_THROWS_WITH(run_stats_op("sequential", {{"a", a}, {"b", b}}), "--looks: required for 'sequential'");
  CHECK_THROWS_WITH(run_stats_op("sequential", {{"a", a}, {"b", b}, {"looks", {8, 4}}}),
                    Catch::Contains("looks must increase"));
  CHECK_THROWS_WITH(run_stats_op("spearman", {{"x", a}}), "--y: required for 'spearman'");
}
TEST_CASE("stats ops: three-way runs the three-outcome test by name", "[stats_ops]") {
  const nlohmann::json in = {{"op", "three-way"},
                             {"a", {30.0, 30.1, 29.9, 30.2, 29.8, 30.05, 29.95, 30.15}},
                             {"b", {30.1, 30.0, 29.85, 30.2, 29.9, 30.1, 30.0, 29.95}},
                             {"looks", {5, 8}},
                             {"margin", 1.0}};
  const nlohmann::json out = run_stats_batch(nlohmann::json::array({in}), "batch.json");
  REQUIRE(out.size() == 1);
  CHECK(out[0]["status"] == "equivalent");
  CHECK(out[0]["verdict"].get<std::string>().rfind("equivalent within 1.0 at look 1 (n = 5): shift ", 0) == 0);
  CHECK(out[0]["table"].get<std::string>().find("interval (90%)") != std::string::npos);
  nlohmann::json bad = in;
  bad["non_inferior"] = "c";
  CHECK(run_stats_batch(nlohmann::json::array({bad}), "batch.json")[0]["error"].get<std::string>().find(
            "--non-inferior: 'c': a or b") != std::string::npos);
  bad.erase("non_inferior");
  bad.erase("margin");
  CHECK(run_stats_batch(nlohmann::json::array({bad}), "batch.json")[0]["error"].get<std::string>().find(
            "--margin: required") != std::string::npos);
}
