// regnet-explore train: train every pending sample of a sweep (docs/workers.md).
// The plan comes from core/training_plan.hpp, the run from core/training_run.hpp (one worker
// here, or --jobs worker processes); this file binds the options and prints.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/number_options.hpp"
#include "cli/output.hpp"
#include "cli/self_exe.hpp"
#include "cli/train_options.hpp"
#include "commands.hpp"
#include "core/base/failpoint.hpp"
#include "core/base/logging.hpp"
#include "core/base/stop_signal.hpp"
#include "core/run/train_arguments.hpp"
#include "core/run/train_report.hpp"
#include "core/sweep/tidy.hpp"
#include "train/dry_run.hpp"
#include "train/trainer.hpp"

namespace regnet::cli {

namespace {

struct Options {
  TrainArguments train;  // SWEEP and train's options (the table in core/run/train_arguments.hpp)
  bool dry_run = false, json = false;
  double assume_gflops = 0;  // dry-run throughput per core (0 = documented default)
};

// What this run did: JSON on stdout with --json, else a note on stderr (none with -q).
void print_report(const Options& o, const TrainingPlan& p, const RunOutcome& r) {
  const TrainReport report = train_report(p, r);
  if (o.json) return print_json(to_json(report));
  log_lines(to_text(report));
}

void run(const Options& o) {
  load_failpoints();  // a malformed REGNET_FAILPOINT is one line, not a point silently ignored
  const TrainingPlan p = plan_training(o.train.request);
  train::SweepTrainer trainer(p.sweep_dir, train::sweep_training(p, p.devices.front()));
  if (o.dry_run) return print_result(o.json, train::dry_run_plan(p, trainer, o.assume_gflops));
  if (!o.train.worker_child && p.state.claimable().empty() && (p.state.claimed.empty() || o.train.request.no_wait)) {
    tidy_sweep(p.sweep_dir, p.claims);  // nothing to do but what killed workers left behind
    return print_report(o, p, RunOutcome{});
  }
  RunSettings s;
  s.run_id = o.train.run_id;
  s.worker_child = o.train.worker_child;
  s.show_progress = logs(LogLevel::info);
  s.executable = self_exe();
  const RunOutcome out =
      o.train.worker_child || p.jobs == 1 ? train_here(p, s, trainer.local(p.selected)) : train_with_workers(p, s, [&] {
        for (const auto& d : p.devices) train::check_device(d, "--devices");
        trainer.open(p.selected);
      });
  if (!o.train.worker_child && out.errors.empty()) print_report(o, p, out);
  if (out.interrupted) throw CLI::RuntimeError(stop_exit_code());
  check_worker_ends(p, out);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("train");
  add_train_arguments(cmd, o->train);
  cmd->add_flag("--dry-run", o->dry_run, "print the plan (what would be trained, how, how long) and write nothing");
  cmd->add_option("--assume-gflops", o->assume_gflops,
                  "--dry-run's CPU throughput per core in GFLOP/s (default 11, measured here)")
      ->transform(real_number(0, 1e6, true));
  cmd->add_flag("--json", o->json, "print the summary (or the plan) as JSON on stdout");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
