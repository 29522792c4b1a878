#include "core/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/json_io.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string fmt(const char* f, double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

// Compact value: integers as integers, else 3 significant digits (4 for small ranges like wm).
std::string value_text(double v) {
  if (!std::isfinite(v)) return "n/a";
  if (std::fabs(v - std::round(v)) < 1e-9 && std::fabs(v) < 1e9) return fmt("%.0f", v);
  return fmt(std::fabs(v) < 10 ? "%.3g" : "%.4g", v);
}

std::string metric_text(ErrorMetric m) {
  return m == ErrorMetric::best ? "top-1 error, best epoch" : "top-1 error, final epoch";
}

// Axis labels use gnuplot's enhanced text ("w_0"); titles and HTML use the plain form.
std::string plain(const std::string& label) {
  std::string out;
  for (char c : label)
    if (c != '_') out += c;
  return out;
}

std::string html_label(const std::string& label) {
  std::string out;
  for (size_t i = 0; i < label.size(); ++i) {
    if (label[i] == '_' && i + 1 < label.size()) {
      out += "<sub>" + std::string(1, label[++i]) + "</sub>";
    } else if (label[i] == '<') {
      out += "&lt;";
    } else if (label[i] == '>') {
      out += "&gt;";
    } else if (label[i] == '&') {
      out += "&amp;";
    } else {
      out += label[i];
    }
  }
  return out;
}

// HTML text and attribute values (quotes are escaped only where they would end an attribute).
std::string esc(const std::string& s, bool attribute = false) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      default: out += c;
    }
  }
  return out;
}

// One unique column prefix per sweep (names may repeat or hold any character).
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

std::string edf_legend(const SweepAnalysis& s) {
  return s.name + " " + std::to_string(s.error.n) + "|" + fmt("%.2f", s.error.min) + "|" + fmt("%.2f", s.error.mean);
}

Figure edf_figure(const Analysis& a, bool normalized) {
  const auto slugs = sweep_slugs(a);
  Figure f;
  f.name = normalized ? "edf_normalized" : "edf";
  f.title = normalized ? "Normalized error EDFs (by " + to_string(a.normalization) + ", K = " + std::to_string(a.bins) +
                             "; " + metric_text(a.metric) + ")"
                       : "Error EDFs (" + metric_text(a.metric) + ")";
  f.xlabel = "error (%)";
  f.ylabel = "cumulative prob.";
  f.yrange = std::make_pair(0.0, 1.0);
  f.key = "bottom right";
  f.caption = normalized
                  ? "Complexity-normalized EDFs (NDS): the " + to_string(a.normalization) + " range of each sweep is split into " +
                        std::to_string(a.bins) + " linear bins of equal total weight. Legend: name n|min|mean error."
                  : "F(e): fraction of models with error below e. Legend: name n|min|mean error (the mean is the area "
                    "above the curve).";
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
  }
  return f;
}

bool use_log(bool wanted, double lo, double hi) { return wanted && lo > 0 && hi / lo >= 4; }

