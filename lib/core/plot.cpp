#include "core/plot.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <sstream>

#include "core/error.hpp"
#include "core/json_io.hpp"
#include "core/parallel.hpp"
#include "core/subprocess.hpp"
#include "core/text.hpp"
#include "core/threads.hpp"

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
  std::string out;
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) || c == '_' ? c : '_';
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

namespace {

// A gnuplot double-quoted string literal.
std::string quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string col(const std::string& name) { return "column(" + quote(name) + ")"; }

std::string plot_clause(const Layer& l) {
  const auto& c = l.columns;
  auto need = [&](size_t n) {
    if (c.size() != n) throw std::logic_error("plot layer '" + l.title + "' needs " + std::to_string(n) + " columns");
  };
  const std::string rgb = "lc rgb " + quote(color_of(l.color));
  const std::string lw = "lw " + number(l.width);
  std::string s = "data using ";
  switch (l.style) {
    case LayerStyle::steps:
      need(2);
      s += quote(c[0]) + ":" + quote(c[1]) + " with steps " + lw + " " + rgb;
      break;
    case LayerStyle::lines:
      need(2);
      s += quote(c[0]) + ":" + quote(c[1]) + " with lines " + lw + " " + rgb;
      break;
    case LayerStyle::dashed:
      need(2);
      s += quote(c[0]) + ":" + quote(c[1]) + " with lines " + lw + " dt 2 " + rgb;
      break;
    case LayerStyle::dotted:
      need(2);
      s += quote(c[0]) + ":" + quote(c[1]) + " with lines " + lw + " dt 3 " + rgb;
      break;
    case LayerStyle::linespoints:
      need(2);
      s += quote(c[0]) + ":" + quote(c[1]) + " with linespoints " + lw + " pt 7 ps 0.8 " + rgb;
      break;
    case LayerStyle::points: {
      need(2);
      // Slightly transparent ("#AARRGGBB", AA = transparency) so dense clouds stay readable.
      const std::string argb = "#40" + color_of(l.color).substr(1);
      s += quote(c[0]) + ":" + quote(c[1]) + " with points pt 7 ps " + number(l.width) + " lc rgb " + quote(argb);
      break;
    }
    case LayerStyle::band_x:
      need(4);
      s += "((" + col(c[0]) + "+" + col(c[1]) + ")/2):((" + col(c[2]) + "+" + col(c[3]) + ")/2):" + quote(c[0]) + ":" +
           quote(c[1]) + ":" + quote(c[2]) + ":" + quote(c[3]) + " with boxxyerror fs transparent solid 0.18 noborder fc rgb " +
           quote(color_of(l.color));
      break;
    case LayerStyle::band_y:
      need(3);
      s += quote(c[0]) + ":" + quote(c[1]) + ":" + quote(c[2]) + " with filledcurves fs transparent solid 0.15 noborder fc rgb " +
           quote(color_of(l.color));
      break;
    case LayerStyle::vline:
      need(3);
      s += quote(c[0]) + ":" + quote(c[1]) + ":(0):(" + col(c[2]) + "-" + col(c[1]) + ") with vectors nohead " + lw +
           " dt 2 " + rgb;
      break;
    case LayerStyle::errorlines:
      need(4);
      s += quote(c[0]) + ":" + quote(c[1]) + ":" + quote(c[2]) + ":" + quote(c[3]) + " with yerrorlines " + lw +
           " pt 7 ps 1.2 " + rgb;
      break;
  }
  s += l.title.empty() ? " notitle" : " title " + quote(l.title) + " noenhanced";
  return s;
}

}  // namespace

