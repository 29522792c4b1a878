#pragma once
// The paper's figures of an Analysis as plot.hpp Figures (CSV columns + gnuplot layers), in
// report order: error EDFs (plain, normalized), error vs complexity and vs each structural
// parameter with the bootstrap band, per-block widths of the best/worst models with their fit,
// random-search efficiency, trends across regimes. One color per sweep, the same in every figure.
#include <string>
#include <vector>

#include "core/report/analysis.hpp"
#include "core/report/plot.hpp"

namespace regnet {

// Every figure with data (a figure without any would make gnuplot fail).
std::vector<Figure> analysis_figures(const Analysis& a);

// One unique column prefix / file-name part per sweep (legend names may repeat or hold any
// character): slug(name), then "_2", "_3" for repeats. Figure "widths_" + slug is sweep i's.
std::vector<std::string> sweep_slugs(const Analysis& a);

// "error_vs_" + key: the figure of error against parameter `key`.
std::string parameter_figure_name(const std::string& key);

// The parameters with one value in every analyzed model (no figure for them): "b (bottleneck
// ratio) = 1", in parameter order.
std::vector<std::string> constant_parameters(const Analysis& a);

}  // namespace regnet
