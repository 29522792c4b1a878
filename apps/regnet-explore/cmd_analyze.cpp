// regnet-explore analyze: compare sweeps (EDFs, KS, bootstrap, width fits, trends) and write
// figures (CSV + gnuplot + PNG/SVG/PDF) and a self-contained HTML report (docs/analyze.md). The
// work and the result: core/report/analyze_run.hpp.
#include "cli/number_options.hpp"
#include "cli/option_table.hpp"
#include "cli/output.hpp"
#include "commands.hpp"
#include "core/base/threads.hpp"
#include "core/report/analyze_run.hpp"

namespace regnet::cli {

namespace {

struct Options {
  AnalyzeRequest analyze;
  bool json = false, no_render = false;
};

void run(Options& o) {
  o.analyze.render = !o.no_render;
  print_result(o.json, run_analyze(o.analyze));
}

}  // namespace

void add_analyze_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto& a = o->analyze;
  auto* cmd = app.add_subcommand("analyze");
  const std::vector<OptionRow> options = {
      {"sweeps", a.sweeps, "Sweep directories (trained results are read; missing ones are reported)",
       CLI::ExistingDirectory, kRequired},
      {"--out,-o", a.out,
       "Report directory: index.html, summary.json, models.csv, figures/ (new, empty, or an earlier report; "
       "never inside a sweep)",
       kRequired},
      {"--metric", a.metric, "Which top-1 error feeds the analysis: best (minimum over epochs, as pycls) or final",
       CLI::IsMember({"best", "final"}), kShowDefault},
      {"--normalize", a.normalize, "Normalized EDFs by complexity (NDS): flops, params or none",
       CLI::IsMember({"flops", "params", "none"}), kShowDefault},
      {"--bins", a.analyze.bins,
       "Complexity bins K for the normalized EDFs (0: largest K <= min(10, n/10) with no empty bin)",
       whole_number<int>(0, kMaxBins), kShowDefault},
      {"--range", a.range,
       "Shared complexity range LO:HI of the normalized EDFs, SI suffixes, e.g. 2M:5M; a side left out is "
       "the intersection's (default: the intersection of the sweeps' ranges)"},
      {"--log-bins", a.analyze.log_bins, "Normalize with bins linear in log(complexity) instead of NDS's linear bins"},
      {"--alpha", a.analyze.alpha, "Significance level of the KS power estimate and the EDF bands (1 - alpha)",
       real_number(0, 1, true, true), kShowDefault},
      {"--bootstrap", a.analyze.resamples,
       "Bootstrap resamples: of 25% of the models for the best parameter values, of every model for the "
       "pairs' differences",
       whole_number<int>(kMinResamples, kMaxResamples), kShowDefault},
      {"--seed", a.analyze.seed, "Seed of the bootstrap", seed_number(), kShowDefault},
      {"--names", a.names, "Legend names, one per sweep, comma-separated (default: directory names)", kCommaList},
      {"--threads,-j", a.analyze.threads,
       "Threads for the bootstrap and gnuplot processes (0: all available cores, e.g. the SLURM allocation)",
       whole_number<int>(0, kMaxThreads), kShowDefault},
      {"--json", o->json, "Print the summary tables as JSON on stdout"},
      {"--no-render", o->no_render, "Write CSV data and gnuplot scripts without running gnuplot"},
      {"--formats", a.formats,
       "Image formats: auto (PNG for every figure, SVG and PDF for those with at most 1000 points), or a "
       "list of png,svg,pdf for every figure",
       kShowDefault},
      {"--force", a.force, "Write into an --out directory that holds other files than an earlier report"},
  };
  add_options(cmd, options);
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
