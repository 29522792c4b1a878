#include "core/report/plot.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <sstream>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/lists.hpp"
#include "core/base/parallel.hpp"
#include "core/base/subprocess.hpp"
#include "core/base/text.hpp"
#include "core/base/threads.hpp"
#include "core/report/point_raster.hpp"

namespace fs = std::filesystem;

namespace regnet {

const std::vector<std::string>& palette() {
  // Matplotlib's tab10 order: distinct, print-friendly, and what readers of papers expect.
  static const std::vector<std::string> colors{"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd",
                                               "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f"};
  return colors;
}

std::string color_of(int index) {
  if (index == -2) return "#000000";
  if (index == -3) return "#555555";
  if (index < 0) return "#8c8c8c";
  return palette()[static_cast<size_t>(index) % palette().size()];
}

namespace {

// Numbers in CSV cells and scripts: 10 significant digits (printf's %.10g).
std::string number(double v) { return significant(v, 10); }

}  // namespace

std::string slug(const std::string& name) {
  // File names hold at most 255 bytes: a figure's is a prefix ("widths_"), the slug, a "_2" for
  // repeats and ".points.rgba", so a legal 255-byte sweep name is cut here rather than refused.
  constexpr size_t kMaxSlug = 200;
  std::string out;
  for (char c : name.substr(0, kMaxSlug)) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
  return out.empty() ? "_" : out;
}

std::string figure_csv(const Figure& f) {
  std::ostringstream out;
  size_t rows = 0;
  for (size_t i = 0; i < f.columns.size(); ++i) {
    out << (i ? "," : "") << f.columns[i].name;
    rows = std::max(rows, f.columns[i].values.size());
  }
  out << "\n";
  for (size_t r = 0; r < rows; ++r) {
    for (size_t i = 0; i < f.columns.size(); ++i) {
      if (i) out << ",";
      const auto& v = f.columns[i].values;
      if (r < v.size() && std::isfinite(v[r])) out << number(v[r]);
    }
    out << "\n";
  }
  return out.str();
}

size_t drawn_points(const Figure& f) {
  std::map<std::string, size_t> rows;
  for (const auto& c : f.columns) rows[c.name] = c.values.size();
  size_t n = 0;
  for (const auto& l : f.layers)
    if (l.style != LayerStyle::band_x && l.style != LayerStyle::band_y && !l.columns.empty()) n += rows[l.columns[0]];
  return n;
}

bool is_dense(const Figure& f) { return drawn_points(f) > kDensePoints; }

bool rasterizes_points(const Figure& f) {
  return is_dense(f) &&
         std::any_of(f.layers.begin(), f.layers.end(), [](const Layer& l) { return l.style == LayerStyle::points; });
}

std::vector<std::string> figure_formats(const Figure& f, const std::vector<std::string>& requested) {
  if (!requested.empty()) return requested;
  if (is_dense(f)) return {"png"};
  return {"png", "svg", "pdf"};
}

std::vector<std::string> requested_formats(const std::string& text) {
  if (text == "auto") return {};
  if (text.empty()) fail("", "--formats", "'' names no format (give auto, or a list such as png,svg,pdf)");
  std::vector<std::string> out;
  for (const std::string& item : split_list(text)) {
    if (item != "png" && item != "svg" && item != "pdf")
      fail("", "--formats", "'" + item + "' is not png, svg or pdf (give auto, or a list such as png,svg,pdf)");
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

namespace {

// A gnuplot string literal that is data, never code: single-quoted, where gnuplot substitutes
// neither backquotes (a shell command) nor macros (@name) nor backslash escapes, and only ''
// (a quote) is special. A line break would end the command: control characters become spaces.
// Callers never end a line with one, so a trailing backslash cannot continue it.
std::string quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "''";
    } else if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string col(const std::string& name) { return "column(" + quote(name) + ")"; }

// Scatter points: slightly transparent ("#AARRGGBB", AA = transparency) so dense clouds stay readable.
constexpr double kPointOpacity = 0.75;
std::string point_color(int color) { return "#40" + color_of(color).substr(1); }
std::string point_style(const Layer& l) {
  return "with points pt 7 ps " + number(l.width) + " lc rgb " + quote(point_color(l.color));
}

std::string title_clause(const Layer& l) {
  return l.title.empty() ? " notitle" : " title " + quote(l.title) + " noenhanced";
}

// "using" and "with" of a layer, by style.
std::string layer_body(const Layer& l) {
  const auto& c = l.columns;
  const std::string rgb = "lc rgb " + quote(color_of(l.color));
  const std::string lw = "lw " + number(l.width);
  const std::string xy = c.size() >= 2 ? quote(c[0]) + ":" + quote(c[1]) : "";
  switch (l.style) {
    case LayerStyle::steps: return xy + " with steps " + lw + " " + rgb;
    case LayerStyle::lines: return xy + " with lines " + lw + " " + rgb;
    case LayerStyle::dashed: return xy + " with lines " + lw + " dt 2 " + rgb;
    case LayerStyle::dotted: return xy + " with lines " + lw + " dt 3 " + rgb;
    case LayerStyle::linespoints: return xy + " with linespoints " + lw + " pt 7 ps 0.8 " + rgb;
    case LayerStyle::points: return xy + " " + point_style(l);
    case LayerStyle::band_x:
      return "((" + col(c[0]) + "+" + col(c[1]) + ")/2):((" + col(c[2]) + "+" + col(c[3]) + ")/2):" + quote(c[0]) +
             ":" + quote(c[1]) + ":" + quote(c[2]) + ":" + quote(c[3]) +
             " with boxxyerror fs transparent solid 0.18 noborder fc rgb " + quote(color_of(l.color));
    case LayerStyle::band_y:
      return xy + ":" + quote(c[2]) + " with filledcurves fs transparent solid 0.15 noborder fc rgb " +
             quote(color_of(l.color));
    case LayerStyle::vline:
      return xy + ":(0):(" + col(c[2]) + "-" + col(c[1]) + ") with vectors nohead " + lw + " dt 2 " + rgb;
    case LayerStyle::errorlines:
      return xy + ":" + quote(c[2]) + ":" + quote(c[3]) + " with yerrorlines " + lw + " pt 7 ps 1.2 " + rgb;
  }
  return "";
}

// Which of a layer's columns lie on the x and on the y axis, by style (and how many it needs).
struct StyleAxes {
  LayerStyle style;
  std::vector<size_t> x, y;
};
const StyleAxes kStyleAxes[] = {
    {LayerStyle::steps, {0}, {1}},        {LayerStyle::lines, {0}, {1}},
    {LayerStyle::dashed, {0}, {1}},       {LayerStyle::dotted, {0}, {1}},
    {LayerStyle::linespoints, {0}, {1}},  {LayerStyle::points, {0}, {1}},
    {LayerStyle::band_x, {0, 1}, {2, 3}}, {LayerStyle::band_y, {0}, {1, 2}},
    {LayerStyle::vline, {0}, {1, 2}},     {LayerStyle::errorlines, {0}, {1, 2, 3}},
};

const StyleAxes& axes_of(LayerStyle style) {
  for (const auto& a : kStyleAxes)
    if (a.style == style) return a;
  throw std::logic_error("plot layer style without axes");
}

void check_layer(const Layer& l) {
  const StyleAxes& a = axes_of(l.style);
  const size_t need =
      1 + std::max(*std::max_element(a.x.begin(), a.x.end()), *std::max_element(a.y.begin(), a.y.end()));
  if (l.columns.size() != need)
    throw std::logic_error("plot layer '" + l.title + "' needs " + std::to_string(need) + " columns");
}

// Rows of the layer's longest column (0: unknown column).
size_t layer_rows(const Figure& f, const Layer& l) {
  size_t rows = 0;
  for (const auto& name : l.columns)
    for (const auto& c : f.columns)
      if (c.name == name) rows = std::max(rows, c.values.size());
  return rows;
}

size_t csv_rows(const Figure& f) {
  size_t rows = 0;
  for (const auto& c : f.columns) rows = std::max(rows, c.values.size());
  return rows;
}

// A layer whose columns end early reads only their rows (gnuplot then stops reading the file).
std::string plot_clause(const Figure& f, const Layer& l) {
  check_layer(l);
  const size_t rows = layer_rows(f, l);
  const std::string every = rows > 0 && rows < csv_rows(f) ? "every ::0::" + std::to_string(rows - 1) + " " : "";
  return "data " + every + "using " + layer_body(l) + title_clause(l);
}

// --- Dense figures: fixed frame, the scatter as one raster in the PNG -----------------------

// The PNG terminal's size and the plot area in it, fixed so that the raster fills it pixel for pixel.
constexpr int kPngWidth = 960, kPngHeight = 720;
constexpr double kLeft = 0.1, kRight = 0.975, kBottom = 0.125, kTop = 0.925;
constexpr int kRasterWidth = 840, kRasterHeight = 576;  // (kRight - kLeft) 960, (kTop - kBottom) 720
// pngcairo's disc of `pt 7 ps 1` at this size and linewidth, in pixels.
constexpr double kPointRadius = 5;

// [lo, hi] of the finite values (positive ones on a log axis) of some columns, padded by 3% of the
// span (in log space on a log axis) and `headroom` of it above.
std::pair<double, double> padded_range(const std::vector<const std::vector<double>*>& columns, bool log,
                                       double headroom) {
  double lo = INFINITY, hi = -INFINITY;
  for (const auto* c : columns)
    for (double v : *c)
      if (std::isfinite(v) && (!log || v > 0)) {
        lo = std::min(lo, log ? std::log10(v) : v);
        hi = std::max(hi, log ? std::log10(v) : v);
      }
  if (!(lo <= hi)) return {log ? 1 : 0, log ? 10 : 1};
  const double span = hi > lo ? hi - lo : std::max(1.0, std::fabs(lo)) * 0.1;
  lo -= 0.03 * span;
  hi += (0.03 + headroom) * span;
  return log ? std::make_pair(std::pow(10, lo), std::pow(10, hi)) : std::make_pair(lo, hi);
}

const std::vector<double>& column_values(const Figure& f, const std::string& name) {
  for (const auto& c : f.columns)
    if (c.name == name) return c.values;
  throw std::logic_error("figure " + f.name + " has no column " + name);
}

// The frame of a dense figure: its ranges (given, else the data's, padded) and the raster's size.
RasterFrame dense_frame(const Figure& f) {
  std::vector<const std::vector<double>*> xs, ys;
  for (const auto& l : f.layers) {
    check_layer(l);
    for (size_t k : axes_of(l.style).x) xs.push_back(&column_values(f, l.columns[k]));
    for (size_t k : axes_of(l.style).y) ys.push_back(&column_values(f, l.columns[k]));
  }
  const auto x = f.xrange ? *f.xrange : padded_range(xs, f.logx, 0);
  const auto y = f.yrange ? *f.yrange : padded_range(ys, f.logy, f.headroom);
  return {x.first, x.second, y.first, y.second, f.logx, f.logy, kRasterWidth, kRasterHeight};
}

std::string raster_path(const Figure& f) { return "figures/" + f.name + ".points.rgba"; }

// The clauses of the PNG's fast path: the first scatter layer becomes the raster of them all,
// every scatter layer keeps its legend entry (NaN: nothing drawn), the other layers stay.
std::vector<std::string> raster_clauses(const Figure& f) {
  std::vector<std::string> out;
  bool image = false;
  for (const auto& l : f.layers) {
    if (l.style != LayerStyle::points) {
      out.push_back(plot_clause(f, l));
      continue;
    }
    if (!image)
      out.push_back(quote(raster_path(f)) + " binary array=(" + std::to_string(kRasterWidth) + "," +
                    std::to_string(kRasterHeight) +
                    ") format='%uchar%uchar%uchar%uchar' axes x2y2 with rgbalpha notitle");
    image = true;
    if (!l.title.empty()) out.push_back("NaN " + point_style(l) + title_clause(l));
  }
  return out;
}

std::string plot_command(const std::vector<std::string>& clauses, const std::string& indent) {
  return indent + "plot " + join(clauses, ", \\\n" + indent + "     ") + "\n";
}

std::string range_text(double lo, double hi) { return "[" + number(lo) + ":" + number(hi) + "]"; }

void script_frame(std::ostringstream& g, const Figure& f) {
  if (f.logx) g << "set logscale x\n";
  if (f.logy) g << "set logscale y\n";
  if (rasterizes_points(f)) {
    const RasterFrame r = dense_frame(f);
    g << "# Dense: fixed ranges and margins, so that analyze's raster of the points fills the plot area.\n"
      << "set xrange " << range_text(r.x_lo, r.x_hi) << "\nset yrange " << range_text(r.y_lo, r.y_hi) << "\n"
      << "set lmargin at screen " << number(kLeft) << "; set rmargin at screen " << number(kRight) << "\n"
      << "set bmargin at screen " << number(kBottom) << "; set tmargin at screen " << number(kTop) << "\n";
    return;
  }
  if (f.xrange) g << "set xrange " << range_text(f.xrange->first, f.xrange->second) << "\n";
  if (f.yrange) g << "set yrange " << range_text(f.yrange->first, f.yrange->second) << "\n";
  if (f.headroom > 0) g << "set offsets 0, 0, graph " << number(f.headroom) << ", 0  # headroom for the key\n";
}

void script_head(std::ostringstream& g, const Figure& f) {
  const std::string stem = "figures/" + f.name;
  // No user-named text in comments: a line break in it would start a command.
  g << "# regnet-explore analyze: figure " << f.name << "\n"
    << "# Re-render from the report directory: gnuplot " << stem << ".gp\n"
    << "# (some formats only: gnuplot -e \"regnet_formats='png svg'\" " << stem << ".gp)\n"
    << "# The data is " << stem << ".csv (columns by name); edit the styles below freely.\n"
    << "reset\n"
    << "if (!exists(\"regnet_formats\")) regnet_formats = 'png svg pdf'\n"
    << "if (!exists(\"regnet_raster\")) regnet_raster = 0\n"
    << "set datafile separator comma\n"
    << "set datafile columnheaders\n"
    << "data = '" << stem << ".csv'\n\n"
    << "set title " << quote(f.title) << " noenhanced\n"
    << "set xlabel " << quote(f.xlabel) << " enhanced\n"
    << "set ylabel " << quote(f.ylabel) << " enhanced\n"
    << "set key " << f.key << " box lc rgb '#bbbbbb' opaque samplen 2 spacing 1.1\n"
    << "set border 3 lw 1.2\n"
    << "set tics nomirror out\n"
    << "set grid xtics ytics lw 1 lc rgb '#e5e5e5'\n"
    << "set style fill transparent solid 0.18 noborder\n";
  script_frame(g, f);
  for (const auto& s : f.settings) g << s << "\n";
}

// The terminal of each format.
void script_terminals(std::ostringstream& g) {
  g << "    if (regnet_format eq 'svg') { set terminal svg size 720,540 enhanced font 'Sans,14' linewidth 1.2 "
       "background rgb 'white' }\n"
    << "    if (regnet_format eq 'pdf') { set terminal pdfcairo size 6in,4.5in enhanced font 'Sans,11' linewidth 1.2 "
       "}\n"
    << "    if (regnet_format eq 'png') {\n"
    << "      if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {\n"
    << "        set terminal pngcairo size " << kPngWidth << "," << kPngHeight
    << " enhanced font 'Sans,16' linewidth 1.5\n"
    << "      } else {\n"
    << "        set terminal png truecolor size " << kPngWidth << "," << kPngHeight << " enhanced\n"
    << "      }\n"
    << "    }\n";
}

}  // namespace

std::string figure_script(const Figure& f) {
  std::vector<std::string> clauses;
  for (const auto& l : f.layers) clauses.push_back(plot_clause(f, l));
  std::ostringstream g;
  script_head(g, f);
  g << "\n# Each format asked for (PDF where gnuplot has pdfcairo), the PNG last.\n"
    << "regnet_plotted = 0\n"
    << "do for [regnet_format in 'svg pdf png'] {\n"
    << "  if (strstrt(regnet_formats, regnet_format) > 0 && (regnet_format ne 'pdf' || strstrt(GPVAL_TERMINALS, "
       "'pdfcairo') > 0)) {\n";
  script_terminals(g);
  g << "    set output 'figures/" << f.name << ".'.regnet_format\n";
  if (rasterizes_points(f)) {
    g << "    if (regnet_format eq 'png' && regnet_raster) {\n"
      << "      # analyze's fast path: the points below drawn from one image it made of them (and deleted after).\n"
      << "      set x2range [-0.5:" << kRasterWidth - 0.5 << "]; set y2range [-0.5:" << kRasterHeight - 0.5 << "]\n"
      << "      unset x2tics; unset y2tics\n"
      << plot_command(raster_clauses(f), "      ") << "    } else {\n";
  }
  g << "    if (regnet_plotted) { replot } else {\n"
    << plot_command(clauses, "      ") << "      regnet_plotted = 1\n"
    << "    }\n";
  if (rasterizes_points(f)) g << "    }\n";
  g << "  }\n"
    << "}\n"
    << "unset output\n";
  return g.str();
}

void write_figure_sources(const Figure& f, const std::string& out_dir) {
  const fs::path dir = fs::path(out_dir) / "figures";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail(dir.string(), "", "cannot create directory: " + ec.message());
  write_file_atomic((dir / (f.name + ".csv")).string(), figure_csv(f));
  write_file_atomic((dir / (f.name + ".gp")).string(), figure_script(f));
}

double gnuplot_timeout() { return timeout_from_env("REGNET_GNUPLOT_TIMEOUT", 300); }

std::optional<std::string> find_gnuplot() {
  auto executable = [](const std::string& p) {
    return !p.empty() && ::access(p.c_str(), X_OK) == 0 && !fs::is_directory(p);
  };
  if (const char* env = std::getenv("REGNET_GNUPLOT")) {
    if (executable(env)) return std::string(env);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::stringstream ss(path ? path : "");
  for (std::string dir; std::getline(ss, dir, ':');) {
    const std::string p = (fs::path(dir.empty() ? "." : dir) / "gnuplot").string();
    if (executable(p)) return p;
  }
  return std::nullopt;
}

namespace {

// --- Rendering -------------------------------------------------------------------------------

double render_timeout(const RenderOptions& o) { return o.timeout_seconds > 0 ? o.timeout_seconds : gnuplot_timeout(); }

// One script as gnuplot's arguments: the formats and the fast path it may take, then the file.
struct Job {
  const Figure* figure = nullptr;
  std::vector<std::string> formats;
  bool raster = false;
};

std::vector<std::string> job_arguments(const Job& j) {
  return {"-e", "regnet_formats='" + join(j.formats, " ") + "'; regnet_raster=" + (j.raster ? "1" : "0"),
          "figures/" + j.figure->name + ".gp"};
}

// The raster of a dense figure's scatter layers, written where its script reads it.
void write_raster(const Figure& f, const std::string& abs_out) {
  std::vector<RasterLayer> layers;
  for (const auto& l : f.layers)
    if (l.style == LayerStyle::points)
      layers.push_back({&column_values(f, l.columns[0]), &column_values(f, l.columns[1]), rgb_of(color_of(l.color)),
                        kPointOpacity, kPointRadius * l.width});
  write_file_atomic((fs::path(abs_out) / raster_path(f)).string(), rasterize_points(dense_frame(f), layers));
}

enum class Outcome { ok, failed, timed_out };

// Runs gnuplot on the jobs from `cwd`, output appended to `log`.
Outcome run_gnuplot(const std::string& gnuplot, const std::vector<const Job*>& jobs, const std::string& cwd,
                    const std::string& log, double timeout) {
  SpawnOptions o;
  o.argv = {gnuplot};
  for (const Job* j : jobs)
    for (auto& a : job_arguments(*j)) o.argv.push_back(std::move(a));
  o.cwd = cwd;
  o.out = Redirect::append(log);
  o.err = Redirect::to_stdout();
  try {
    const ProcessResult r = run_process(o, timeout);
    if (r.timed_out) return Outcome::timed_out;
    return r.status.success() ? Outcome::ok : Outcome::failed;
  } catch (const SpawnError&) {
    return Outcome::failed;
  }
}

// Jobs in `count` batches of about equal cost (points drawn, plus a start-up cost per script):
// the costliest first, each to the cheapest batch so far.
std::vector<std::vector<const Job*>> balanced_batches(const std::vector<Job>& jobs, size_t count) {
  auto cost = [](const Job& j) { return 200 + (j.raster ? 0 : drawn_points(*j.figure)); };
  std::vector<const Job*> order;
  for (const auto& j : jobs) order.push_back(&j);
  std::stable_sort(order.begin(), order.end(), [&](const Job* a, const Job* b) { return cost(*a) > cost(*b); });
  std::vector<std::vector<const Job*>> batches(count);
  std::vector<size_t> load(count, 0);
  for (const Job* j : order) {
    const size_t b = static_cast<size_t>(std::min_element(load.begin(), load.end()) - load.begin());
    batches[b].push_back(j);
    load[b] += cost(*j);
  }
  return batches;
}

std::vector<Job> render_jobs(const std::vector<Figure>& figures, const std::vector<std::string>& requested) {
  std::vector<Job> jobs;
  for (const auto& f : figures) {
    Job j{&f, figure_formats(f, requested), false};
    j.raster = rasterizes_points(f) && std::find(j.formats.begin(), j.formats.end(), "png") != j.formats.end();
    jobs.push_back(std::move(j));
  }
  return jobs;
}

// The files rendered: which figures have a PNG or an SVG, which formats exist at all.
void collect_outputs(const std::vector<Figure>& figures, const fs::path& dir, RenderResult& result) {
  std::error_code ec;
  bool any[3] = {false, false, false};
  const char* exts[3] = {".png", ".svg", ".pdf"};
  for (const auto& f : figures) {
    bool ok = false;
    for (int k = 0; k < 3; ++k) {
      const fs::path p = dir / (f.name + exts[k]);
      if (fs::exists(p, ec) && fs::file_size(p, ec) > 0) {
        any[k] = true;
        ok = ok || k < 2;
      }
    }
    (ok ? result.rendered : result.failed).push_back(f.name);
  }
  for (int k = 0; k < 3; ++k)
    if (any[k]) result.formats.push_back(exts[k] + 1);
}

}  // namespace

RenderResult render_figures(const std::vector<Figure>& figures, const std::string& out_dir, const std::string& gnuplot,
                            const RenderOptions& opt) {
  RenderResult result;
  result.timeout_seconds = render_timeout(opt);
  const fs::path dir = fs::path(out_dir) / "figures";
  const std::string abs_out = fs::absolute(out_dir).string();
  result.log = (dir / "gnuplot.log").string();
  std::error_code ec;
  fs::remove(result.log, ec);
  // Stale outputs of an earlier run must not pass for this run's.
  for (const auto& f : figures)
    for (const char* ext : {".png", ".svg", ".pdf"}) fs::remove(dir / (f.name + ext), ec);

  const std::vector<Job> jobs = render_jobs(figures, opt.formats);
  const int processes = std::max(1, std::min<int>(default_threads(opt.jobs), static_cast<int>(figures.size())));
  // One gnuplot process runs a batch of scripts (start-up is most of a small plot's cost);
  // a batch that fails is re-run one script at a time to find the culprit, one that hangs is not.
  const auto batches = balanced_batches(jobs, static_cast<size_t>(processes));
  std::atomic<bool> timed_out{false};
  std::vector<std::function<void()>> tasks;
  for (size_t b = 0; b < batches.size(); ++b)
    tasks.push_back([&, b] {
      for (const Job* j : batches[b])
        if (j->raster) write_raster(*j->figure, abs_out);
      const std::string log = (dir / ("gnuplot." + std::to_string(b) + ".log")).string();
      const Outcome o = run_gnuplot(gnuplot, batches[b], abs_out, log, result.timeout_seconds);
      if (o == Outcome::timed_out) timed_out = true;
      if (o != Outcome::failed) return;
      for (const Job* j : batches[b])
        if (run_gnuplot(gnuplot, {j}, abs_out, log, result.timeout_seconds) == Outcome::timed_out) timed_out = true;
    });
  run_parallel(tasks, processes);
  result.timed_out = timed_out;

  std::string log_text;
  for (size_t b = 0; b < batches.size(); ++b) {
    const fs::path part = dir / ("gnuplot." + std::to_string(b) + ".log");
    if (fs::exists(part)) {
      log_text += read_text_file(part.string());
      fs::remove(part, ec);
    }
  }
  write_file_atomic(result.log, log_text);
  for (const auto& j : jobs)
    if (j.raster) fs::remove(fs::path(abs_out) / raster_path(*j.figure), ec);
  collect_outputs(figures, dir, result);
  return result;
}

}  // namespace regnet
