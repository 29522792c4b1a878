// The report on disk (write_report) and its page (html_report). The page is a list of sections,
// each a function over an HtmlPage; html_report below reads as the page's table of contents.
#include "core/report/html_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <map>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/subprocess.hpp"
#include "core/base/text.hpp"
#include "core/report/analysis_figures.hpp"
#include "core/report/compare_report.hpp"
#include "core/report/html_page.hpp"
#include "core/report/models_csv.hpp"
#include "core/report/refine_report.hpp"
#include "core/report/report_dir.hpp"
#include "core/report/report_text.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

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
  if (t != std::string::npos) svg.replace(t, gtitle.size(), "<title>" + html_escape(f.title) + "</title>");
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

// The page's figures by name, as inline SVG (else an <img> of the PNG, else a placeholder) with
// links to every file of the figure.
class FigureShelf {
 public:
  FigureShelf(const std::vector<Figure>& figures, const std::string& out_dir) : dir_(fs::path(out_dir) / "figures") {
    for (const auto& f : figures) by_name_[f.name] = &f;
  }

  // "" when there is no such figure.
  std::string html(const std::string& name) const {
    auto it = by_name_.find(name);
    if (it == by_name_.end()) return "";
    const Figure& f = *it->second;
    const std::string n = html_escape(f.name);
    return "<figure id=\"fig-" + n + "\">" + picture(f) + "<figcaption><b>" + html_escape(f.title) + ".</b> " +
           html_escape(f.caption) + " [" + links(f) + "]</figcaption></figure>\n";
  }

  std::vector<std::string> html_each(const std::vector<std::string>& names) const {
    std::vector<std::string> out;
    for (const auto& n : names) out.push_back(html(n));
    return out;
  }

 private:
  // A small figure as inline SVG (sharp at any zoom); a dense one, or one without an SVG, as its
  // PNG inside the page (a data URI: the page stays one file), so that thousands of points do not
  // weigh megabytes of markup.
  std::string picture(const Figure& f) const {
    if (!is_dense(f)) {
      std::string svg = inline_svg((dir_ / (f.name + ".svg")).string(), f);
      if (!svg.empty()) return svg;
    }
    std::error_code ec;
    const fs::path png = dir_ / (f.name + ".png");
    if (fs::exists(png, ec))
      return "<img src=\"data:image/png;base64," + base64(read_text_file(png.string())) + "\" alt=\"" +
             html_escape(f.title, true) + "\" style=\"width:100%\">";
    std::string svg = inline_svg((dir_ / (f.name + ".svg")).string(), f);
    if (!svg.empty()) return svg;
    return "<div class=\"missing\">" + html_escape(f.title) +
           ": not rendered (see the notes above); data and script below</div>";
  }

  std::string links(const Figure& f) const {
    const std::string n = html_escape(f.name);
    std::string out;
    std::error_code ec;
    for (const char* ext : {"png", "svg", "pdf"})
      if (fs::exists(dir_ / (f.name + "." + ext), ec))
        out += "<a href=\"figures/" + n + "." + ext + "\">" + ext + "</a> · ";
    return out + "<a href=\"figures/" + n + ".csv\">csv</a> · <a href=\"figures/" + n + ".gp\">gnuplot</a>";
  }

  std::map<std::string, const Figure*> by_name_;
  fs::path dir_;
};

struct Context {
  const Analysis& a;
  const FigureShelf& figures;
};

// A sweep's name with its color, as every table heads its row or column.
std::string sweep_label(const Analysis& a, size_t i) {
  return "<span class=\"sw\" style=\"background:" + color_of(static_cast<int>(i)) + "\"></span>" +
         html_escape(a.sweeps[i].name);
}

// One header cell per analyzed sweep (those with finished models).
void add_analyzed_sweep_headers(const Analysis& a, std::vector<HtmlCell>& row) {
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    if (!a.sweeps[i].models.empty()) row.push_back(th(sweep_label(a, i)));
}

struct Section {
  const char* id;
  const char* nav;    // its link in the navigation bar
  const char* title;  // its heading
  void (*body)(HtmlPage&, const Context&);
};

// --- Head, navigation, notes ----------------------------------------------------------------

std::string utc_now() {
  std::time_t now = std::time(nullptr);
  char when[64];
  std::strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
  return when;
}

