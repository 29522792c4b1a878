// regnet-explore compare: decide whether design spaces differ with as few trained models as the
// data allows (docs/compare.md). The plan is core/compare/compare_plan.hpp, the loop
// core/compare/compare_run.hpp, each look's training core/run/batch_training.hpp (child `train`
// processes, or SLURM job arrays); this file binds the options and prints.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/launch_options.hpp"
#include "cli/number_options.hpp"
#include "cli/option_table.hpp"
#include "cli/output.hpp"
#include "cli/train_options.hpp"
#include "commands.hpp"
#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/compare/compare_planner.hpp"
#include "core/compare/compare_run.hpp"
#include "core/space/sample_sweep.hpp"

namespace regnet::cli {

namespace {

struct Options {
  CompareRequest compare;
  BatchOptions batch;
  bool json = false, plan = false;
  int pilot = 0, plan_reps = 2000;
};

// compare --plan: the predicted cost and outcomes, from what is trained; nothing trained or written.
void run_planner(const Options& o) {
  CompareRequest r = o.compare;
  r.check_out = false;
  const ComparePlan plan = plan_compare(r);
  for (const auto& w : plan.warnings) spdlog::warn("{}", w);
  const CompareForecast f = forecast_compare(plan.setup, o.pilot, o.plan_reps, o.compare.seed);
  print_result(o.json, to_json(f, plan.setup), forecast_text(f, plan.setup));
}

void run(const Options& o) {
  if (o.pilot != 0 && !o.plan) fail("", "--pilot", "only with --plan");
  if (o.plan) return run_planner(o);
  const double started = steady_seconds();
  const SweepsTrainer train = sweeps_trainer(o.batch);
  const ComparePlan plan = plan_compare(o.compare);
  for (const auto& w : plan.warnings) spdlog::warn("{}", w);
  spdlog::info("{}", plan_text(plan));
  LookRows rows;
  const auto announce = [&o](const std::string& line) { spdlog::info("{}{}", line, o.batch.slurm ? " on SLURM" : ""); };
  const CompareOutcome out = run_compare(plan, look_trainer(plan, train, announce), [&](const CompareState& s) {
    for (const auto& line : rows.next(s))
      if (!o.json) print_text(line + "\n");
  });
  spdlog::info("compare: {} trained in {}; {}", plural(out.batches, "batch", "batches"),
               format_duration(steady_seconds() - started), compare_json_path(plan.out_dir));
  print_result(o.json, to_json(out.state, plan.out_dir), join(decision_lines(out.state), "\n") + "\n");
  if (out.interrupted) stop_interrupted("finished models are kept, unfinished ones resume");
}

}  // namespace

void add_compare_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto& c = o->compare;
  auto* cmd = app.add_subcommand("compare");
  const std::vector<OptionRow> options = {
      {"SWEEPS", c.sweeps, "two or more sweep directories (from `regnet-explore sample`)", kRequired},
      {"--until", c.until,
       "decided: stop once every pair is decided (or undecided at max-n); "
       "max-n: train every sweep to max-n (the decision does not change)",
       kShowDefault},
      {"--alpha", c.alpha, "family-wise type-I error over all looks and pairs, in (0, 0.5)",
       real_number(0, 0.5, true, true), kShowDefault},
      {"--max-n", c.max_n, "models per sweep at the last look (default: the largest sweep's samples)",
       whole_number<int>(1, kMaxSamples)},
      {"--looks", c.looks,
       "models per sweep at each look, increasing, e.g. 8,12,16,24,32 "
       "(default: 8, 12, 16, 24, 32, ... up to max-n, after the first n that can reject)"},
      {"--spending", c.spending, "alpha spending: pocock (stops early on large effects) or obrien-fleming",
       kShowDefault},
      {"--margin", c.margin,
       "error points: three outcomes per pair, different, equivalent (the shift "
       "is inside +-margin) or, with --non-inferior, non-inferior (default: KS only)",
       real_number(0, 100, true)},
      {"--non-inferior", c.non_inferior,
       "with --margin: the sweep (name or directory) asked to be no worse "
       "than each other sweep by the margin or more (a one-sided question)"},
      {"--plan", o->plan,
       "with --margin: print the expected trainings and outcomes, predicted from the errors "
       "already trained (or --pilot K); trains and writes nothing"},
      {"--pilot", o->pilot, "with --plan: predict from the first K models of each sweep (default: all trained)",
       whole_number<int>(1, 10000)},
      {"--plan-reps", o->plan_reps, "simulated comparisons per scenario of --plan", whole_number<int>(100, 1000000),
       kShowDefault | kHidden},
      {"--metric", c.metric, "which top-1 error is compared: best (over epochs, as pycls) or final", kShowDefault},
      {"--out,-o", c.out, "compare directory for compare.json (default: next to the first sweep, compare-A-B)"},
      {"--force", c.force,
       "compare sweeps of different datasets, windows, input sizes or schedules "
       "(a warning each), or replace another comparison's compare.json in --out"},
      {"--json", o->json, "print compare.json's content on stdout instead of the tables"},
      {"--simulations", c.simulations, "Monte Carlo H0 trajectories behind the boundaries",
       whole_number<int>(1000, 10000000), kShowDefault | kHidden},
      {"--seed", c.seed, "seed of the boundary simulation", seed_number(), kShowDefault | kHidden},
  };
  add_options(cmd, options);
  add_train_options(cmd, c.train);
  cmd->remove_option(cmd->get_option("--ids"));  // a look trains ids 0..n-1
  add_batch_options(cmd, o->batch, "evaluate what is trained and write compare.json; train nothing",
                    "train each look's batch as SLURM job arrays (one per sweep) and wait for them");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
