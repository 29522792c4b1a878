// to_json(Analysis): summary.json and `analyze --json`. Non-finite numbers become null.
#include <cmath>

#include "core/analysis.hpp"

namespace regnet {

namespace {

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json ks_json(const KsResult& k) { return {{"d", num(k.d)}, {"p_value", num(k.p_value)}}; }

nlohmann::json bootstrap_json(const BootstrapResult& b) {
  return {{"median", num(b.median)}, {"lo", num(b.lo)}, {"hi", num(b.hi)}, {"resamples", b.resamples}};
}

nlohmann::json fit_json(const std::optional<ModelWidthFit>& f) {
  if (!f) return nullptr;
  return {{"id", f->id},         {"error", num(f->error)}, {"widths", f->widths},
          {"w0", num(f->fit.w0)}, {"wa", num(f->fit.wa)},  {"wm", num(f->fit.wm)},
          {"e_fit", num(f->fit.e_fit)}, {"predicted", f->fit.predicted}};
}

nlohmann::json normalization_json(const Analysis& a) {
  if (a.normalization == Normalization::none) return nullptr;
  return {{"by", to_string(a.normalization)}, {"bins", a.bins}, {"auto", a.bins_auto}};
}

// Error summary, random search, best values and fits of a sweep with finished models.
void add_results(const SweepAnalysis& s, nlohmann::json& sj) {
  sj["error"] = {{"n", s.error.n},
                 {"min", num(s.error.min)},
                 {"mean", num(s.error.mean)},
                 {"median", num(s.error.median)},
                 {"max", num(s.error.max)}};
  sj["median_flops_mf"] = num(s.median_flops);
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
  j["ks"] = ks_pairs_json(a.ks);
  j["trends"] = nlohmann::json::array();
  for (const auto& t : a.trends) j["trends"].push_back(trend_json(t));
  j["warnings"] = a.warnings;
  return j;
}

}  // namespace regnet
