#pragma once
// Figures as data: one CSV table and a gnuplot script per figure, so a user can restyle any plot
// and re-render it (`cd OUT && gnuplot figures/NAME.gp`), and a renderer that runs gnuplot to
// produce PNG (pngcairo, else png), SVG and PDF (pdfcairo, when the build has it).
//
//   OUT/figures/NAME.csv   the data: named columns, one per series field; short columns end early
//   OUT/figures/NAME.gp    the script: reads 'figures/NAME.csv', writes figures/NAME.{png,svg,pdf}
//
// Every text in a script (titles, legend entries: sweep names a user chose) is a single-quoted
// gnuplot string, which gnuplot never substitutes (no backquote commands, no macros).
// A dense figure (more than kDensePoints points) has fixed ranges and margins; its PNG draws the
// scatter layers from a raster that render_figures writes (point_raster.hpp) and deletes, and by
// default it gets no SVG or PDF (its full-resolution vector files are rendered when asked).
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace regnet {

// A named CSV column. NaN is written as an empty cell (gnuplot skips it).
struct Column {
  std::string name;  // [A-Za-z0-9_]: the script refers to it by name
  std::vector<double> values;
};

enum class LayerStyle {
  steps,        // columns x, y: an EDF staircase
  lines,        // x, y
  dashed,       // x, y
  dotted,       // x, y
  linespoints,  // x, y
  points,       // x, y: a scatter
  band_x,       // x_lo, x_hi, y_lo, y_hi: a translucent vertical band (bootstrap 95% interval)
  band_y,       // x, y_lo, y_hi: a translucent band between two curves (an EDF's confidence band)
  vline,        // x, y_lo, y_hi: a vertical line segment (bootstrap median)
  errorlines,   // x, y, y_lo, y_hi: points joined by a line, with error bars
};

struct Layer {
  std::string title;  // legend entry (plain text); empty: not in the legend
  LayerStyle style = LayerStyle::lines;
  std::vector<std::string> columns;  // column names, as the style lists them
  int color = 0;                     // index into palette(); -1: gray, -2: black, -3: dark gray
  double width = 2;                  // line width (points: point size)
};

struct Figure {
  std::string name;            // file stem: [A-Za-z0-9_-]
  std::string title;           // plain text
  std::string xlabel, ylabel;  // gnuplot enhanced text ("w_0" subscripts the 0)
  bool logx = false, logy = false;
  std::optional<std::pair<double, double>> xrange, yrange;
  std::string key = "bottom right";   // gnuplot key position
  double headroom = 0;                // fraction of the y range left above the data (room for the key)
  std::string caption;                // a sentence for the HTML report
  std::vector<std::string> settings;  // extra gnuplot commands, e.g. "set logscale x 2"
  std::vector<Column> columns;
  std::vector<Layer> layers;
};

// Colors per series (one per sweep, in order), as "#rrggbb".
const std::vector<std::string>& palette();
std::string color_of(int index);  // palette()[index % size]; -1 gray, -2 black, -3 dark gray

// The CSV text (header of column names, %.10g numbers, empty cells past a column's end).
std::string figure_csv(const Figure& f);

// Points drawn by the scatter, EDF and line layers (bands and markers of one value not counted).
size_t drawn_points(const Figure& f);
constexpr size_t kDensePoints = 1000;
// More than kDensePoints: an inline SVG of it would weigh about 100 kB per thousand points.
bool is_dense(const Figure& f);
// A dense figure with scatter layers: its PNG draws them from a raster.
bool rasterizes_points(const Figure& f);

// The image formats a figure is rendered in: `requested` (png, svg, pdf) for every figure, or,
// when it is empty ("auto"), PNG for a dense figure and all three for the others.
std::vector<std::string> figure_formats(const Figure& f, const std::vector<std::string>& requested);
// `analyze --formats`: "auto" (empty), or a comma-separated list of png, svg, pdf (each once, in
// the order given). UserError (--formats) for another word or an empty list.
std::vector<std::string> requested_formats(const std::string& text);

// The gnuplot script, run from OUT: it reads figures/NAME.csv and writes figures/NAME.png, .svg,
// and .pdf where the terminal exists. The variable regnet_formats ('png svg pdf' unless set, e.g.
// gnuplot -e "regnet_formats='svg'" figures/NAME.gp) picks the formats; regnet_raster = 1 (set
// by render_figures only) draws a dense figure's PNG scatter from figures/NAME.points.rgba.
std::string figure_script(const Figure& f);
// Writes OUT/figures/NAME.csv and NAME.gp (each atomically), creating OUT/figures.
void write_figure_sources(const Figure& f, const std::string& out_dir);

// The gnuplot executable: $REGNET_GNUPLOT if set, else `gnuplot` on PATH; nullopt when absent.
std::optional<std::string> find_gnuplot();

// The limit of one gnuplot process: $REGNET_GNUPLOT_TIMEOUT seconds, else 300 (a gnuplot that
// waits on a terminal or a pipe must not hang analyze). UserError when it is not a positive number.
double gnuplot_timeout();

struct RenderOptions {
  int jobs = 0;                      // gnuplot processes at a time; 0: default_threads (all available cores)
  std::vector<std::string> formats;  // figure_formats' `requested`; empty: auto
  double timeout_seconds = 0;        // per gnuplot process; 0: gnuplot_timeout()
};

struct RenderResult {
  std::vector<std::string> rendered;  // figure names with at least a PNG or an SVG
  std::vector<std::string> failed;    // figure names gnuplot could not render
  std::vector<std::string> formats;   // "png", "svg", "pdf" as produced
  std::string log;                    // OUT/figures/gnuplot.log: gnuplot's messages
  double timeout_seconds = 0;         // the limit each gnuplot process ran under
  bool timed_out = false;             // a gnuplot process ran past it and was killed
};
// Runs gnuplot on every figure's script from OUT, in up to `jobs` processes at a time, each
// running a batch of scripts (balanced by points drawn), each killed after the timeout. A figure
// that fails is reported, not thrown.
RenderResult render_figures(const std::vector<Figure>& figures, const std::string& out_dir, const std::string& gnuplot,
                            const RenderOptions& options = {});

// A name as a CSV column / file stem: characters outside [A-Za-z0-9_] become '_', cut to 200 bytes.
std::string slug(const std::string& name);

}  // namespace regnet
