// to_json(Analysis): summary.json and `analyze --json`. Non-finite numbers become null.
#include <cmath>

#include "core/report/analysis.hpp"

namespace regnet {

namespace {

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json ks_json(const KsResult& k) { return {{"d", num(k.d)}, {"p_value", num(k.p_value)}}; }

nlohmann::json bootstrap_json(const BootstrapResult& b) {
  return {{"median", num(b.median)}, {"lo", num(b.lo)}, {"hi", num(b.hi)}, {"resamples", b.resamples}};
}

nlohmann::json fit_json(const std::optional<ModelWidthFit>& f) {
  if (!f) return nullptr;
  return {
      {"id", f->id},          {"error", num(f->error)}, {"widths", f->widths},        {"w0", num(f->fit.w0)},
      {"wa", num(f->fit.wa)}, {"wm", num(f->fit.wm)},   {"e_fit", num(f->fit.e_fit)}, {"predicted", f->fit.predicted}};
}

nlohmann::json normalization_json(const Analysis& a) {
  if (a.normalization == Normalization::none) return nullptr;
  nlohmann::json outside = nlohmann::json::object();
  for (const auto& s : a.sweeps)
    if (!s.models.empty()) outside[s.name] = s.outside_range;
  return {{"by", to_string(a.normalization)},
          {"bins", a.bins},
          {"auto", a.bins_auto},
          {"range", {num(a.range.lo), num(a.range.hi)}},
          {"range_auto", a.range_auto},
          {"bin_spacing", a.log_bins ? "log" : "linear"},
          {"edges", a.bin_edges},
          {"outside_range", outside}};
}

nlohmann::json band_json(const DifferenceBand& d) {
  return {{"estimate", num(d.estimate)}, {"lo", num(d.lo)}, {"hi", num(d.hi)}};
}

nlohmann::json power_json(const KsPower& p) {
  return {{"alpha", p.alpha},
          {"target", p.target},
          {"repetitions", p.repetitions},
          {"models_per_space", p.needed > 0 ? nlohmann::json(p.needed) : nlohmann::json(nullptr)},
          {"more_than", p.needed > 0 ? nlohmann::json(nullptr) : nlohmann::json(p.largest)},
          {"n", p.n},
          {"power", p.power}};
}

// Per pair: KS, the bootstrap intervals of the differences (b - a) and the KS power.
nlohmann::json pair_json(const Analysis& a, const PairAnalysis& p) {
  const SampleDifferences& d = p.difference;
  nlohmann::json best = nlohmann::json::array();
  for (size_t k = 0; k < d.m.size(); ++k) {
    auto e = band_json(d.expected_best[k]);
    e["m"] = d.m[k];
    best.push_back(e);
  }
  nlohmann::json j{{"a", a.sweeps[p.a].name},        {"b", a.sweeps[p.b].name},
                   {"difference", "b - a"},          {"resamples", d.resamples},
                   {"mean", band_json(d.mean)},      {"median", band_json(d.median)},
                   {"expected_best", best},          {"ks", ks_json(a.ks.plain[p.a][p.b])},
                   {"ks_power", power_json(p.power)}};
  if (!a.ks.normalized.empty()) j["normalized_ks"] = ks_json(a.ks.normalized[p.a][p.b]);
  return j;
}

// Error summary, random search, best values and fits of a sweep with finished models.
void add_results(const SweepAnalysis& s, nlohmann::json& sj) {
  sj["error"] = {{"n", s.error.n},
                 {"min", num(s.error.min)},
                 {"mean", num(s.error.mean)},
                 {"median", num(s.error.median)},
                 {"max", num(s.error.max)}};
  sj["median_flops_mf"] = num(s.median_flops);
  sj["edf_band"] = {{"method", "DKW"}, {"epsilon", num(s.edf_band)}};
  if (!s.weights.empty())
    sj["normalized"] = {{"in_range", s.error.n - s.outside_range},
                        {"outside_range", s.outside_range},
                        {"edf_band", {{"method", "DKW at Kish effective n"}, {"epsilon", num(s.normalized_edf_band)}}}};
  nlohmann::json rs = nlohmann::json::array();
  for (size_t i = 0; i < s.best_of_m.size(); ++i)
    rs.push_back({{"m", s.best_of_m[i]}, {"expected_best", num(s.expected_best[i])}});
  sj["random_search"] = rs;
  nlohmann::json bv = nlohmann::json::object();
  for (const auto& b : s.bootstrap) {
    auto bj = bootstrap_json(b.best);
    bj["constant"] = b.constant;
    bv[b.parameter.key] = bj;
  }
  sj["best_values"] = bv;
  sj["best_model"] = fit_json(s.best);
  sj["worst_model"] = fit_json(s.worst);
}

nlohmann::json sweep_json(const SweepAnalysis& s) {
  nlohmann::json sj{{"name", s.name},
                    {"dir", s.dir},
                    {"dataset", s.dataset},
                    {"samples", s.counts.samples},
                    {"done", s.counts.done},
                    {"diverged", s.counts.diverged},
                    {"failed", s.counts.failed},
                    {"missing", s.counts.missing}};
  if (s.models.empty())
    sj["error"] = nullptr;
  else
    add_results(s, sj);
  return sj;
}

// One entry per unordered pair.
nlohmann::json ks_pairs_json(const KsTable& t) {
  nlohmann::json ks = nlohmann::json::array();
  for (size_t i = 0; i < t.names.size(); ++i)
    for (size_t k = i + 1; k < t.names.size(); ++k) {
      nlohmann::json e{{"a", t.names[i]}, {"b", t.names[k]}};
      e.update(ks_json(t.plain[i][k]));
      if (!t.normalized.empty()) e["normalized"] = ks_json(t.normalized[i][k]);
      ks.push_back(e);
    }
  return ks;
}

nlohmann::json trend_json(const RegimeTrend& t) {
  nlohmann::json pts = nlohmann::json::array();
  for (size_t i = 0; i < t.sweeps.size(); ++i) {
    auto p = bootstrap_json(t.best[i]);
    p["sweep"] = t.sweeps[i];
    p["flops_mf"] = num(t.flops[i]);
    pts.push_back(p);
  }
  return {{"parameter", t.parameter.key}, {"points", pts}};
}

}  // namespace

nlohmann::json to_json(const Analysis& a) {
  nlohmann::json j;
  j["metric"] = to_string(a.metric);
  j["normalization"] = normalization_json(a);
  j["bootstrap"] = {{"resamples", a.resamples}, {"fraction", a.fraction}, {"seed", a.seed}};
  j["sweeps"] = nlohmann::json::array();
  for (const auto& s : a.sweeps) j["sweeps"].push_back(sweep_json(s));
  j["edf_bands"] = {{"method", "DKW"}, {"level", 1 - a.alpha}};
  j["ks"] = ks_pairs_json(a.ks);
  j["pairs"] = nlohmann::json::array();
  for (const auto& p : a.pairs) j["pairs"].push_back(pair_json(a, p));
  j["trends"] = nlohmann::json::array();
  for (const auto& t : a.trends) j["trends"].push_back(trend_json(t));
  // The refine directories' records (docs/refine.md): the chain, each step's verdicts, the trainings.
  if (!a.refines.empty()) {
    j["refinements"] = nlohmann::json::array();
    for (const auto& r : a.refines)
      j["refinements"].push_back({{"dir", r.dir}, {"refine", r.json}, {"explorations", r.explorations}});
  }
  j["warnings"] = a.warnings;
  return j;
}

}  // namespace regnet
