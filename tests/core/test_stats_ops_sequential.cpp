// The stats operations of the sequential comparison: `stats sequential` is sequential_ks on plain
// lists, `stats spearman` / `stats kendall` the rank correlations, all run by name.
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/stats/rank_correlation.hpp"
#include "core/stats/sequential_test.hpp"
#include "stats_ops.hpp"
#include "stats_ops_sequential.hpp"

using namespace regnet;

TEST_CASE("stats ops: sequential, spearman and kendall run by name", "[stats_ops_sequential]") {
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

TEST_CASE("stats ops: the sequential table holds its operations, each the same as by name", "[stats_ops_sequential]") {
  const auto& table = sequential_stats_operations();
  std::vector<std::string> names;
  for (const auto& op : table) names.emplace_back(op.name);
  CHECK(names == std::vector<std::string>{"sequential", "three-way", "spearman", "kendall"});
  const std::vector<double> x{3.1, 1.2, 4.4, 1.5, 5.9, 2.6, 5.3, 5.8}, y{2.7, 1.8, 2.8, 1.8, 4.5, 9.0, 4.5, 2.3};
  const nlohmann::json xy{{"x", x}, {"y", y}},
      ab{{"a", x}, {"b", y}, {"looks", {4, 8}}, {"spending", "obf"}, {"seed", 3}};
  for (const auto& op : table) {
    INFO(op.name);
    nlohmann::json abm = ab;
    abm["margin"] = 1.0;
    const std::string name = op.name;
    const nlohmann::json& in = name == "sequential" ? ab : name == "three-way" ? abm : xy;
    CHECK(op.run(in) == run_stats_op(op.name, in));
  }
  // The correlations are the library's (tests/cli/rank_vs_scipy.sh checks those against scipy).
  CHECK(table[2].run(xy)["statistic"] == spearman(x, y).statistic);
  CHECK(table[3].run(xy)["p_value"] == kendall(x, y).p_value);
  CHECK(table[0].run(ab)["status"] != "continuing");  // 8 models each reach both looks
  CHECK_THROWS_WITH(table[0].run({{"a", x}, {"looks", {4, 8}}}), "--b: required for 'sequential'");
  CHECK_THROWS_WITH(table[3].run({{"y", y}}), "--x: required for 'kendall'");
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
