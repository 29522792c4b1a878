#pragma once
// The report of an Analysis: the paper's figures (as plot.hpp Figures: CSV + gnuplot script,
// rendered to PNG/SVG/PDF), one self-contained OUT/index.html (inline SVG, tables, the sweep
// requests), and the plain-text tables the CLI prints.
//
//   OUT/index.html           written last, atomically: never half a page
//   OUT/summary.json         to_json(Analysis)
//   OUT/figures/NAME.{csv,gp,png,svg,pdf}
#include <functional>
#include <string>
#include <vector>

#include "core/analysis.hpp"
#include "core/plot.hpp"

namespace regnet {

// Every figure of the analysis, in report order: error EDFs (plain, normalized), error vs
// complexity and vs each structural parameter with the bootstrap band, per-block widths of the
// best/worst models with their fit, random-search efficiency, trends across regimes.
// One color per sweep, the same in every figure.
std::vector<Figure> analysis_figures(const Analysis& a);

struct ReportOptions {
  bool render = true;  // false: CSV and scripts only (--no-render)
  int jobs = 0;        // gnuplot processes at a time; 0: hardware concurrency
  std::function<void(const std::string&)> progress;
};

struct ReportOutput {
  std::string index_html;            // path of the written page
  std::string summary_json;          // path of summary.json
  std::vector<std::string> figures;  // figure names
  bool rendered = false;             // gnuplot ran and produced at least one figure
  std::vector<std::string> formats;  // image formats produced
  std::vector<std::string> notes;    // why a step was skipped or a figure is missing
};

// Writes the figures' CSV and scripts, renders them with gnuplot when it is found (else says so
// in notes and in the page), then summary.json and index.html.
ReportOutput write_report(const Analysis& a, const std::string& out_dir, const ReportOptions& options = {});

// The page. `out_dir` is where the rendered SVGs are read from (to inline them).
std::string html_report(const Analysis& a, const std::vector<Figure>& figures, const std::string& out_dir,
                        const std::vector<std::string>& notes = {});

// The summary, KS and random-search tables as aligned text for a terminal.
std::string text_summary(const Analysis& a);

}  // namespace regnet