void page_head(HtmlPage& page, const Analysis& a, const std::vector<Section>& sections) {
  std::vector<std::string> names, nav;
  for (const auto& s : a.sweeps) names.push_back(s.name);
  for (const auto& s : sections) nav.push_back(std::string("<a href=\"#") + s.id + "\">" + s.nav + "</a>");
  const std::string title = "Design space analysis: " + html_escape(join(names, ", "));
  page.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n" + std::string(kReportMarker) +
           "\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
      .raw("<title>" + title + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n")
      .raw("<h1>" + title + "</h1>\n")
      .meta("regnet-explore " REGNET_VERSION " analyze · " + html_escape(metric_label(a.metric)) + " · bootstrap " +
            std::to_string(a.resamples) + " resamples of " + fixed(100 * a.fraction, 0) + "%, seed " +
            std::to_string(a.seed) + " · " + utc_now())
      .raw("<nav>" + join(nav, "") + "</nav>\n");
}

void notes_box(HtmlPage& page, const std::vector<std::string>& warnings, const std::vector<std::string>& notes) {
  if (warnings.empty() && notes.empty()) return;
  page.raw("<div class=\"notes\"><ul>\n");
  for (const auto* list : {&warnings, &notes})
    for (const auto& n : *list) page.raw("<li>" + html_escape(n) + "</li>\n");
  page.raw("</ul></div>\n");
}

// --- Sweeps ---------------------------------------------------------------------------------

std::vector<HtmlCell> sweep_row(const Analysis& a, size_t i) {
  const auto& s = a.sweeps[i];
  const bool any = !s.models.empty();
  auto error = [&](double v) { return td(any ? fixed_or_na(v, 2) : ""); };
  return {td(sweep_label(a, i), "l"),
          td(html_escape(s.dir), "l"),
          td(html_escape(s.dataset.empty() ? "?" : s.dataset), "l"),
          td(std::to_string(s.counts.samples)),
          td(std::to_string(s.counts.done)),
          td(std::to_string(s.counts.diverged)),
          td(std::to_string(s.counts.failed)),
          td(std::to_string(s.counts.missing)),
          error(s.error.min),
          error(s.error.mean),
          error(s.error.median),
          error(s.error.max),
          td(any ? fixed_or_na(s.median_flops, 1) + "M" : "")};
}

void sweeps_section(HtmlPage& page, const Context& c) {
  HtmlTable t{"summary",
              {{th("sweep", "l"), th("directory", "l"), th("dataset", "l"), th("samples"), th("done"), th("diverged"),
                th("failed"), th("missing"), th("min"), th("mean"), th("median"), th("max"), th("median flops")}}};
  for (size_t i = 0; i < c.a.sweeps.size(); ++i) t.rows.push_back(sweep_row(c.a, i));
  page.table(t).meta("Errors in % (" + html_escape(metric_label(c.a.metric)) +
                     "); missing = samples without a result yet. Flops are multiply-accumulates (pycls convention).");
}

// --- EDFs and KS tests ----------------------------------------------------------------------

HtmlCell ks_cell(const KsResult& k) {
  if (!std::isfinite(k.d)) return td("n/a");
  const std::string p = k.p_value < 1e-3 ? fmt::format("{:.1e}", k.p_value) : fixed_or_na(k.p_value, 3);
  return td(fixed(k.d, 3) + " (" + p + ")", k.p_value < 0.05 ? "sig" : "");
}

HtmlTable ks_table(const Analysis& a, const std::vector<std::vector<KsResult>>& m, const std::string& id) {
  HtmlTable t{id, {{th("D (p-value)", "l")}}};
  for (size_t j = 0; j < a.ks.names.size(); ++j) t.rows[0].push_back(th(sweep_label(a, j)));
  for (size_t i = 0; i < a.ks.names.size(); ++i) {
    std::vector<HtmlCell> row{th(sweep_label(a, i), "l")};
    for (size_t j = 0; j < a.ks.names.size(); ++j) row.push_back(i == j ? td("—") : ks_cell(m[i][j]));
    t.rows.push_back(std::move(row));
  }
  return t;
}

// The critical D at 5% for the two smallest analyzed sweeps (the largest critical D), or "".
std::string critical_d_text(const Analysis& a) {
  std::vector<int> sizes;
  for (const auto& s : a.sweeps)
    if (!s.models.empty()) sizes.push_back(static_cast<int>(s.models.size()));
  if (sizes.size() < 2) return "";
  std::partial_sort(sizes.begin(), sizes.begin() + 2, sizes.end());
  const int n1 = sizes[0], n2 = sizes[1];
  return ": " + fixed(1.358 * std::sqrt((n1 + n2) / (static_cast<double>(n1) * n2)), 3) +
         " for n = " + std::to_string(n1) + " and " + std::to_string(n2);
}

// The shared range, the bins and what each sweep leaves out of the normalized EDF.
std::string normalization_meta(const Analysis& a) {
  std::vector<std::string> outside;
  for (const auto& s : a.sweeps)
    if (!s.models.empty())
      outside.push_back(html_escape(s.name) + " " + std::to_string(s.outside_range) + " of " +
                        std::to_string(s.error.n));
  return "Normalized " + html_escape(normalization_text(a)) +
         ", as NDS defines it: one range for every sweep, each bin of equal total weight 1/K shared by its models. "
         "Models outside the range, left out of the normalized EDF and KS: " +
         join(outside, ", ") + ".";
}

void edf_section(HtmlPage& page, const Context& c) {
  const Analysis& a = c.a;
  page.grid(c.figures.html_each({"edf", "edf_normalized"}));
  if (a.normalization != Normalization::none) page.meta(normalization_meta(a));
  if (a.sweeps.size() < 2) return;
  page.subheading("Two-sample KS test of the error distributions").table(ks_table(a, a.ks.plain, "ks"));
  if (!a.ks.normalized.empty())
    page.subheading("KS test of the normalized EDFs (by " + to_string(a.normalization) +
                    ", K = " + std::to_string(a.bins) + ")")
        .table(ks_table(a, a.ks.normalized, "ks-normalized"));
  page.meta(
      "D = sup |F<sub>1</sub>(e) − F<sub>2</sub>(e)|; shaded cells: p &lt; 0.05. The critical D at 5% is about "
      "1.358·√((n<sub>1</sub>+n<sub>2</sub>)/(n<sub>1</sub>n<sub>2</sub>))" +
      critical_d_text(a) + ".");
}

// --- Per pair: differences with bootstrap intervals, KS power -------------------------------

std::string pair_label(const Analysis& a, const PairAnalysis& p) {
  return sweep_label(a, p.b) + " − " + sweep_label(a, p.a);
}

HtmlTable pairs_table(const Analysis& a) {
  HtmlTable t{"pairs",
              {{th("b − a", "l"), th("mean"), th("median"), th("best of m"), th("KS D (p-value)"),
                th("models per space for 80% power")}}};
  for (const auto& p : a.pairs) {
    const SampleDifferences& d = p.difference;
    t.rows.push_back(
        {td(pair_label(a, p), "l"), td(difference_text(d.mean)), td(difference_text(d.median)),
         td(d.m.empty() ? "" : "m = " + std::to_string(d.m.back()) + ": " + difference_text(d.expected_best.back())),
         ks_cell(a.ks.plain[p.a][p.b]), td(power_text(p.power))});
  }
  return t;
}

// The difference in expected best error among m random models, per m (rows) and pair (columns).
HtmlTable best_of_m_table(const Analysis& a) {
  HtmlTable t{"pairs-best-of-m", {{th("m")}}};
  size_t rows = 0;
  for (const auto& p : a.pairs) {
    t.rows[0].push_back(th(pair_label(a, p)));
    rows = std::max(rows, p.difference.m.size());
  }
  for (size_t r = 0; r < rows; ++r) {
    std::vector<HtmlCell> row{td(std::to_string(1 << r))};
    for (const auto& p : a.pairs)
      row.push_back(td(r < p.difference.m.size() ? difference_text(p.difference.expected_best[r]) : ""));
    t.rows.push_back(std::move(row));
  }
  return t;
}

void pairs_section(HtmlPage& page, const Context& c) {
  const Analysis& a = c.a;
  page.table(pairs_table(a))
      .meta("Differences in error (percentage points), b − a, with percentile-bootstrap 95% intervals (" +
            std::to_string(a.resamples) +
            " resamples of every model of both sweeps); an interval that excludes 0 is a "
            "difference the data support. Power: the smallest n per space, on a grid 8, 11, 16, ... 1024, at which a "
            "KS test at alpha = " +
            shortest(a.alpha) + " rejects in at least 80% of " + std::to_string(a.pairs.front().power.repetitions) +
            " draws of n models from each EDF.")
      .subheading("Expected best error among m random models, b − a")
      .table(best_of_m_table(a));
}

// --- Error vs complexity and structure, best values -----------------------------------------

std::vector<std::string> parameter_figures_html(const Context& c, bool complexity) {
  std::vector<std::string> names;
  for (const auto& p : parameters_of(c.a))
    if ((p.group == ParameterGroup::complexity) == complexity) names.push_back(parameter_figure_name(p.key));
  return c.figures.html_each(names);
}

void complexity_section(HtmlPage& page, const Context& c) { page.grid(parameter_figures_html(c, true)); }

std::string best_value_text(const ParameterBootstrap* b) {
  if (!b) return "";
  return value_text(b->best.median) + " [" + value_text(b->best.lo) + ", " + value_text(b->best.hi) + "]";
}

HtmlTable best_values_table(const Analysis& a) {
  HtmlTable t{"best-values", {{th("parameter", "l")}}};
  add_analyzed_sweep_headers(a, t.rows[0]);
  for (const auto& p : parameters_of(a)) {
    std::vector<HtmlCell> row{td(html_label(p.label), "l")};
    for (const auto& s : a.sweeps)
      if (!s.models.empty()) row.push_back(td(best_value_text(find_bootstrap(s, p.key))));
    t.rows.push_back(std::move(row));
  }
  return t;
}

void structure_section(HtmlPage& page, const Context& c) {
  page.grid(parameter_figures_html(c, false));
  const auto constant = constant_parameters(c.a);
  if (!constant.empty()) page.meta("The same in every model (no figure): " + html_escape(join(constant, ", ")) + ".");
  page.subheading("Most likely best values (bootstrap median [95% interval])").table(best_values_table(c.a));
}

// --- Widths of the best and worst models ----------------------------------------------------

std::vector<HtmlCell> fit_row(const Analysis& a, size_t i, const ModelWidthFit& x, const char* which) {
  return {td(sweep_label(a, i), "l"),
          td(which, "l"),
          td(std::to_string(x.id)),
          td(fixed_or_na(x.error, 2)),
          td(std::to_string(x.widths.size())),
          td(value_text(x.fit.w0)),
          td(value_text(x.fit.wa)),
          td(fixed_or_na(x.fit.wm, 3)),
          td(fixed_or_na(x.fit.e_fit, 3))};
}

void widths_section(HtmlPage& page, const Context& c) {
  const Analysis& a = c.a;
  std::vector<std::string> names;
  for (const auto& s : sweep_slugs(a)) names.push_back("widths_" + s);
  HtmlTable t{"fits",
              {{th("sweep", "l"), th("model", "l"), th("id"), th("error"), th("depth"), th("w<sub>0</sub>"),
                th("w<sub>a</sub>"), th("w<sub>m</sub>"), th("e<sub>fit</sub>")}}};
  for (size_t i = 0; i < a.sweeps.size(); ++i) {
    if (a.sweeps[i].best) t.rows.push_back(fit_row(a, i, *a.sweeps[i].best, "best"));
    if (a.sweeps[i].worst) t.rows.push_back(fit_row(a, i, *a.sweeps[i].worst, "worst"));
  }
  page.grid(c.figures.html_each(names)).table(t);
}

// --- Random search --------------------------------------------------------------------------

HtmlTable random_search_table(const Analysis& a) {
  HtmlTable t{"random-search", {{th("m")}}};
  add_analyzed_sweep_headers(a, t.rows[0]);
  size_t rows = 0;
  for (const auto& s : a.sweeps)
    if (!s.models.empty()) rows = std::max(rows, s.best_of_m.size());
  for (size_t r = 0; r < rows; ++r) {
    std::vector<HtmlCell> row{td(std::to_string(1 << r))};
    for (const auto& s : a.sweeps)
      if (!s.models.empty()) row.push_back(td(r < s.expected_best.size() ? fixed_or_na(s.expected_best[r], 2) : ""));
    t.rows.push_back(std::move(row));
  }
  return t;
}

void random_search_section(HtmlPage& page, const Context& c) {
  page.grid(c.figures.html_each({"random_search"})).table(random_search_table(c.a));
}

// --- Trends ---------------------------------------------------------------------------------

void trends_section(HtmlPage& page, const Context& c) {
  std::vector<std::string> names{"trend_error"};
  for (const auto& t : c.a.trends) names.push_back("trend_" + t.parameter.key);
  page.grid(c.figures.html_each(names));
}

// --- Comparisons (compare directories given) -------------------------------------------------

void compares_section(HtmlPage& page, const Context& c) {
  compare_section(page, c.a, [&](const std::string& name) { return c.figures.html(name); });
}

// --- Refinements (refine directories given) ------------------------------------------------

void refines_section(HtmlPage& page, const Context& c) {
  refine_section(page, c.a, [&](const std::string& name) { return c.figures.html(name); });
}

// --- The sweeps' requests -------------------------------------------------------------------

void requests_section(HtmlPage& page, const Context& c) {
  for (const auto& s : c.a.sweeps) {
    page.subheading(html_escape(s.name) + " <span class=\"meta\">" + html_escape(s.dir) + "/sweep.json</span>");
    if (s.sweep_json.contains("request")) page.raw("<pre>" + html_escape(s.sweep_json["request"].dump(2)) + "</pre>\n");
    page.raw("<details><summary>full sweep.json</summary><pre>" + html_escape(s.sweep_json.dump(2)) +
             "</pre></details>\n");
  }
}

void page_foot(HtmlPage& page) {
  page.meta(
          "Data: <a href=\"summary.json\">summary.json</a>; one row per sample: <a href=\"models.csv\">models.csv</a>; "
          "every figure's CSV and gnuplot script are in figures/ "
          "(re-render one with <code>gnuplot figures/NAME.gp</code> from this directory).")
      .raw("</body>\n</html>\n");
}

// The page's table of contents: the sections in order, those with something to show.
std::vector<Section> sections_of(const Analysis& a) {
  const std::pair<Section, bool> all[] = {
      {{"sweeps", "Sweeps", "Sweeps", sweeps_section}, true},
      {{"edf", "EDFs and KS", "Error EDFs and Kolmogorov-Smirnov tests", edf_section}, true},
      {{"pairs", "How sure", "How sure: differences and power per pair", pairs_section}, !a.pairs.empty()},
      {{"complexity", "Complexity", "Error vs complexity", complexity_section}, true},
      {{"structure", "Structure", "Error vs structure", structure_section}, true},
      {{"widths", "Widths", "Per-block widths of the best and worst models", widths_section}, true},
      {{"random", "Random search", "Random search efficiency", random_search_section}, true},
      {{"trends", "Trends", "Trends across regimes", trends_section}, !a.trends.empty()},
      {{"compare", "Compare", "Sequential comparisons (compare directories)", compares_section}, !a.compares.empty()},
      {{"refine", "Refine", "Design-space refinement (refine directories)", refines_section}, !a.refines.empty()},
      {{"requests", "Requests", "Sweep requests", requests_section}, true},
  };
  std::vector<Section> shown;
  for (const auto& [section, show] : all)
    if (show) shown.push_back(section);
  return shown;
}

// --- write_report's steps -------------------------------------------------------------------

void prepare_out_dir(const std::string& out_dir) {
  std::error_code ec;
  if (fs::exists(out_dir, ec) && !fs::is_directory(out_dir, ec))
    fail(out_dir, "--out", "exists and is not a directory");
}

// Renders in `dir` with gnuplot when asked and found; what did not happen goes to out.notes,
// which name `out_dir`, where the report will be.
void render(const std::vector<Figure>& figures, const std::string& dir, const std::string& out_dir,
            const ReportOptions& opt, const std::function<void(const std::string&)>& progress, ReportOutput& out) {
  const std::string rerender = "cd " + shell_quote(out_dir) + " && gnuplot figures/*.gp";
  if (!opt.render) {
    out.notes.push_back("figures not rendered (--no-render); render them with: " + rerender);
    return;
  }
  const auto gp = find_gnuplot();
  if (!gp) {
    out.notes.push_back(
        "gnuplot not found on PATH (install gnuplot-nox, or set REGNET_GNUPLOT): wrote the CSV data and "
        "gnuplot scripts only; render them with: " +
        rerender);
    return;
  }
  const size_t dense = static_cast<size_t>(std::count_if(figures.begin(), figures.end(), is_dense));
  progress("rendering " + std::to_string(figures.size()) + " figures with gnuplot (" +
           (opt.formats.empty() ? "PNG; SVG and PDF for the " + std::to_string(figures.size() - dense) +
                                      " with at most " + std::to_string(kDensePoints) + " points"
                                : join(opt.formats, ", ")) +
           ")");
  const RenderResult r = render_figures(figures, dir, *gp, {opt.jobs, opt.formats, opt.timeout_seconds});
  out.rendered = !r.rendered.empty();
  out.formats = r.formats;
  if (r.timed_out)
    out.notes.push_back("gnuplot ran longer than " + shortest(r.timeout_seconds) +
                        " s (REGNET_GNUPLOT_TIMEOUT) and was stopped; the figures it had not drawn are missing");
  if (!r.failed.empty())
    out.notes.push_back("gnuplot could not render " + std::to_string(r.failed.size()) +
                        " figure(s): " + join(r.failed, ", ") + " (see " +
                        (fs::path(out_dir) / "figures" / "gnuplot.log").string() + ")");
  if (opt.formats.empty() && dense > 0)
    out.notes.push_back(std::to_string(dense) + " figure(s) with more than " + std::to_string(kDensePoints) +
                        " points are in the page as PNG and have no SVG/PDF; every point is in their CSV, and " +
                        "--formats png,svg,pdf (or gnuplot figures/NAME.gp) draws them at full resolution");
}

}  // namespace

