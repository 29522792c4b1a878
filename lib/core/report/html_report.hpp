#pragma once
// The report of an Analysis on disk: the figures (analysis_figures.hpp) as CSV + gnuplot
// scripts, rendered to PNG/SVG/PDF when gnuplot is found, summary.json, and one self-contained
// index.html (tables, the sweep requests, each figure as inline SVG, or a dense one as an
// embedded PNG). Where it may be written: report_dir.hpp.
//
//   OUT/index.html           written last, atomically: never half a page
//   OUT/summary.json         to_json(Analysis)
//   OUT/models.csv           one row per sample (models_csv.hpp)
//   OUT/figures/NAME.{csv,gp,png,svg,pdf}
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/report/analysis.hpp"
#include "core/report/plot.hpp"

namespace regnet {

struct ReportOptions {
  bool render = true;                // false: CSV and scripts only (--no-render)
  int jobs = 0;                      // gnuplot processes at a time; 0: default_threads (all available cores)
  std::vector<std::string> formats;  // png, svg, pdf for every figure; empty: auto (plot.hpp figure_formats)
  double timeout_seconds = 0;        // per gnuplot process; 0: gnuplot_timeout()
  std::function<void(const std::string&)> progress;
  std::function<void(const std::string&)> on_phase;  // "figures", then "page" (for timing); may be empty
};

struct ReportOutput {
  std::string out_dir;               // as given
  std::string index_html;            // path of the written page
  std::string summary_json;          // path of summary.json
  std::string models_csv;            // path of models.csv
  std::vector<std::string> figures;  // figure names
  bool rendered = false;             // gnuplot ran and produced at least one figure
  std::vector<std::string> formats;  // image formats produced
  std::vector<std::string> notes;    // why a step was skipped or a figure is missing
};

// Writes the figures' CSV and scripts, renders them with gnuplot when it is found (else says so
// in notes and in the page), then models.csv, summary.json and index.html (each atomically). UserError (--out) when
// out_dir exists and is not a directory or cannot be created.
ReportOutput write_report(const Analysis& a, const std::string& out_dir, const ReportOptions& options = {});

// {"out", "index_html", "summary_json", "models_csv", "figures", "rendered", "formats", "notes"}: the
// "report" object of `analyze --json`.
nlohmann::json to_json(const ReportOutput& r);

// The page, one section per part of the analysis. `out_dir` is where the rendered SVGs are read
// from (to inline them); `notes` are listed at the top with the analysis's warnings.
std::string html_report(const Analysis& a, const std::vector<Figure>& figures, const std::string& out_dir,
                        const std::vector<std::string>& notes = {});

}  // namespace regnet
