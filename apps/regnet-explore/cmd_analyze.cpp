// regnet-explore analyze: compare sweeps (EDFs, KS, bootstrap, width fits, trends) and write
// figures (CSV + gnuplot + PNG/SVG/PDF) and a self-contained HTML report (docs/analyze.md).
#include <spdlog/spdlog.h>

#include "commands.hpp"
#include "core/base/phase_timer.hpp"
#include "core/base/threads.hpp"
#include "core/base/units.hpp"
#include "core/compare/compare_state.hpp"
#include "core/report/analysis.hpp"
#include "core/report/html_report.hpp"
#include "core/report/plot.hpp"
#include "core/report/report_dir.hpp"
#include "core/report/terminal_summary.hpp"
#include "number_options.hpp"
#include "output.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::vector<std::string> sweeps, names;
  std::string out, metric = "best", normalize = "flops", range, formats = "auto";
  AnalyzeOptions analyze;  // --bins, --log-bins, --alpha, --bootstrap, --seed, --threads
  bool json = false, no_render = false, force = false;
};

AnalyzeOptions analyze_options(const Options& o) {
  AnalyzeOptions opt = o.analyze;
  opt.metric = error_metric_from_string(o.metric);
  opt.normalization = normalization_from_string(o.normalize);
  if (!o.range.empty()) opt.range = parse_window(o.range, "--range");
  opt.progress = [](const std::string& line) { spdlog::info("analyze: {}", line); };
  return opt;
}

void run(const Options& o) {
  // Every option and the report directory are checked before anything is read or computed.
  const AnalyzeOptions opt = analyze_options(o);
  check_analyze_options(o.sweeps, o.names, opt);
  ReportOptions ro;
  ro.render = !o.no_render;
  ro.jobs = opt.threads;
  ro.formats = requested_formats(o.formats);
  if (ro.render) ro.timeout_seconds = gnuplot_timeout();
  ro.progress = opt.progress;
  std::vector<std::string> sweep_dirs = expand_compare_dirs(o.sweeps);
  sweep_dirs.insert(sweep_dirs.end(), o.sweeps.begin(), o.sweeps.end());
  check_report_dir(o.out, sweep_dirs, o.force);

  PhaseTimer timer;
  timer.start("read");
  const auto sweeps = read_sweeps(o.sweeps, o.names, opt);
  std::vector<CompareRecord> compares = read_compare_records(o.sweeps);  // checked before any work
  timer.start("numbers");
  Analysis a = analyze(sweeps, opt);
  a.compares = std::move(compares);  // the report's compare section (analyze_sweeps does the same)
  for (const auto& w : a.warnings) spdlog::warn("{}", w);
  ro.on_phase = [&timer](const std::string& phase) { timer.start(phase); };
  const ReportOutput r = write_report(a, o.out, ro);
  timer.stop();
  for (const auto& n : r.notes) spdlog::info("regnet-explore: note: {}", n);
  spdlog::debug("analyze: phases: {}", timer.text());
  nlohmann::json j = to_json(a);
  j["report"] = to_json(r);
  print_result(o.json, j, text_summary(a) + "\n" + report_line(r) + "\n");
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("analyze", command_summary("analyze"));
  cmd->add_option("sweeps", o->sweeps, "Sweep directories (trained results are read; missing ones are reported)")
      ->required()
      ->check(CLI::ExistingDirectory);
  cmd->add_option("--out,-o", o->out,
                  "Report directory: index.html, summary.json, models.csv, figures/ (new, empty, or an earlier report; "
                  "never inside a sweep)")
      ->required();
  cmd->add_option("--metric", o->metric,
                  "Which top-1 error feeds the analysis: best (minimum over epochs, as pycls) or final")
      ->check(CLI::IsMember({"best", "final"}))
      ->capture_default_str();
  cmd->add_option("--normalize", o->normalize, "Normalized EDFs by complexity (NDS): flops, params or none")
      ->check(CLI::IsMember({"flops", "params", "none"}))
      ->capture_default_str();
  cmd->add_option("--bins", o->analyze.bins,
                  "Complexity bins K for the normalized EDFs (0: largest K <= min(10, n/10) with no empty bin)")
      ->transform(whole_number<int>(0, kMaxBins))
      ->capture_default_str();
  cmd->add_option("--range", o->range,
                  "Shared complexity range LO:HI of the normalized EDFs, SI suffixes, e.g. 2M:5M; a side left out is "
                  "the intersection's (default: the intersection of the sweeps' ranges)");
  cmd->add_flag("--log-bins", o->analyze.log_bins,
                "Normalize with bins linear in log(complexity) instead of NDS's linear bins");
  cmd->add_option("--alpha", o->analyze.alpha,
                  "Significance level of the KS power estimate and the EDF bands (1 - alpha)")
      ->transform(real_number(0, 1, true, true))
      ->capture_default_str();
  cmd->add_option("--bootstrap", o->analyze.resamples,
                  "Bootstrap resamples: of 25% of the models for the best parameter values, of every model for the "
                  "pairs' differences")
      ->transform(whole_number<int>(kMinResamples, kMaxResamples))
      ->capture_default_str();
  cmd->add_option("--seed", o->analyze.seed, "Seed of the bootstrap")->transform(seed_number())->capture_default_str();
  cmd->add_option("--names", o->names, "Legend names, one per sweep, comma-separated (default: directory names)")
      ->delimiter(',');
  cmd->add_option("--threads,-j", o->analyze.threads,
                  "Threads for the bootstrap and gnuplot processes (0: all available cores, e.g. the SLURM allocation)")
      ->transform(whole_number<int>(0, kMaxThreads))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the summary tables as JSON on stdout");
  cmd->add_flag("--no-render", o->no_render, "Write CSV data and gnuplot scripts without running gnuplot");
  cmd->add_option("--formats", o->formats,
                  "Image formats: auto (PNG for every figure, SVG and PDF for those with at most 1000 points), or a "
                  "list of png,svg,pdf for every figure")
      ->capture_default_str();
  cmd->add_flag("--force", o->force, "Write into an --out directory that holds other files than an earlier report");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
