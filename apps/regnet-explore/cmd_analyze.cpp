// regnet-explore analyze: compare sweeps (EDFs, KS, bootstrap, width fits, trends) and write
// figures (CSV + gnuplot + PNG/SVG/PDF) and a self-contained HTML report (docs/analyze.md).
#include <spdlog/spdlog.h>

#include <algorithm>
#include <iostream>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/lists.hpp"
#include "core/base/phase_timer.hpp"
#include "core/base/units.hpp"
#include "core/compare/compare_state.hpp"
#include "core/report/analysis.hpp"
#include "core/report/html_report.hpp"
#include "core/report/plot.hpp"
#include "core/report/report_dir.hpp"
#include "core/report/terminal_summary.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::vector<std::string> sweeps;
  std::vector<std::string> names;
  std::string out;
  std::string metric = "best";
  std::string normalize = "flops";
  int bins = 0;
  std::string range;
  bool log_bins = false;
  double alpha = 0.05;
  int bootstrap = 10000;
  std::uint64_t seed = 0;
  int threads = 0;
  bool json = false;
  bool no_render = false;
  std::string formats = "auto";
  bool force = false;
};

// --formats: "auto", or a comma-separated list of png, svg, pdf (each once).
std::vector<std::string> parse_formats(const std::string& text) {
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

AnalyzeOptions analyze_options(const Options& o) {
  AnalyzeOptions opt;
  opt.metric = error_metric_from_string(o.metric);
  opt.normalization = normalization_from_string(o.normalize);
  opt.bins = o.bins;
  if (!o.range.empty()) opt.range = parse_window(o.range, "--range");
  opt.log_bins = o.log_bins;
  opt.alpha = o.alpha;
  opt.resamples = o.bootstrap;
  opt.seed = o.seed;
  opt.threads = o.threads;
  opt.progress = [](const std::string& line) { spdlog::info("analyze: {}", line); };
  return opt;
}

void run(const Options& o) {
  // Every option and the report directory are checked before anything is read or computed.
  const AnalyzeOptions opt = analyze_options(o);
  check_analyze_options(o.sweeps, o.names, opt);
  ReportOptions ro;
  ro.render = !o.no_render;
  ro.jobs = o.threads;
  ro.formats = parse_formats(o.formats);
  if (ro.render) ro.timeout_seconds = gnuplot_timeout();
  ro.progress = opt.progress;
  std::vector<std::string> sweep_dirs = expand_compare_dirs(o.sweeps);
  sweep_dirs.insert(sweep_dirs.end(), o.sweeps.begin(), o.sweeps.end());
  check_report_dir(o.out, sweep_dirs, o.force);

  PhaseTimer timer;
  timer.start("read");
  const auto sweeps = read_sweeps(o.sweeps, o.names, opt);
  timer.start("numbers");
  Analysis a = analyze(sweeps, opt);
  a.compares = read_compare_records(o.sweeps);
  for (const auto& w : a.warnings) spdlog::warn("{}", w);
  ro.on_phase = [&timer](const std::string& phase) { timer.start(phase); };
  const ReportOutput r = write_report(a, o.out, ro);
  timer.stop();
  for (const auto& n : r.notes) spdlog::info("regnet-explore: note: {}", n);
  spdlog::debug("analyze: phases: {}", timer.text());

  if (o.json) {
    nlohmann::json j = to_json(a);
    j["report"] = to_json(r);
    std::cout << j.dump(2) << "\n";
  } else {
    std::cout << text_summary(a) << "\n" << report_line(r) << "\n";
  }
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd =
      app.add_subcommand("analyze", "Compare sweeps: error EDFs, KS tests, bootstrap trends, width fits, HTML report");
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
  cmd->add_option("--bins", o->bins,
                  "Complexity bins K for the normalized EDFs (0: largest K <= min(10, n/10) with no empty bin)")
      ->capture_default_str();
  cmd->add_option("--range", o->range,
                  "Shared complexity range LO:HI of the normalized EDFs, SI suffixes, e.g. 2M:5M; a side left out is "
                  "the intersection's (default: the intersection of the sweeps' ranges)");
  cmd->add_flag("--log-bins", o->log_bins,
                "Normalize with bins linear in log(complexity) instead of NDS's linear bins");
  cmd->add_option("--alpha", o->alpha, "Significance level of the KS power estimate and the EDF bands (1 - alpha)")
      ->capture_default_str();
  cmd->add_option("--bootstrap", o->bootstrap,
                  "Bootstrap resamples: of 25% of the models for the best parameter values, of every model for the "
                  "pairs' differences")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Seed of the bootstrap")->capture_default_str();
  cmd->add_option("--names", o->names, "Legend names, one per sweep, comma-separated (default: directory names)")
      ->delimiter(',');
  cmd->add_option("--threads,-j", o->threads,
                  "Threads for the bootstrap and gnuplot processes (0: all available cores, e.g. the SLURM allocation)")
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print the summary tables as JSON on stdout");
  cmd->add_flag("--no-render", o->no_render, "Write CSV data and gnuplot scripts without running gnuplot");
  cmd->add_option("--formats", o->formats,
                  "Image formats: auto (PNG for every figure, SVG and PDF for those with at most 1000 points), or a "
                  "list of png,svg,pdf for every figure")
      ->capture_default_str();
  cmd->add_flag("--force", o->force, "Write into an --out directory that holds other files than an earlier report");
  cmd->footer(
      "Writes OUT/index.html (one self-contained page: open it in a browser), OUT/summary.json, OUT/models.csv\n"
      "(one row per sample) and OUT/figures/NAME.{csv,gp,png,svg,pdf}. An earlier report in OUT is replaced.\n"
      "Restyle any figure by editing its script and re-running it from OUT: cd OUT && gnuplot figures/edf.gp\n\n"
      "Examples:\n"
      "  regnet-explore analyze sweeps/xa sweeps/xe sweeps/regnetx --out report/\n"
      "  regnet-explore analyze sweeps/xe --out report-xe --metric final --normalize params --bins 5\n"
      "  regnet-explore analyze sweeps/r200 sweeps/r400 sweeps/r800 --names 200MF,400MF,800MF --out trends/\n"
      "  regnet-explore analyze sweeps/xa sweeps/xe --out r --range 360M:400M --bins 5\n"
      "  regnet-explore analyze sweeps/xa sweeps/xe --out r --bootstrap 2500 --seed 1 --json > summary.json\n");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
