#pragma once
// Figures as data: one CSV table and a gnuplot script per figure, so a user can restyle any plot
// and re-render it (`cd OUT && gnuplot figures/NAME.gp`), and a renderer that runs gnuplot to
// produce PNG (pngcairo, else png), SVG and PDF (pdfcairo, when the build has it).
//
//   OUT/figures/NAME.csv   the data: named columns, one per series field; short columns end early
//   OUT/figures/NAME.gp    the script: reads 'figures/NAME.csv', writes figures/NAME.{png,svg,pdf}
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
  steps,       // columns x, y: an EDF staircase
  lines,       // x, y
  dashed,      // x, y
  dotted,      // x, y
  linespoints, // x, y
  points,      // x, y: a scatter
  band_x,      // x_lo, x_hi, y_lo, y_hi: a translucent vertical band (bootstrap 95% interval)
  band_y,      // x, y_lo, y_hi: a translucent band between two curves (an EDF's confidence band)
  vline,       // x, y_lo, y_hi: a vertical line segment (bootstrap median)
  errorlines,  // x, y, y_lo, y_hi: points joined by a line, with error bars
};

struct Layer {
  std::string title;  // legend entry (plain text); empty: not in the legend
  LayerStyle style = LayerStyle::lines;
  std::vector<std::string> columns;  // column names, as the style lists them
  int color = 0;        // index into palette(); -1: gray, -2: black, -3: dark gray
  double width = 2;     // line width (points: point size)
};

struct Figure {
  std::string name;    // file stem: [A-Za-z0-9_-]
  std::string title;   // plain text
  std::string xlabel, ylabel;  // gnuplot enhanced text ("w_0" subscripts the 0)
  bool logx = false, logy = false;
  std::optional<std::pair<double, double>> xrange, yrange;
  std::string key = "bottom right";  // gnuplot key position
  std::string caption;               // a sentence for the HTML report
  std::vector<std::string> settings; // extra gnuplot commands, e.g. "set logscale x 2"
  std::vector<Column> columns;
  std::vector<Layer> layers;
};

// Colors per series (one per sweep, in order), as "#rrggbb".
const std::vector<std::string>& palette();
std::string color_of(int index);  // palette()[index % size]; -1 gray, -2 black, -3 dark gray

// The CSV text (header of column names, %.10g numbers, empty cells past a column's end).
std::string figure_csv(const Figure& f);
// The gnuplot script, run from OUT: it reads figures/NAME.csv and writes figures/NAME.png, .svg,
// and .pdf where the terminal exists.
std::string figure_script(const Figure& f);
// Writes OUT/figures/NAME.csv and NAME.gp (each atomically), creating OUT/figures.
void write_figure_sources(const Figure& f, const std::string& out_dir);

// The gnuplot executable: $REGNET_GNUPLOT if set, else `gnuplot` on PATH; nullopt when absent.
std::optional<std::string> find_gnuplot();

struct RenderResult {
  std::vector<std::string> rendered;  // figure names with at least an SVG or PNG
  std::vector<std::string> failed;    // figure names gnuplot could not render
  std::vector<std::string> formats;   // "png", "svg", "pdf" as produced
  std::string log;                    // OUT/figures/gnuplot.log: gnuplot's messages
};
// Runs `gnuplot figures/NAME.gp` from OUT for every figure, `jobs` processes at a time
// (0: default_threads, all available cores). A figure that fails is reported, not thrown.
RenderResult render_figures(const std::vector<Figure>& figures, const std::string& out_dir, const std::string& gnuplot,
                            int jobs = 0);

// A name as a CSV column / file stem: characters outside [A-Za-z0-9_] become '_'.
std::string slug(const std::string& name);

}  // namespace regnet
