#include "core/stats/stats_json.hpp"

namespace regnet {

nlohmann::json to_json(const KsResult& r) { return {{"d", r.d}, {"p_value", r.p_value}, {"method", r.method}}; }

nlohmann::json to_json(const EdfCurve& c) { return {{"curve_x", c.x}, {"curve_y", c.y}}; }

nlohmann::json to_json(const BootstrapResult& r) {
  return {{"median", r.median}, {"lo", r.lo}, {"hi", r.hi}, {"resamples", r.resamples}};
}

nlohmann::json to_json(const Summary& s) {
  return {{"n", s.n}, {"min", s.min}, {"mean", s.mean}, {"median", s.median}, {"max", s.max}};
}

nlohmann::json to_json(const DifferenceBand& d) { return {{"estimate", d.estimate}, {"lo", d.lo}, {"hi", d.hi}}; }

nlohmann::json to_json(const SampleDifferences& d) {
  nlohmann::json best = nlohmann::json::array();
  for (const auto& b : d.expected_best) best.push_back(to_json(b));
  return {{"mean", to_json(d.mean)},
          {"median", to_json(d.median)},
          {"m", d.m},
          {"expected_best", best},
          {"resamples", d.resamples}};
}

nlohmann::json to_json(const KsPower& p) {
  return {{"needed", p.needed}, {"largest", p.largest}, {"n", p.n}, {"power", p.power}, {"repetitions", p.repetitions}};
}

nlohmann::json to_json(const RankCorrelation& r) {
  return {{"statistic", r.statistic}, {"p_value", r.p_value}, {"method", r.method}};
}

nlohmann::json to_json(const NdsNormalization& n) {
  return {{"bins", n.bins},
          {"bins_auto", n.bins_auto},
          {"range", {n.range.lo, n.range.hi}},
          {"range_auto", n.range_auto},
          {"bin_spacing", n.log_bins ? "log" : "linear"},
          {"edges", n.edges}};
}

}  // namespace regnet
