// regnet-explore launch: the same training as `train`, as a SLURM job array (docs/workers.md).
// The plan is train's (core/run/training_plan.hpp), the job array core/run/slurm_launch.hpp's, what
// it did core/run/launch_report.hpp's; this file binds the options and prints.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/launch_options.hpp"
#include "cli/output.hpp"
#include "cli/self_exe.hpp"
#include "cli/train_options.hpp"
#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/logging.hpp"
#include "core/run/launch_report.hpp"

namespace regnet::cli {

namespace {

struct Options {
  TrainingRequest train;
  LaunchRequest launch;
  bool slurm = false, dry_run = false, wait = false, json = false;
};

// --json: the report; else its text on stdout (the job id alone with -q) and its note on stderr.
void print(const Options& o, const LaunchReport& r) {
  if (o.json) return print_json(to_json(r));
  if (r.kind == LaunchReport::Kind::nothing) spdlog::info("{}", note_text(r));
  print_text(to_text(r, !logs(LogLevel::info)));
}

// --wait: the sweep's progress until the job leaves the queue.
void wait(const Options& o, const TrainingPlan& p, LaunchReport& r) {
  const bool show = logs(LogLevel::info) && !o.json;
  if (show) spdlog::info("{}", note_text(r));
  std::unique_ptr<ProgressDisplay> display;
  if (show) display = std::make_unique<ProgressDisplay>(stderr);
  wait_for_launch(p, r, display.get());
}

void run(const Options& o) {
  if (!o.slurm) fail("", "--slurm", "launch needs a scheduler: --slurm is the one supported (see --help)");
  check_launch(o.launch);
  const TrainingPlan p = plan_training(o.train);
  if (p.state.claimable().empty()) return print(o, launch_nothing(p));
  const SlurmJob job = slurm_job_for(p, o.train, o.launch, self_exe());
  if (o.dry_run) return print(o, launch_dry_run(p, job));
  LaunchReport r = launch_submitted(p, job, submit_training_job(job));
  if (o.wait) wait(o, p, r);
  print(o, r);
  check_launch_trained(r);
}

}  // namespace

void add_launch_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("launch");
  cmd->add_option("SWEEP", o->train.sweep_dir, "sweep directory, on a filesystem every node sees")->required();
  cmd->add_flag("--slurm", o->slurm, "submit to SLURM with sbatch (the supported scheduler)");
  add_launch_options(cmd, o->launch);
  add_train_options(cmd, o->train);
  cmd->add_flag("--dry-run", o->dry_run, "print the batch script and submit nothing");
  cmd->add_flag("--wait", o->wait, "wait for the job to finish, showing the sweep's progress");
  cmd->add_flag("--json", o->json, "print the outcome as JSON on stdout");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
