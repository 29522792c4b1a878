// `regnet-explore fit`: the linear width fit (w0, wa, wm, e_fit) of a sweep's best models, or of
// widths given on the command line (docs/reference.md §7, docs/fit.md). The work and the result:
// core/fit/fit_report.hpp.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/number_options.hpp"
#include "cli/option_table.hpp"
#include "cli/output.hpp"
#include "commands.hpp"
#include "core/fit/fit_report.hpp"
#include "core/space/sample_sweep.hpp"

namespace regnet::cli {

namespace {

struct Options {
  FitRequest fit;
  bool json = false;
};

void run(const Options& o) {
  const FitReport r = run_fit(o.fit);
  if (r.sweep)
    for (const auto& w : r.sweep->warnings) spdlog::warn("{}", w);
  print_result(o.json, r);
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto& f = o->fit;
  auto* cmd = app.add_subcommand("fit");
  const std::vector<OptionRow> options = {
      {"sweep", f.sweep, "Sweep directory (with trained results)"},
      {"--widths", f.widths, "Fit these per-block widths instead: W1,W2,... (one per block)"},
      {"-k,--top", f.fit.top, "Fit the K models with the lowest error", whole_number<int>(1, kMaxSamples),
       kShowDefault},
      {"--metric", f.metric, "Which top-1 error ranks models: best (minimum over epochs) or final",
       CLI::IsMember({"best", "final"}), kShowDefault},
      {"--json", o->json, "Print JSON"},
      {"--out-space", f.out_space,
       "Write the RegNet design space the fits suggest (configs/spaces/*.json schema) to FILE (a new file)"},
      {"--space-name", f.space_name, "Name of the --out-space space (default: the file's stem)"},
      {"--out-specs", f.out_specs,
       "Write each fitted RegNet (regnet params and spec) to DIR/NNNNNN.json (DIR new or empty)"},
      {"--force", f.force, "Replace an existing --out-space file; write into a non-empty --out-specs DIR"},
      {"--resamples", f.fit.resamples, "Bootstrap repetitions for the bands of the medians",
       whole_number<int>(kMinResamples, kMaxResamples), kShowDefault},
      {"--seed", f.fit.seed, "Bootstrap seed", seed_number(), kShowDefault},
      {"--w0-max", f.w0_max, "Largest w0 of the search grid (w0 = 8..MAX step 8)", whole_number<int>(8, kMaxFitW0),
       kShowDefault},
  };
  add_options(cmd, options);
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
