#include "core/report/audit_figures.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/base/text.hpp"
#include "core/compare/audit.hpp"
#include "core/report/analysis_figures.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

namespace {

// "Spearman rho 0.91, Kendall tau 0.77 (n = 16)", or "" when there is too little to rank.
std::string correlation_text(const AuditPairs& p) {
  auto varies = [](const std::vector<double>& v) {
    return std::any_of(v.begin(), v.end(), [&](double x) { return x != v.front(); });
  };
  if (p.ids.size() < 3 || !varies(p.short_errors) || !varies(p.long_errors)) return "";
  return fmt::format(" Spearman rho {}, Kendall tau {} (n = {}).",
                     fixed(spearman(p.short_errors, p.long_errors).statistic, 2),
                     fixed(kendall(p.short_errors, p.long_errors).statistic, 2), p.ids.size());
}

Figure scatter(const SweepAnalysis& s, const AuditPairs& p, const std::string& slug, int color, ErrorMetric metric) {
  Figure f;
  f.name = "audit_" + slug;
  f.title = "Short vs long schedule: " + s.name + " (" + metric_label(metric) + ")";
  const nlohmann::json& rec = *audit_record(s.sweep_json, sweep_json_path(s.dir));
  const std::string longer = rec.value("schedule", nlohmann::json::object()).value("name", std::string("long"));
  f.xlabel = "error (%), short schedule " + rec.value("short_schedule", std::string());
  f.ylabel = "error (%), " + longer;
  f.key = "top left";
  f.caption = "Each point is one audited model, trained with the short schedule in its source sweep and again with " +
              longer +
              "; on the dashed line both give the same error. A faithful short schedule keeps the order "
              "(points rising left to right), whatever the offset." +
              correlation_text(p);
  const auto lo = std::min(*std::min_element(p.short_errors.begin(), p.short_errors.end()),
                           *std::min_element(p.long_errors.begin(), p.long_errors.end()));
  const auto hi = std::max(*std::max_element(p.short_errors.begin(), p.short_errors.end()),
                           *std::max_element(p.long_errors.begin(), p.long_errors.end()));
  f.columns = {
      {slug + "_short", p.short_errors}, {slug + "_long", p.long_errors}, {"same_x", {lo, hi}}, {"same_y", {lo, hi}}};
  f.layers.push_back({"", LayerStyle::dashed, {"same_x", "same_y"}, -1, 1.5});
  f.layers.push_back({s.name + " (" + plural(static_cast<long long>(p.ids.size()), "model") + ")",
                      LayerStyle::points,
                      {slug + "_short", slug + "_long"},
                      color,
                      1.5});
  return f;
}

}  // namespace

std::vector<Figure> audit_figures(const Analysis& a) {
  std::vector<Figure> figs;
  const auto slugs = sweep_slugs(a);
  for (size_t i = 0; i < a.sweeps.size(); ++i) {
    const SweepAnalysis& s = a.sweeps[i];
    if (!audit_record(s.sweep_json, sweep_json_path(s.dir))) continue;
    const AuditPairs p = audit_pairs(s.sweep_json, s.models, a.metric, sweep_json_path(s.dir));
    if (!p.ids.empty()) figs.push_back(scatter(s, p, slugs[i], static_cast<int>(i), a.metric));
  }
  return figs;
}

}  // namespace regnet
