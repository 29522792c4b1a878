#include "core/report/analysis_figures.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "core/base/text.hpp"
#include "core/report/audit_figures.hpp"
#include "core/report/compare_report.hpp"
#include "core/report/refine_report.hpp"
#include "core/report/report_text.hpp"

namespace regnet {

std::vector<std::string> sweep_slugs(const Analysis& a) {
  std::vector<std::string> out;
  std::set<std::string> used;
  for (const auto& s : a.sweeps) {
    std::string base = slug(s.name), name = base;
    for (int k = 2; used.count(name); ++k) name = base + "_" + std::to_string(k);
    used.insert(name);
    out.push_back(name);
  }
  return out;
}

std::string parameter_figure_name(const std::string& key) { return "error_vs_" + key; }

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

bool use_log(bool wanted, double lo, double hi) { return wanted && lo > 0 && hi / lo >= 4; }

// --- Error EDFs -----------------------------------------------------------------------------

std::string edf_legend(const SweepAnalysis& s) {
  return s.name + " " + std::to_string(s.error.n) + "|" + fixed_or_na(s.error.min, 2) + "|" +
         fixed_or_na(s.error.mean, 2);
}

Figure edf_frame(const Analysis& a, bool normalized) {
  Figure f;
  const std::string by = to_string(a.normalization), metric = metric_label(a.metric);
  f.name = normalized ? "edf_normalized" : "edf";
  f.title = normalized ? "Normalized error EDFs (by " + by + ", K = " + std::to_string(a.bins) + "; " + metric + ")"
                       : "Error EDFs (" + metric + ")";
  f.xlabel = "error (%)";
  f.ylabel = "cumulative prob.";
  f.yrange = std::make_pair(0.0, 1.0);
  f.key = "bottom right";
  const std::string level = fixed(100 * (1 - a.alpha), 0) + "%";
  f.caption =
      normalized
          ? "Complexity-normalized EDFs (NDS) " + normalization_text(a) +
                ", each bin of equal total weight; the models outside the range are left out. Shaded: " + level +
                " DKW band at each sweep's effective sample size (Kish), approximate. Legend: name n|min|mean "
                "error of the sweep."
          : "F(e): fraction of models with error below e. Shaded: " + level +
                " simultaneous confidence band of each EDF (Dvoretzky-Kiefer-Wolfowitz, F +- sqrt(ln(2/alpha)/2n)). "
                "Legend: name n|min|mean error (the mean is the area above the curve).";
  return f;
}

// The band F +- epsilon (clipped to [0, 1]) as a staircase: each step's value held until the
// next x, as gnuplot's `steps` draws the EDF.
void add_edf_band(Figure& f, const EdfCurve& c, double epsilon, const std::string& prefix, int color) {
  Column x{prefix + "_band_x", {}}, lo{prefix + "_band_lo", {}}, hi{prefix + "_band_hi", {}};
  auto point = [&](double at, double y) {
    x.values.push_back(at);
    lo.values.push_back(std::max(0.0, y - epsilon));
    hi.values.push_back(std::min(1.0, y + epsilon));
  };
  point(c.x.front(), 0.0);
  for (size_t k = 0; k < c.x.size(); ++k) {
    point(c.x[k], k == 0 ? 0.0 : c.y[k - 1]);
    point(c.x[k], c.y[k]);
  }
  f.layers.push_back({"", LayerStyle::band_y, {x.name, lo.name, hi.name}, color, 1});
  for (auto* col : {&x, &lo, &hi}) f.columns.push_back(std::move(*col));
}

// Each sweep's EDF as a staircase over its DKW band; the bands are drawn first (under every
// curve), the curves' columns come first in the CSV.
Figure edf_figure(const Analysis& a, bool normalized) {
  const auto slugs = sweep_slugs(a);
  Figure f = edf_frame(a, normalized), bands;
  for (size_t i = 0; i < a.sweeps.size(); ++i) {
    const auto& s = a.sweeps[i];
    const EdfCurve& c = normalized ? s.normalized_edf : s.edf;
    if (s.models.empty() || c.x.empty()) continue;
    Column x{slugs[i] + "_error", {c.x.front()}}, y{slugs[i] + "_F", {0.0}};
    x.values.insert(x.values.end(), c.x.begin(), c.x.end());
    y.values.insert(y.values.end(), c.y.begin(), c.y.end());
    f.layers.push_back({edf_legend(s), LayerStyle::steps, {x.name, y.name}, static_cast<int>(i), 2.5});
    f.columns.push_back(std::move(x));
    f.columns.push_back(std::move(y));
    add_edf_band(bands, c, normalized ? s.normalized_edf_band : s.edf_band, slugs[i], static_cast<int>(i));
  }
  f.layers.insert(f.layers.begin(), bands.layers.begin(), bands.layers.end());
  f.columns.insert(f.columns.end(), bands.columns.begin(), bands.columns.end());
  return f;
}

// --- Error vs each parameter, with the bootstrap band ---------------------------------------

std::set<double> distinct_values(const Analysis& a, const Parameter& p) {
  std::set<double> values;
  for (const auto& s : a.sweeps)
    if (find_bootstrap(s, p.key))
      for (const auto& m : s.models) values.insert(*parameter_value(m, p.key));
  return values;
}

Figure parameter_frame(const Analysis& a, const Parameter& p) {
  Figure f;
  f.name = parameter_figure_name(p.key);
  f.title = "Error vs " + plain_label(p.label);
  f.xlabel = p.label;
  f.ylabel = "error (%)";
  f.key = "top right";
  f.headroom = 0.22;
  f.caption = "Each point is a model. Shaded: 95% interval of the best model's " + plain_label(p.label) +
              " under the empirical bootstrap (" + std::to_string(a.resamples) + " resamples of " +
              fixed(100 * a.fraction, 0) + "% of the models); dashed: its median, the most likely best value.";
  return f;
}

// Layers in drawing order: the bands below the points, the median lines on top.
struct ParameterLayers {
  std::vector<Layer> bands, points, lines;
};

// Sweep i's columns (its models' values and errors, its bootstrap band) and layers.
void add_sweep(Figure& f, ParameterLayers& layers, const SweepAnalysis& s, const ParameterBootstrap& b,
               const std::string& slug_name, int color) {
  const std::string& key = b.parameter.key;
  const std::string c = slug_name + "_";
  Column x{c + key, {}}, e{c + "error", {}};
  for (const auto& m : s.models) {
    x.values.push_back(*parameter_value(m, key));
    e.values.push_back(m.error);
  }
  f.columns.push_back(x);
  f.columns.push_back(e);
  f.columns.push_back({c + "best_lo", {b.best.lo}});
  f.columns.push_back({c + "best_hi", {b.best.hi}});
  f.columns.push_back({c + "best_median", {b.best.median}});
  f.columns.push_back({c + "error_min", {s.error.min}});
  f.columns.push_back({c + "error_max", {s.error.max}});
  layers.bands.push_back(
      {"", LayerStyle::band_x, {c + "best_lo", c + "best_hi", c + "error_min", c + "error_max"}, color, 1});
  layers.points.push_back({s.name, LayerStyle::points, {x.name, e.name}, color, 0.7});
  layers.lines.push_back({"", LayerStyle::vline, {c + "best_median", c + "error_min", c + "error_max"}, color, 2});
}

Figure parameter_figure(const Analysis& a, const Parameter& p, const std::vector<std::string>& slugs) {
  Figure f = parameter_frame(a, p);
  ParameterLayers layers;
  double lo = INFINITY, hi = -INFINITY;
  for (size_t i = 0; i < a.sweeps.size(); ++i) {
    const ParameterBootstrap* b = find_bootstrap(a.sweeps[i], p.key);
    if (!b) continue;
    add_sweep(f, layers, a.sweeps[i], *b, slugs[i], static_cast<int>(i));
    lo = std::min(lo, b->x_min);
    hi = std::max(hi, b->x_max);
  }
  f.logx = use_log(p.log_scale, lo, hi);
  for (auto* group : {&layers.bands, &layers.points, &layers.lines})
    f.layers.insert(f.layers.end(), group->begin(), group->end());
  return f;
}

// One figure per parameter that varies.
std::vector<Figure> parameter_figures(const Analysis& a) {
  const auto slugs = sweep_slugs(a);
  std::vector<Figure> out;
  for (const auto& p : parameters_of(a))
    if (distinct_values(a, p).size() > 1) out.push_back(parameter_figure(a, p, slugs));
  return out;
}

// --- Per-block widths of the best and worst models with their fits --------------------------

Figure widths_frame(const SweepAnalysis& s, const std::string& slug_name) {
  Figure f;
  f.name = "widths_" + slug_name;
  f.title = s.name + ": per-block widths of the best and worst models";
  f.xlabel = "block index j";
  f.ylabel = "width w_j";
  f.logy = true;
  f.key = "bottom right";
  f.caption =
      "Observed per-block widths (solid) with the fitted quantized linear widths (dashed) and the continuous "
      "line u_j = w0 + wa*j (dotted), fit by minimizing e_fit, the mean |log ratio| of predicted to observed widths.";
  return f;
}

// Observed widths in `color`; the fitted and continuous lines in `fit_color`.
void add_model(Figure& f, const ModelWidthFit& m, const std::string& which, int color, int fit_color) {
  Column j{which + "_j", {}}, w{which + "_w", {}}, fit{which + "_fit", {}}, u{which + "_u", {}};
  for (size_t k = 0; k < m.widths.size(); ++k) {
    j.values.push_back(static_cast<double>(k));
    w.values.push_back(m.widths[k]);
    fit.values.push_back(k < m.fit.predicted.size() ? m.fit.predicted[k] : kNaN);
    u.values.push_back(m.fit.w0 + m.fit.wa * static_cast<double>(k));
  }
  f.layers.push_back({which + " #" + std::to_string(m.id) + ": " + fixed_or_na(m.error, 2) + "% error",
                      LayerStyle::linespoints,
                      {j.name, w.name},
                      color,
                      2.5});
  if (!m.fit.predicted.empty()) {
    f.layers.push_back({"fit w0=" + value_text(m.fit.w0) + " wa=" + value_text(m.fit.wa) +
                            " wm=" + fixed_or_na(m.fit.wm, 3) + ", e_fit=" + fixed_or_na(m.fit.e_fit, 3),
                        LayerStyle::dashed,
                        {j.name, fit.name},
                        fit_color,
                        1.5});
    f.layers.push_back({"", LayerStyle::dotted, {j.name, u.name}, fit_color, 1.5});
  }
  for (auto* col : {&j, &w, &fit, &u}) f.columns.push_back(std::move(*col));
}

Figure widths_figure(const SweepAnalysis& s, const std::string& slug_name, int color) {
  Figure f = widths_frame(s, slug_name);
  // Observed widths in the sweep's color (worst: gray); fits in black (worst: dark gray) so that a
  // perfect fit (e_fit = 0) still shows on top of the observed line.
  if (s.best && !s.best->widths.empty()) add_model(f, *s.best, "best", color, -2);
  const bool same_model = s.best && s.worst && s.best->id == s.worst->id;
  if (s.worst && !s.worst->widths.empty() && !same_model) add_model(f, *s.worst, "worst", -1, -3);
  return f;
}

// --- Random-search efficiency ---------------------------------------------------------------

Figure random_search_figure(const Analysis& a) {
  const auto slugs = sweep_slugs(a);
  Figure f;
  f.name = "random_search";
  f.title = "Random search efficiency";
  f.xlabel = "m (models sampled at random)";
  f.ylabel = "expected best error (%)";
  f.key = "top right";
  f.settings.push_back("set logscale x 2");
  f.caption = "Expected minimum error among m models drawn at random from each sweep (exact, from order statistics).";
  for (size_t i = 0; i < a.sweeps.size(); ++i) {
    const auto& s = a.sweeps[i];
    if (s.best_of_m.empty()) continue;
    Column m{slugs[i] + "_m", {}}, e{slugs[i] + "_expected_best", s.expected_best};
    for (int v : s.best_of_m) m.values.push_back(v);
    f.layers.push_back({s.name, LayerStyle::linespoints, {m.name, e.name}, static_cast<int>(i), 2});
    f.columns.push_back(std::move(m));
    f.columns.push_back(std::move(e));
  }
  return f;
}

// --- Trends across regimes (Fig. 11) --------------------------------------------------------

// The x axis every trend figure shares: the regimes' median flops.
struct TrendAxis {
  bool logx = false;
  std::string xtics;   // a gnuplot setting, or ""
  std::string order;   // the sweeps by median flops, for the caption
  std::string narrow;  // a caption sentence when the regimes are too close to make a trend
};

TrendAxis trend_axis(const std::vector<const SweepAnalysis*>& regimes) {
  TrendAxis x;
  std::vector<std::string> names, ticks;
  for (const auto* s : regimes) {
    names.push_back(s->name);
    ticks.push_back(fixed_or_na(s->median_flops, 0));
  }
  const double flo = regimes.front()->median_flops, fhi = regimes.back()->median_flops;
  x.logx = use_log(true, flo, fhi);
  x.order = join(names, ", ");
  // On a log axis spanning less than a few decades gnuplot labels too few ticks: label the regimes.
  if (x.logx) x.xtics = "set xtics (" + join(ticks, ", ") + ")";
  if (fhi < 1.5 * flo)
    x.narrow =
        " The sweeps' median flops differ by less than 1.5x: they are one regime, and a trend needs sweeps of "
        "different flops.";
  return x;
}

Figure trend_frame(const std::string& name, const TrendAxis& x) {
  Figure f;
  f.name = name;
  f.xlabel = "flops (MF, median of each sweep)";
  f.logx = x.logx;
  return f;
}

Figure trend_error_figure(const std::vector<const SweepAnalysis*>& regimes, const TrendAxis& axis) {
  Figure f = trend_frame("trend_error", axis);
  f.title = "Error across regimes";
  f.ylabel = "error (%)";
  f.key = "top right";
  f.settings = {"set autoscale fix", "set offsets graph 0.08, graph 0.08, graph 0.12, graph 0.08", axis.xtics};
  f.caption =
      "Best, median and mean error of each sweep against its median flops (sweeps: " + axis.order + ")." + axis.narrow;
  Column x{"flops", {}}, mn{"error_min", {}}, md{"error_median", {}}, mean{"error_mean", {}};
  for (const auto* s : regimes) {
    x.values.push_back(s->median_flops);
    mn.values.push_back(s->error.min);
    md.values.push_back(s->error.median);
    mean.values.push_back(s->error.mean);
  }
  f.layers.push_back({"best", LayerStyle::linespoints, {"flops", "error_min"}, -2, 2});
  f.layers.push_back({"median", LayerStyle::linespoints, {"flops", "error_median"}, -3, 2});
  f.layers.push_back({"mean", LayerStyle::linespoints, {"flops", "error_mean"}, -1, 2});
  f.columns = {x, mn, md, mean};
  return f;
}

// One point per sweep in its own color, so the legend names the regimes.
void add_regime_points(Figure& f, const RegimeTrend& t, const std::vector<std::string>& slugs) {
  for (size_t k = 0; k < t.sweeps.size(); ++k) {
    const int i = t.sweep_index[k];
    const std::string c = slugs[static_cast<size_t>(i)] + "_";
    f.columns.push_back({c + "flops", {t.flops[k]}});
    f.columns.push_back({c + "best_median", {t.best[k].median}});
    f.columns.push_back({c + "best_lo", {t.best[k].lo}});
    f.columns.push_back({c + "best_hi", {t.best[k].hi}});
    f.layers.push_back(
        {t.sweeps[k], LayerStyle::errorlines, {c + "flops", c + "best_median", c + "best_lo", c + "best_hi"}, i, 2});
  }
}

// Empty (no layers) when the best value is the same everywhere: nothing to show.
Figure trend_figure(const RegimeTrend& t, const TrendAxis& axis, const std::vector<std::string>& slugs) {
  const std::string label = plain_label(t.parameter.label);
  Figure f = trend_frame("trend_" + t.parameter.key, axis);
  f.title = "Best " + label + " across regimes";
  f.ylabel = t.parameter.label;
  f.key = "top left";
  f.settings = {"set autoscale fix  # log axes would otherwise round out to whole decades",
                "set offsets graph 0.08, graph 0.08, graph 0.12, graph 0.08", axis.xtics};
  f.caption = "Bootstrap median and 95% interval of the best model's " + label +
              " in each sweep, against the sweep's median flops (Fig. 11)." + axis.narrow;
  Column x{"flops", t.flops}, med{"best_median", {}}, lo{"best_lo", {}}, hi{"best_hi", {}};
  for (const auto& b : t.best) {
    med.values.push_back(b.median);
    lo.values.push_back(b.lo);
    hi.values.push_back(b.hi);
  }
  const double ymin = *std::min_element(lo.values.begin(), lo.values.end());
  const double ymax = *std::max_element(hi.values.begin(), hi.values.end());
  if (ymin == ymax) return f;
  f.logy = use_log(t.parameter.log_scale, ymin, ymax);
  f.layers.push_back({"", LayerStyle::lines, {"flops", "best_median"}, -2, 1.5});
  f.columns = {x, med, lo, hi};
  add_regime_points(f, t, slugs);
  return f;
}

std::vector<Figure> trend_figures(const Analysis& a) {
  if (a.trends.empty()) return {};
  const auto sorted = regimes(a);
  const TrendAxis axis = trend_axis(sorted);
  const auto slugs = sweep_slugs(a);
  std::vector<Figure> out{trend_error_figure(sorted, axis)};
  for (const auto& t : a.trends)
    if (t.parameter.key != "flops") out.push_back(trend_figure(t, axis, slugs));  // flops is the x axis
  return out;
}

}  // namespace

