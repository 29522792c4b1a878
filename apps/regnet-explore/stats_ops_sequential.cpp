#include "stats_ops_sequential.hpp"

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/stats/rank_correlation.hpp"
#include "core/stats/sequential_test.hpp"
#include "core/stats/three_way_test.hpp"

namespace regnet {

namespace {

std::vector<double> numbers(const nlohmann::json& in, const char* key, const char* op) {
  if (!in.contains(key)) fail("", std::string("--") + key, std::string("required for '") + op + "'");
  return get_double_array(in, key, std::string("stats ") + op);
}

SequentialDesign design_of(const nlohmann::json& in, const std::string& where, const char* op) {
  SequentialDesign d;
  d.looks.clear();
  for (double v : numbers(in, "looks", op)) d.looks.push_back(as_int(v, "--looks", where));
  d.alpha = get_double(in, "alpha", where, 0.05);
  d.spending = spending_from_string(get_string(in, "spending", where, "pocock"), "--spending");
  d.simulations = get_int(in, "simulations", where, d.simulations);
  d.seed = in.value("seed", std::uint64_t{1});
  return d;
}

// The three-outcome test of two lists: margin, and non_inferior "a" or "b" for a one-sided question.
nlohmann::json three_way(const nlohmann::json& in) {
  const std::string where = "stats three-way";
  const SequentialDesign d = design_of(in, where, "three-way");
  if (!in.contains("margin")) fail("", "--margin", "required for 'three-way'");
  ThreeWayQuestion q{get_double(in, "margin", where), 0};
  const std::string side = get_string(in, "non_inferior", where, "");
  if (side == "a" || side == "b")
    q.non_inferior = side == "a" ? 1 : -1;
  else if (!side.empty())
    fail("", "--non-inferior", "'" + printable(side) + "': a or b (the sample asked to be no worse)");
  const ThreeWayOutcome o = three_way_test(TrainedErrors{numbers(in, "a", "three-way"), false},
                                           TrainedErrors{numbers(in, "b", "three-way"), false}, d, q);
  nlohmann::json j = to_json(o);
  j["table"] = three_way_table(o);
  return j;
}

nlohmann::json sequential(const nlohmann::json& in) {
  const SequentialDesign d = design_of(in, "stats sequential", "sequential");
  const SequentialOutcome o = sequential_ks(numbers(in, "a", "sequential"), numbers(in, "b", "sequential"), d);
  nlohmann::json j = to_json(o);
  j["table"] = looks_table(o);
  return j;
}

nlohmann::json correlation(const RankCorrelation& r) {
  return {{"statistic", r.statistic}, {"p_value", r.p_value}, {"method", r.method}};
}

nlohmann::json spearman_op(const nlohmann::json& in) {
  return correlation(spearman(numbers(in, "x", "spearman"), numbers(in, "y", "spearman")));
}

nlohmann::json kendall_op(const nlohmann::json& in) {
  return correlation(kendall(numbers(in, "x", "kendall"), numbers(in, "y", "kendall")));
}

}  // namespace

const std::vector<StatsOperation>& sequential_stats_operations() {
  static const std::vector<StatsOperation> ops{
      {"sequential", sequential}, {"three-way", three_way}, {"spearman", spearman_op}, {"kendall", kendall_op}};
  return ops;
}

}  // namespace regnet