std::vector<Figure> parameter_figures(const Analysis& a, std::vector<std::string>* constant) {
  const auto slugs = sweep_slugs(a);
  std::map<int, Parameter> keys;
  for (const auto& s : a.sweeps)
    for (const auto& b : s.bootstrap) keys[parameter_order(b.parameter.key)] = b.parameter;
  std::vector<Figure> out;
  for (const auto& [order, p] : keys) {
    Figure f;
    f.name = "error_vs_" + p.key;
    f.title = "Error vs " + plain(p.label);
    f.xlabel = p.label;
    f.ylabel = "error (%)";
    f.key = "top right";
    f.settings.push_back("set offsets 0, 0, graph 0.22, 0  # headroom for the legend");
    f.caption = "Each point is a model. Shaded: 95% interval of the best model's " + plain(p.label) +
                " under the empirical bootstrap (" + std::to_string(a.resamples) + " resamples of " +
                fmt("%.0f", 100 * a.fraction) + "% of the models); dashed: its median, the most likely best value.";
    double lo = INFINITY, hi = -INFINITY;
    std::set<double> values;
    std::vector<Layer> bands, points, lines;
    for (size_t i = 0; i < a.sweeps.size(); ++i) {
      const auto& s = a.sweeps[i];
      auto it = std::find_if(s.bootstrap.begin(), s.bootstrap.end(),
                             [&](const ParameterBootstrap& b) { return b.parameter.key == p.key; });
      if (it == s.bootstrap.end()) continue;
      const std::string c = slugs[i] + "_";
      Column x{c + p.key, {}}, e{c + "error", {}};
      for (const auto& m : s.models) {
        const double v = *parameter_value(m, p.key);
        x.values.push_back(v);
        e.values.push_back(m.error);
        values.insert(v);
      }
      lo = std::min(lo, it->x_min);
      hi = std::max(hi, it->x_max);
      const double emin = s.error.min, emax = s.error.max;
      f.columns.push_back(x);
      f.columns.push_back(e);
      f.columns.push_back({c + "best_lo", {it->best.lo}});
      f.columns.push_back({c + "best_hi", {it->best.hi}});
      f.columns.push_back({c + "best_median", {it->best.median}});
      f.columns.push_back({c + "error_min", {emin}});
      f.columns.push_back({c + "error_max", {emax}});
      const int color = static_cast<int>(i);
      bands.push_back({"", LayerStyle::band_x, {c + "best_lo", c + "best_hi", c + "error_min", c + "error_max"}, color, 1});
      points.push_back({s.name, LayerStyle::points, {x.name, e.name}, color, 0.7});
      lines.push_back({"", LayerStyle::vline, {c + "best_median", c + "error_min", c + "error_max"}, color, 2});
    }
    if (values.size() <= 1) {
      if (!values.empty() && constant) constant->push_back(plain(p.label) + " = " + value_text(*values.begin()));
      continue;
    }
    f.logx = use_log(p.log_scale, lo, hi);
    for (auto* group : {&bands, &points, &lines}) f.layers.insert(f.layers.end(), group->begin(), group->end());
    out.push_back(std::move(f));
  }
  return out;
}

Figure widths_figure(const SweepAnalysis& s, const std::string& slug_name, int color) {
  Figure f;
  f.name = "widths_" + slug_name;
  f.title = s.name + ": per-block widths of the best and worst models";
  f.xlabel = "block index j";
  f.ylabel = "width w_j";
  f.logy = true;
  f.key = "bottom right";
  f.caption = "Observed per-block widths (solid) with the fitted quantized linear widths (dashed) and the continuous "
              "line u_j = w0 + wa*j (dotted), fit by minimizing e_fit, the mean |log ratio| of predicted to observed widths.";
  // Observed widths in the sweep's color (worst: gray); fits in black (worst: dark gray) so that a
  // perfect fit (e_fit = 0) still shows on top of the observed line.
  const struct { const std::optional<ModelWidthFit>& m; const char* which; int color, fit_color; } rows[] = {
      {s.best, "best", color, -2}, {s.worst, "worst", -1, -3}};
  for (const auto& r : rows) {
    if (!r.m || r.m->widths.empty()) continue;
    if (r.which == std::string("worst") && s.best && s.best->id == r.m->id) continue;  // one model
    const std::string c = r.which;
    Column j{c + "_j", {}}, w{c + "_w", {}}, fit{c + "_fit", {}}, u{c + "_u", {}};
    const auto& m = *r.m;
    for (size_t k = 0; k < m.widths.size(); ++k) {
      j.values.push_back(static_cast<double>(k));
      w.values.push_back(m.widths[k]);
      fit.values.push_back(k < m.fit.predicted.size() ? m.fit.predicted[k] : kNaN);
      u.values.push_back(m.fit.w0 + m.fit.wa * static_cast<double>(k));
    }
    f.layers.push_back({std::string(r.which) + " #" + std::to_string(m.id) + ": " + fmt("%.2f", m.error) + "% error",
                        LayerStyle::linespoints, {j.name, w.name}, r.color, 2.5});
    if (!m.fit.predicted.empty()) {
      f.layers.push_back({"fit w0=" + value_text(m.fit.w0) + " wa=" + value_text(m.fit.wa) + " wm=" + fmt("%.3f", m.fit.wm) +
                              ", e_fit=" + fmt("%.3f", m.fit.e_fit),
                          LayerStyle::dashed, {j.name, fit.name}, r.fit_color, 1.5});
      f.layers.push_back({"", LayerStyle::dotted, {j.name, u.name}, r.fit_color, 1.5});
    }
    for (auto* col : {&j, &w, &fit, &u}) f.columns.push_back(std::move(*col));
  }
  return f;
}

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

