#pragma once
// `analyze` as one call (docs/analyze.md): every option and the report directory checked before
// anything is read, the sweeps read and analyzed, the report written; progress, warnings and
// notes logged; and what it prints (the summary tables and where the report is).
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/report/analysis.hpp"
#include "core/report/html_report.hpp"

namespace regnet {

struct AnalyzeRequest {
  std::vector<std::string> sweeps, names;  // names: one per sweep, or none (directory names)
  std::string out;                         // the report directory
  std::string metric = "best", normalize = "flops", range, formats = "auto";
  AnalyzeOptions analyze;  // bins, log_bins, alpha, resamples, seed, threads (the rest from the fields here)
  bool render = true, force = false;
};

struct AnalyzeReport {
  Analysis analysis;
  ReportOutput report;
};

AnalyzeReport run_analyze(const AnalyzeRequest& request);
nlohmann::json to_json(const AnalyzeReport& r);  // the analysis's tables, and "report"
std::string to_text(const AnalyzeReport& r);     // the terminal summary and the report's line

}  // namespace regnet