std::string html_report(const Analysis& a, const std::vector<Figure>& figures, const std::string& out_dir,
                        const std::vector<std::string>& notes) {
  const FigureShelf shelf(figures, out_dir);
  const Context c{a, shelf};
  const auto sections = sections_of(a);
  HtmlPage page;
  page_head(page, a, sections);
  notes_box(page, a.warnings, notes);
  for (const auto& s : sections) {
    page.heading(s.id, s.title);
    s.body(page, c);
  }
  page_foot(page);
  return page.html();
}

namespace {

// The report's files, written into `dir` (the staging directory); paths in `out` name `out_dir`.
void write_report_files(const Analysis& a, const std::string& dir, const std::string& out_dir, const ReportOptions& opt,
                        ReportOutput& out) {
  const auto progress = [&](const std::string& line) {
    if (opt.progress) opt.progress(line);
  };
  if (opt.on_phase) opt.on_phase("figures");
  const auto figures = analysis_figures(a);
  for (const auto& f : figures) {
    write_figure_sources(f, dir);
    out.figures.push_back(f.name);
  }
  progress("wrote " + std::to_string(figures.size()) + " figures' CSV data and gnuplot scripts");
  render(figures, dir, out_dir, opt, progress, out);
  if (opt.on_phase) opt.on_phase("page");
  write_file_atomic((fs::path(dir) / "models.csv").string(), models_csv(a));
  write_json_atomic((fs::path(dir) / "summary.json").string(), to_json(a));
  write_file_atomic((fs::path(dir) / "index.html").string(), html_report(a, figures, dir, out.notes));
}

}  // namespace

ReportOutput write_report(const Analysis& a, const std::string& out_dir, const ReportOptions& opt) {
  prepare_out_dir(out_dir);
  ReportStaging staging(out_dir);
  ReportOutput out;
  out.out_dir = out_dir;
  try {
    write_report_files(a, staging.dir(), out_dir, opt, out);
  } catch (const UserError& e) {
    throw UserError(staging.as_out(e.what()));
  }
  staging.commit();
  out.models_csv = (fs::path(out_dir) / "models.csv").string();
  out.summary_json = (fs::path(out_dir) / "summary.json").string();
  out.index_html = (fs::path(out_dir) / "index.html").string();
  if (opt.progress) opt.progress("wrote " + out.index_html);
  return out;
}

nlohmann::json to_json(const ReportOutput& r) {
  return {{"out", r.out_dir},
          {"index_html", r.index_html},
          {"summary_json", r.summary_json},
          {"models_csv", r.models_csv},
          {"figures", r.figures},
          {"rendered", r.rendered},
          {"formats", r.formats},
          {"notes", r.notes}};
}

}  // namespace regnet