std::vector<Figure> trend_figures(const Analysis& a) {
  std::vector<Figure> out;
  if (a.trends.empty()) return out;
  std::vector<const SweepAnalysis*> regimes;
  for (const auto& s : a.sweeps)
    if (!s.models.empty()) regimes.push_back(&s);
  std::sort(regimes.begin(), regimes.end(),
            [](const SweepAnalysis* x, const SweepAnalysis* y) { return x->median_flops < y->median_flops; });
  std::string order;
  for (const auto* s : regimes) order += (order.empty() ? "" : ", ") + s->name;
  const double flo = regimes.front()->median_flops, fhi = regimes.back()->median_flops;
  const bool logx = use_log(true, flo, fhi);
  const auto slugs = sweep_slugs(a);
  // On a log axis spanning less than a few decades gnuplot labels too few ticks: label the regimes.
  std::string ticks;
  for (const auto* s : regimes) ticks += (ticks.empty() ? "" : ", ") + fmt("%.0f", s->median_flops);
  const std::string xtics = logx ? "set xtics (" + ticks + ")" : "";
  const std::string narrow = fhi < 1.5 * flo ? " The sweeps' median flops differ by less than 1.5x: they are one regime, "
                                               "and a trend needs sweeps of different flops."
                                             : "";
  {
    Figure f;
    f.name = "trend_error";
    f.title = "Error across regimes";
    f.xlabel = "flops (MF, median of each sweep)";
    f.ylabel = "error (%)";
    f.key = "top right";
    f.logx = logx;
    f.settings = {"set autoscale fix", "set offsets graph 0.08, graph 0.08, graph 0.12, graph 0.08", xtics};
    f.caption = "Best, median and mean error of each sweep against its median flops (sweeps: " + order + ")." + narrow;
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
    out.push_back(std::move(f));
  }
  for (const auto& t : a.trends) {
    if (t.parameter.key == "flops") continue;
    Figure f;
    f.name = "trend_" + t.parameter.key;
    f.title = "Best " + plain(t.parameter.label) + " across regimes";
    f.xlabel = "flops (MF, median of each sweep)";
    f.ylabel = t.parameter.label;
    f.key = "top left";
    f.logx = logx;
    f.settings = {"set autoscale fix  # log axes would otherwise round out to whole decades",
                  "set offsets graph 0.08, graph 0.08, graph 0.12, graph 0.08", xtics};
    f.caption = "Bootstrap median and 95% interval of the best model's " + plain(t.parameter.label) +
                " in each sweep, against the sweep's median flops (Fig. 11)." + narrow;
    Column x{"flops", t.flops}, med{"best_median", {}}, lo{"best_lo", {}}, hi{"best_hi", {}};
    double ymin = INFINITY, ymax = -INFINITY;
    for (const auto& b : t.best) {
      med.values.push_back(b.median);
      lo.values.push_back(b.lo);
      hi.values.push_back(b.hi);
      ymin = std::min(ymin, b.lo);
      ymax = std::max(ymax, b.hi);
    }
    f.logy = use_log(t.parameter.log_scale, ymin, ymax);
    if (ymin == ymax) continue;  // the same value everywhere: nothing to show
    f.layers.push_back({"", LayerStyle::lines, {"flops", "best_median"}, -2, 1.5});
    f.columns = {x, med, lo, hi};
    // One point per sweep in its own color, so the legend names the regimes.
    for (size_t k = 0; k < t.sweeps.size(); ++k) {
      const int i = t.sweep_index[k];
      const std::string c = slugs[static_cast<size_t>(i)] + "_";
      f.columns.push_back({c + "flops", {t.flops[k]}});
      f.columns.push_back({c + "best_median", {t.best[k].median}});
      f.columns.push_back({c + "best_lo", {t.best[k].lo}});
      f.columns.push_back({c + "best_hi", {t.best[k].hi}});
      f.layers.push_back({t.sweeps[k], LayerStyle::errorlines, {c + "flops", c + "best_median", c + "best_lo", c + "best_hi"}, i, 2});
    }
    out.push_back(std::move(f));
  }
  return out;
}