std::vector<std::string> constant_parameters(const Analysis& a) {
  std::vector<std::string> out;
  for (const auto& p : parameters_of(a)) {
    const auto values = distinct_values(a, p);
    if (values.size() == 1) out.push_back(plain_label(p.label) + " = " + value_text(*values.begin()));
  }
  return out;
}

std::vector<Figure> analysis_figures(const Analysis& a) {
  std::vector<Figure> figs;
  figs.push_back(edf_figure(a, false));
  if (a.normalization != Normalization::none) figs.push_back(edf_figure(a, true));
  for (auto& f : parameter_figures(a)) figs.push_back(std::move(f));
  const auto slugs = sweep_slugs(a);
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    if (a.sweeps[i].best) figs.push_back(widths_figure(a.sweeps[i], slugs[i], static_cast<int>(i)));
  figs.push_back(random_search_figure(a));
  for (auto& f : trend_figures(a)) figs.push_back(std::move(f));
  for (auto& f : audit_figures(a)) figs.push_back(std::move(f));
  for (auto& f : compare_figures(a)) figs.push_back(std::move(f));
  for (auto& f : refine_figures(a)) figs.push_back(std::move(f));
  // A figure with no data would make gnuplot fail: leave it out.
  figs.erase(std::remove_if(figs.begin(), figs.end(), [](const Figure& f) { return f.layers.empty(); }), figs.end());
  return figs;
}

}  // namespace regnet