std::string figure_script(const Figure& f) {
  const std::string stem = "figures/" + f.name;
  std::ostringstream g;
  g << "# regnet-explore analyze: " << f.title << "\n"
    << "# Re-render from the report directory: gnuplot " << stem << ".gp\n"
    << "# The data is " << stem << ".csv (columns by name); edit the styles below freely.\n"
    << "reset\n"
    << "set datafile separator comma\n"
    << "set datafile columnheaders\n"
    << "data = '" << stem << ".csv'\n\n"
    << "set title " << quote(f.title) << " noenhanced\n"
    << "set xlabel " << quote(f.xlabel) << "\n"
    << "set ylabel " << quote(f.ylabel) << "\n"
    << "set key " << f.key << " box lc rgb \"#bbbbbb\" opaque samplen 2 spacing 1.1\n"
    << "set border 3 lw 1.2\n"
    << "set tics nomirror out\n"
    << "set grid xtics ytics lw 1 lc rgb \"#e5e5e5\"\n"
    << "set style fill transparent solid 0.18 noborder\n";
  if (f.logx) g << "set logscale x\n";
  if (f.logy) g << "set logscale y\n";
  if (f.xrange) g << "set xrange [" << number(f.xrange->first) << ":" << number(f.xrange->second) << "]\n";
  if (f.yrange) g << "set yrange [" << number(f.yrange->first) << ":" << number(f.yrange->second) << "]\n";
  for (const auto& s : f.settings) g << s << "\n";
  g << "\n# PNG (pngcairo, else libgd png), then SVG and PDF (pdfcairo) with the same plot.\n"
    << "if (strstrt(GPVAL_TERMINALS, \"pngcairo\") > 0) {\n"
    << "  set terminal pngcairo size 960,720 enhanced font \"Sans,16\" linewidth 1.5\n"
    << "} else {\n"
    << "  set terminal png truecolor size 960,720 enhanced\n"
    << "}\n"
    << "set output '" << stem << ".png'\n"
    << "plot ";
  for (size_t i = 0; i < f.layers.size(); ++i) g << (i ? ", \\\n     " : "") << plot_clause(f.layers[i]);
  g << "\n\n"
    << "set terminal svg size 720,540 enhanced font \"Sans,14\" linewidth 1.2 background rgb \"white\"\n"
    << "set output '" << stem << ".svg'\n"
    << "replot\n"
    << "if (strstrt(GPVAL_TERMINALS, \"pdfcairo\") > 0) {\n"
    << "  set terminal pdfcairo size 6in,4.5in enhanced font \"Sans,11\" linewidth 1.2\n"
    << "  set output '" << stem << ".pdf'\n"
    << "  replot\n"
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

std::optional<std::string> find_gnuplot() {
  auto executable = [](const std::string& p) { return !p.empty() && ::access(p.c_str(), X_OK) == 0 && !fs::is_directory(p); };
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

// Runs `gnuplot scripts...` with the working directory `cwd`, output appended to `log`; true on exit 0.
bool run_gnuplot(const std::string& gnuplot, const std::vector<std::string>& scripts, const std::string& cwd,
                 const std::string& log) {
  SpawnOptions o;
  o.argv = {gnuplot};
  o.argv.insert(o.argv.end(), scripts.begin(), scripts.end());
  o.cwd = cwd;
  o.out = Redirect::append(log);
  o.err = Redirect::to_stdout();
  try {
    return run_process(o).status.success();
  } catch (const SpawnError&) {
    return false;
  }
}

}  // namespace

RenderResult render_figures(const std::vector<Figure>& figures, const std::string& out_dir, const std::string& gnuplot,
                            int jobs) {
  RenderResult result;
  const fs::path dir = fs::path(out_dir) / "figures";
  const std::string abs_out = fs::absolute(out_dir).string();
  result.log = (dir / "gnuplot.log").string();
  std::error_code ec;
  fs::remove(result.log, ec);
  // Stale outputs of an earlier run must not pass for this run's.
  for (const auto& f : figures)
    for (const char* ext : {".png", ".svg", ".pdf"}) fs::remove(dir / (f.name + ext), ec);

  jobs = std::max(1, std::min<int>(default_threads(jobs), static_cast<int>(figures.size())));
  // One gnuplot process runs a batch of scripts (start-up is most of a small plot's cost);
  // a batch that fails is re-run one script at a time to find the culprit.
  std::vector<std::vector<std::string>> batches(static_cast<size_t>(jobs));
  for (size_t i = 0; i < figures.size(); ++i)
    batches[i % batches.size()].push_back("figures/" + figures[i].name + ".gp");
  std::vector<std::function<void()>> tasks;
  for (size_t b = 0; b < batches.size(); ++b)
    tasks.push_back([&, b] {
      const std::string log = (dir / ("gnuplot." + std::to_string(b) + ".log")).string();
      if (!run_gnuplot(gnuplot, batches[b], abs_out, log))
        for (const auto& s : batches[b]) run_gnuplot(gnuplot, {s}, abs_out, log);
    });
  run_parallel(tasks, jobs);

  std::string log_text;
  for (size_t b = 0; b < batches.size(); ++b) {
    const fs::path part = dir / ("gnuplot." + std::to_string(b) + ".log");
    if (fs::exists(part)) {
      log_text += read_text_file(part.string());
      fs::remove(part, ec);
    }
  }
  write_file_atomic(result.log, log_text);

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
  return result;
}

}  // namespace regnet
