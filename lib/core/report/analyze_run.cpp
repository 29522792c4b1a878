#include "core/report/analyze_run.hpp"

#include <spdlog/spdlog.h>

#include "core/base/phase_timer.hpp"
#include "core/base/units.hpp"
#include "core/compare/compare_state.hpp"
#include "core/report/plot.hpp"
#include "core/report/refine_report.hpp"
#include "core/report/report_dir.hpp"
#include "core/report/terminal_summary.hpp"

namespace regnet {

namespace {

AnalyzeOptions analyze_options(const AnalyzeRequest& q) {
  AnalyzeOptions opt = q.analyze;
  opt.metric = error_metric_from_string(q.metric);
  opt.normalization = normalization_from_string(q.normalize);
  if (!q.range.empty()) opt.range = parse_window(q.range, "--range");
  opt.progress = [](const std::string& line) { spdlog::info("analyze: {}", line); };
  return opt;
}

ReportOptions report_options(const AnalyzeRequest& q, const AnalyzeOptions& opt) {
  ReportOptions ro;
  ro.render = q.render;
  ro.jobs = opt.threads;
  ro.formats = requested_formats(q.formats);
  if (ro.render) ro.timeout_seconds = gnuplot_timeout();
  ro.progress = opt.progress;
  return ro;
}

}  // namespace

AnalyzeReport run_analyze(const AnalyzeRequest& q) {
  // Every option and the report directory are checked before anything is read or computed.
  const AnalyzeOptions opt = analyze_options(q);
  check_analyze_options(q.sweeps, q.names, opt);
  ReportOptions ro = report_options(q, opt);
  std::vector<std::string> sweep_dirs = expand_analysis_inputs(q.sweeps);
  sweep_dirs.insert(sweep_dirs.end(), q.sweeps.begin(), q.sweeps.end());
  check_report_dir(q.out, sweep_dirs, q.force);

  PhaseTimer timer;
  timer.start("read");
  const auto sweeps = read_sweeps(q.sweeps, q.names, opt);
  std::vector<CompareRecord> compares = read_compare_records(q.sweeps);  // checked before any work
  std::vector<RefineRecord> refines = read_refine_records(q.sweeps);
  timer.start("numbers");
  AnalyzeReport r;
  r.analysis = analyze(sweeps, opt);
  r.analysis.compares = std::move(compares);  // the report's compare section (analyze_sweeps does the same)
  r.analysis.refines = std::move(refines);
  for (const auto& w : r.analysis.warnings) spdlog::warn("{}", w);
  ro.on_phase = [&timer](const std::string& phase) { timer.start(phase); };
  r.report = write_report(r.analysis, q.out, ro);
  timer.stop();
  for (const auto& n : r.report.notes) spdlog::info("regnet-explore: note: {}", n);
  spdlog::debug("analyze: phases: {}", timer.text());
  return r;
}

nlohmann::json to_json(const AnalyzeReport& r) {
  nlohmann::json j = to_json(r.analysis);
  j["report"] = to_json(r.report);
  return j;
}

std::string to_text(const AnalyzeReport& r) { return text_summary(r.analysis) + "\n" + report_line(r.report) + "\n"; }

}  // namespace regnet