// A figure's rendered SVG, ready to inline: prolog dropped, ids made unique per figure.
std::string inline_svg(const std::string& path, const Figure& f) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return "";
  std::string svg = read_text_file(path);
  const size_t start = svg.find("<svg");
  if (start == std::string::npos) return "";
  svg = svg.substr(start);
  const std::string prefix = slug(f.name) + "-";
  for (const std::string id : {"gpPt", "gpDot", "gnuplot_canvas", "gnuplot_plot_", "gpBkg"}) {
    for (size_t pos = 0; (pos = svg.find(id, pos)) != std::string::npos; pos += prefix.size() + id.size())
      svg.insert(pos, prefix);
  }
  const std::string gtitle = "<title>Gnuplot</title>";
  const size_t t = svg.find(gtitle);
  if (t != std::string::npos) svg.replace(t, gtitle.size(), "<title>" + esc(f.title) + "</title>");
  return svg;
}

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;max-width:1280px;margin:0 auto;padding:16px 24px;line-height:1.4}
h1{font-size:1.6em;margin-bottom:0.2em}h2{margin-top:1.8em;border-bottom:1px solid #ddd;padding-bottom:4px}
.meta{color:#666;font-size:0.9em}
table{border-collapse:collapse;margin:8px 0 16px;font-size:0.92em}
th,td{border:1px solid #ddd;padding:3px 8px;text-align:right;white-space:nowrap}
th{background:#f4f4f4}td.l,th.l{text-align:left}
td.sig{background:#fde9e7}
.sw{display:inline-block;width:0.9em;height:0.9em;border-radius:2px;margin-right:6px;vertical-align:middle}
.notes{background:#fff8e1;border:1px solid #f0d98a;padding:8px 16px;border-radius:4px}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:20px}
figure{margin:0}figure svg{width:100%;height:auto;display:block}
figcaption{font-size:0.85em;color:#444}figcaption a{color:#06c}
.missing{border:1px dashed #bbb;padding:40px;text-align:center;color:#888}
pre{background:#f7f7f7;padding:8px;overflow:auto;font-size:0.82em;max-height:420px}
nav a{margin-right:12px}
)";

}  // namespace

std::vector<Figure> analysis_figures(const Analysis& a) {
  std::vector<Figure> figs;
  figs.push_back(edf_figure(a, false));
  if (a.normalization != Normalization::none) figs.push_back(edf_figure(a, true));
  for (auto& f : parameter_figures(a, nullptr)) figs.push_back(std::move(f));
  const auto slugs = sweep_slugs(a);
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    if (a.sweeps[i].best) figs.push_back(widths_figure(a.sweeps[i], slugs[i], static_cast<int>(i)));
  figs.push_back(random_search_figure(a));
  for (auto& f : trend_figures(a)) figs.push_back(std::move(f));
  // A figure with no data would make gnuplot fail: leave it out.
  figs.erase(std::remove_if(figs.begin(), figs.end(), [](const Figure& f) { return f.layers.empty(); }), figs.end());
  return figs;
}

std::string html_report(const Analysis& a, const std::vector<Figure>& figures, const std::string& out_dir,
                        const std::vector<std::string>& notes) {
  std::map<std::string, const Figure*> by_name;
  for (const auto& f : figures) by_name[f.name] = &f;
  const fs::path fig_dir = fs::path(out_dir) / "figures";
  auto figure_html = [&](const std::string& name) -> std::string {
    auto it = by_name.find(name);
    if (it == by_name.end()) return "";
    const Figure& f = *it->second;
    std::string body = inline_svg((fig_dir / (f.name + ".svg")).string(), f);
    std::error_code ec;
    if (body.empty()) {
      body = fs::exists(fig_dir / (f.name + ".png"), ec)
                 ? "<img src=\"figures/" + esc(f.name) + ".png\" alt=\"" + esc(f.title, true) + "\" style=\"width:100%\">"
                 : "<div class=\"missing\">" + esc(f.title) + ": not rendered (see the notes above); data and script below</div>";
    }
    std::string links;
    for (const char* ext : {"png", "svg", "pdf"})
      if (fs::exists(fig_dir / (f.name + "." + ext), ec))
        links += "<a href=\"figures/" + esc(f.name) + "." + ext + "\">" + ext + "</a> · ";
    links += "<a href=\"figures/" + esc(f.name) + ".csv\">csv</a> · <a href=\"figures/" + esc(f.name) + ".gp\">gnuplot</a>";
    return "<figure id=\"fig-" + esc(f.name) + "\">" + body + "<figcaption><b>" + esc(f.title) + ".</b> " + esc(f.caption) +
           " [" + links + "]</figcaption></figure>\n";
  };
  auto swatch = [](size_t i) { return "<span class=\"sw\" style=\"background:" + color_of(static_cast<int>(i)) + "\"></span>"; };

  std::ostringstream h;
  std::string names;
  for (const auto& s : a.sweeps) names += (names.empty() ? "" : ", ") + s.name;
  std::time_t now = std::time(nullptr);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>Design space analysis: " << esc(names) << "</title>\n<style>" << kStyle << "</style>\n</head>\n<body>\n"
    << "<h1>Design space analysis: " << esc(names) << "</h1>\n"
    << "<p class=\"meta\">regnet-explore " << REGNET_VERSION << " analyze · " << esc(metric_text(a.metric))
    << " · bootstrap " << a.resamples << " resamples of " << fmt("%.0f", 100 * a.fraction) << "%, seed " << a.seed
    << " · " << when << "</p>\n"
    << "<nav><a href=\"#sweeps\">Sweeps</a><a href=\"#edf\">EDFs and KS</a><a href=\"#complexity\">Complexity</a>"
    << "<a href=\"#structure\">Structure</a><a href=\"#widths\">Widths</a><a href=\"#random\">Random search</a>"
    << (a.trends.empty() ? "" : "<a href=\"#trends\">Trends</a>") << "<a href=\"#requests\">Requests</a></nav>\n";
  if (!a.warnings.empty() || !notes.empty()) {
    h << "<div class=\"notes\"><ul>\n";
    for (const auto& w : a.warnings) h << "<li>" << esc(w) << "</li>\n";
    for (const auto& n : notes) h << "<li>" << esc(n) << "</li>\n";
    h << "</ul></div>\n";
  }

  // Sweeps.
  h << "<h2 id=\"sweeps\">Sweeps</h2>\n<table id=\"summary\">\n<tr><th class=\"l\">sweep</th><th class=\"l\">directory</th>"
    << "<th class=\"l\">dataset</th><th>samples</th><th>done</th><th>diverged</th><th>failed</th><th>missing</th>"
    << "<th>min</th><th>mean</th><th>median</th><th>max</th><th>median flops</th></tr>\n";
  for (size_t i = 0; i < a.sweeps.size(); ++i) {
    const auto& s = a.sweeps[i];
    const bool any = !s.models.empty();
    h << "<tr><td class=\"l\">" << swatch(i) << esc(s.name) << "</td><td class=\"l\">" << esc(s.dir) << "</td><td class=\"l\">"
      << esc(s.dataset.empty() ? "?" : s.dataset) << "</td><td>" << s.counts.samples << "</td><td>" << s.counts.done
      << "</td><td>" << s.counts.diverged << "</td><td>" << s.counts.failed << "</td><td>" << s.counts.missing << "</td><td>"
      << (any ? fmt("%.2f", s.error.min) : "") << "</td><td>" << (any ? fmt("%.2f", s.error.mean) : "") << "</td><td>"
      << (any ? fmt("%.2f", s.error.median) : "") << "</td><td>" << (any ? fmt("%.2f", s.error.max) : "") << "</td><td>"
      << (any ? fmt("%.1f", s.median_flops) + "M" : "") << "</td></tr>\n";
  }
  h << "</table>\n<p class=\"meta\">Errors in % (" << esc(metric_text(a.metric))
    << "); missing = samples without a result yet. Flops are multiply-accumulates (pycls convention).</p>\n";

  // EDFs and KS.
  auto ks_table = [&](const std::vector<std::vector<KsResult>>& m, const std::string& id) {
    std::ostringstream t;
    t << "<table id=\"" << id << "\">\n<tr><th class=\"l\">D (p-value)</th>";
    for (size_t j = 0; j < a.ks.names.size(); ++j) t << "<th>" << swatch(j) << esc(a.ks.names[j]) << "</th>";
    t << "</tr>\n";
    for (size_t i = 0; i < a.ks.names.size(); ++i) {
      t << "<tr><th class=\"l\">" << swatch(i) << esc(a.ks.names[i]) << "</th>";
      for (size_t j = 0; j < a.ks.names.size(); ++j) {
        const KsResult& k = m[i][j];
        if (i == j) t << "<td>—</td>";
        else if (!std::isfinite(k.d)) t << "<td>n/a</td>";
        else
          t << "<td" << (k.p_value < 0.05 ? " class=\"sig\"" : "") << ">" << fmt("%.3f", k.d) << " ("
            << fmt(k.p_value < 1e-3 ? "%.1e" : "%.3f", k.p_value) << ")</td>";
      }
      t << "</tr>\n";
    }
    t << "</table>\n";
    return t.str();
  };
  h << "<h2 id=\"edf\">Error EDFs and Kolmogorov-Smirnov tests</h2>\n<div class=\"grid\">" << figure_html("edf")
    << figure_html("edf_normalized") << "</div>\n";
  if (a.sweeps.size() > 1) {
    h << "<h3>Two-sample KS test of the error distributions</h3>\n" << ks_table(a.ks.plain, "ks");
    if (!a.ks.normalized.empty())
      h << "<h3>KS test of the normalized EDFs (by " << to_string(a.normalization) << ", K = " << a.bins << ")</h3>\n"
        << ks_table(a.ks.normalized, "ks-normalized");
    int n1 = 0, n2 = 0;  // the two smallest analyzed sweeps: the largest critical D
    for (const auto& s : a.sweeps) {
      if (s.models.empty()) continue;
      const int n = static_cast<int>(s.models.size());
      if (n1 == 0 || n < n1) {
        n2 = n1;
        n1 = n;
      } else if (n2 == 0 || n < n2) {
        n2 = n;
      }
    }
    h << "<p class=\"meta\">D = sup |F<sub>1</sub>(e) − F<sub>2</sub>(e)|; shaded cells: p &lt; 0.05. The critical D at 5% is "
         "about 1.358·√((n<sub>1</sub>+n<sub>2</sub>)/(n<sub>1</sub>n<sub>2</sub>))";
    if (n1 > 0 && n2 > 0)
      h << ": " << fmt("%.3f", 1.358 * std::sqrt((n1 + n2) / (static_cast<double>(n1) * n2))) << " for n = " << n1 << " and "
        << n2;
    h << ".</p>\n";
  }

  // Complexity and structure.
  std::vector<std::string> constant;
  const auto param_figs = parameter_figures(a, &constant);
  h << "<h2 id=\"complexity\">Error vs complexity</h2>\n<div class=\"grid\">";
  for (const char* k : {"flops", "params", "acts"}) h << figure_html(std::string("error_vs_") + k);
  h << "</div>\n<h2 id=\"structure\">Error vs structure</h2>\n<div class=\"grid\">";
  for (const auto& f : param_figs)
    if (f.name != "error_vs_flops" && f.name != "error_vs_params" && f.name != "error_vs_acts") h << figure_html(f.name);
  h << "</div>\n";
  if (!constant.empty()) {
    std::string c;
    for (const auto& x : constant) c += (c.empty() ? "" : ", ") + x;
    h << "<p class=\"meta\">The same in every model (no figure): " << esc(c) << ".</p>\n";
  }
  {
    std::map<int, Parameter> keys;
    for (const auto& s : a.sweeps)
      for (const auto& b : s.bootstrap) keys[parameter_order(b.parameter.key)] = b.parameter;
    h << "<h3>Most likely best values (bootstrap median [95% interval])</h3>\n<table id=\"best-values\">\n<tr><th class=\"l\">parameter</th>";
    for (size_t i = 0; i < a.sweeps.size(); ++i)
      if (!a.sweeps[i].models.empty()) h << "<th>" << swatch(i) << esc(a.sweeps[i].name) << "</th>";
    h << "</tr>\n";
    for (const auto& [order, p] : keys) {
      h << "<tr><td class=\"l\">" << html_label(p.label) << "</td>";
      for (const auto& s : a.sweeps) {
        if (s.models.empty()) continue;
        auto it = std::find_if(s.bootstrap.begin(), s.bootstrap.end(),
                               [&](const ParameterBootstrap& b) { return b.parameter.key == p.key; });
        h << "<td>";
        if (it != s.bootstrap.end())
          h << value_text(it->best.median) << " [" << value_text(it->best.lo) << ", " << value_text(it->best.hi) << "]";
        h << "</td>";
      }
      h << "</tr>\n";
    }
    h << "</table>\n";
  }

  // Widths.
  const auto slugs = sweep_slugs(a);
  h << "<h2 id=\"widths\">Per-block widths of the best and worst models</h2>\n<div class=\"grid\">";
  for (size_t i = 0; i < a.sweeps.size(); ++i) h << figure_html("widths_" + slugs[i]);
  h << "</div>\n<table id=\"fits\">\n<tr><th class=\"l\">sweep</th><th class=\"l\">model</th><th>id</th><th>error</th>"
    << "<th>depth</th><th>w<sub>0</sub></th><th>w<sub>a</sub></th><th>w<sub>m</sub></th><th>e<sub>fit</sub></th></tr>\n";
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    for (const auto& [m, which] : {std::pair{&a.sweeps[i].best, "best"}, std::pair{&a.sweeps[i].worst, "worst"}}) {
      if (!*m) continue;
      const auto& x = **m;
      h << "<tr><td class=\"l\">" << swatch(i) << esc(a.sweeps[i].name) << "</td><td class=\"l\">" << which << "</td><td>"
        << x.id << "</td><td>" << fmt("%.2f", x.error) << "</td><td>" << x.widths.size() << "</td><td>"
        << value_text(x.fit.w0) << "</td><td>" << value_text(x.fit.wa) << "</td><td>" << fmt("%.3f", x.fit.wm)
        << "</td><td>" << fmt("%.3f", x.fit.e_fit) << "</td></tr>\n";
    }
  h << "</table>\n";

  // Random search.
  h << "<h2 id=\"random\">Random search efficiency</h2>\n<div class=\"grid\">" << figure_html("random_search")
    << "</div>\n<table id=\"random-search\">\n<tr><th>m</th>";
  size_t rows = 0;
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    if (!a.sweeps[i].models.empty()) {
      h << "<th>" << swatch(i) << esc(a.sweeps[i].name) << "</th>";
      rows = std::max(rows, a.sweeps[i].best_of_m.size());
    }
  h << "</tr>\n";
  for (size_t r = 0; r < rows; ++r) {
    h << "<tr><td>" << (1 << r) << "</td>";
    for (const auto& s : a.sweeps)
      if (!s.models.empty()) h << "<td>" << (r < s.expected_best.size() ? fmt("%.2f", s.expected_best[r]) : "") << "</td>";
    h << "</tr>\n";
  }
  h << "</table>\n";

  // Trends.
  if (!a.trends.empty()) {
    h << "<h2 id=\"trends\">Trends across regimes</h2>\n<div class=\"grid\">" << figure_html("trend_error");
    for (const auto& t : a.trends) h << figure_html("trend_" + t.parameter.key);
    h << "</div>\n";
  }

  // Requests.
  h << "<h2 id=\"requests\">Sweep requests</h2>\n";
  for (const auto& s : a.sweeps) {
    h << "<h3>" << esc(s.name) << " <span class=\"meta\">" << esc(s.dir) << "/sweep.json</span></h3>\n";
    if (s.sweep_json.contains("request")) h << "<pre>" << esc(s.sweep_json["request"].dump(2)) << "</pre>\n";
    h << "<details><summary>full sweep.json</summary><pre>" << esc(s.sweep_json.dump(2)) << "</pre></details>\n";
  }
  h << "<p class=\"meta\">Data: <a href=\"summary.json\">summary.json</a>; every figure's CSV and gnuplot script are in "
       "figures/ (re-render one with <code>gnuplot figures/NAME.gp</code> from this directory).</p>\n</body>\n</html>\n";
  return h.str();
}

ReportOutput write_report(const Analysis& a, const std::string& out_dir, const ReportOptions& opt) {
  auto progress = [&](const std::string& line) {
    if (opt.progress) opt.progress(line);
  };
  std::error_code ec;
  if (fs::exists(out_dir, ec) && !fs::is_directory(out_dir, ec)) fail(out_dir, "--out", "exists and is not a directory");
  fs::create_directories(fs::path(out_dir) / "figures", ec);
  if (ec) fail(out_dir, "--out", "cannot create directory: " + ec.message());

  ReportOutput out;
  const auto figures = analysis_figures(a);
  for (const auto& f : figures) {
    write_figure_sources(f, out_dir);
    out.figures.push_back(f.name);
  }
  progress("wrote " + std::to_string(figures.size()) + " figures' CSV data and gnuplot scripts to " +
           (fs::path(out_dir) / "figures").string());
  const std::string rerender = "cd " + out_dir + " && gnuplot figures/*.gp";
  if (!opt.render) {
    out.notes.push_back("figures not rendered (--no-render); render them with: " + rerender);
  } else if (auto gp = find_gnuplot()) {
    progress("rendering " + std::to_string(figures.size()) + " figures with gnuplot (PNG, SVG, PDF)");
    const RenderResult r = render_figures(figures, out_dir, *gp, opt.jobs);
    out.rendered = !r.rendered.empty();
    out.formats = r.formats;
    if (!r.failed.empty()) {
      std::string names;
      for (const auto& n : r.failed) names += (names.empty() ? "" : ", ") + n;
      out.notes.push_back("gnuplot could not render " + std::to_string(r.failed.size()) + " figure(s): " + names +
                          " (see " + r.log + ")");
    }
  } else {
    out.notes.push_back("gnuplot not found on PATH (install gnuplot-nox, or set REGNET_GNUPLOT): wrote the CSV data and "
                        "gnuplot scripts only; render them with: " + rerender);
  }

  out.summary_json = (fs::path(out_dir) / "summary.json").string();
  write_json_atomic(out.summary_json, to_json(a));
  out.index_html = (fs::path(out_dir) / "index.html").string();
  write_file_atomic(out.index_html, html_report(a, figures, out_dir, out.notes));
  progress("wrote " + out.index_html);
  return out;
}

std::string text_summary(const Analysis& a) {
  std::ostringstream t;
  size_t w = 5;
  for (const auto& s : a.sweeps) w = std::max(w, s.name.size());
  char buf[512];
  t << "error: " << metric_text(a.metric) << " (%)\n";
  std::snprintf(buf, sizeof buf, "%-*s %-14s %7s %6s %8s %6s %7s %7s %7s %7s\n", static_cast<int>(w), "sweep", "dataset",
                "samples", "done", "diverged", "failed", "missing", "min", "mean", "median");
  t << buf;
  for (const auto& s : a.sweeps) {
    const bool any = !s.models.empty();
    std::snprintf(buf, sizeof buf, "%-*s %-14s %7d %6d %8d %6d %7d %7s %7s %7s\n", static_cast<int>(w), s.name.c_str(),
                  (s.dataset.empty() ? "?" : s.dataset).c_str(), s.counts.samples, s.counts.done, s.counts.diverged,
                  s.counts.failed, s.counts.missing, any ? fmt("%.2f", s.error.min).c_str() : "-",
                  any ? fmt("%.2f", s.error.mean).c_str() : "-", any ? fmt("%.2f", s.error.median).c_str() : "-");
    t << buf;
  }
  if (a.ks.names.size() > 1) {
    t << "\nKS two-sample tests: D (p-value)"
      << (a.ks.normalized.empty() ? "" : "; normalized by " + to_string(a.normalization) + ", K = " + std::to_string(a.bins))
      << "\n";
    for (size_t i = 0; i < a.ks.names.size(); ++i)
      for (size_t j = i + 1; j < a.ks.names.size(); ++j) {
        const auto& k = a.ks.plain[i][j];
        t << "  " << a.ks.names[i] << " vs " << a.ks.names[j] << ": D = " << fmt("%.3f", k.d) << " ("
          << fmt("%.3g", k.p_value) << ")";
        if (!a.ks.normalized.empty())
          t << "   normalized: D = " << fmt("%.3f", a.ks.normalized[i][j].d) << " ("
            << fmt("%.3g", a.ks.normalized[i][j].p_value) << ")";
        t << "\n";
      }
  }
  t << "\nbest model per sweep (width fit):\n";
  for (const auto& s : a.sweeps)
    if (s.best)
      t << "  " << s.name << ": #" << s.best->id << " " << fmt("%.2f", s.best->error) << "%  w0=" << value_text(s.best->fit.w0)
        << " wa=" << value_text(s.best->fit.wa) << " wm=" << fmt("%.3f", s.best->fit.wm)
        << " e_fit=" << fmt("%.3f", s.best->fit.e_fit) << "\n";
  return t.str();
}

}  // namespace regnet
