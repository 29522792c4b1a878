// regnet-explore launch: the same training as `train`, as a SLURM job array (docs/workers.md).
// The plan is train's (core/run/training_plan.hpp), the job array core/run/slurm_launch.hpp's; this file
// binds the options and prints.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <memory>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/run/progress_monitor.hpp"
#include "core/run/slurm_launch.hpp"
#include "launch_options.hpp"
#include "output.hpp"
#include "self_exe.hpp"
#include "train_options.hpp"

namespace regnet::cli {

namespace {

struct Options {
  TrainingRequest train;
  LaunchRequest launch;
  bool slurm = false, dry_run = false, wait = false, json = false;
};

bool quiet() { return !logs(LogLevel::info); }

void print_nothing_to_do(const Options& o, const TrainingPlan& p) {
  if (o.json) return print_json({{"sweep", p.sweep_dir}, {"submitted", false}, {"pending", 0}});
  spdlog::info("nothing to train in {} ({} done, {} held by running workers): no job submitted", p.sweep_dir,
               p.state.done.size(), p.state.claimed.size());
}

nlohmann::json submitted_json(const TrainingPlan& p, const SlurmJob& job, const SubmittedJob& s) {
  return {{"sweep", p.sweep_dir},
          {"submitted", true},
          {"job_id", s.job_id},
          {"tasks", job.tasks},
          {"script", s.script_path}};
}

void print_submitted(const Options& o, const TrainingPlan& p, const SlurmJob& job, const SubmittedJob& s) {
  if (o.json) return print_json(submitted_json(p, job, s));
  if (quiet()) return print_text(s.job_id + "\n");
  print_text(fmt::format("{}\nsubmitted job {}: {} for {}; script {}, logs {}/\n", s.job_id, s.job_id,
                         plural(job.tasks, "task"),
                         plural(static_cast<long long>(p.state.claimable().size()), "sample"), one_line(s.script_path),
                         one_line(s.log_dir)));
}

// --wait: the sweep's progress until the job leaves the queue; fails if samples are left.
void wait_and_report(const Options& o, const TrainingPlan& p, const SlurmJob& job, const SubmittedJob& s) {
  const bool show = !quiet() && !o.json;
  if (show)
    spdlog::info("submitted job {}: {} for {}; waiting (Ctrl-C stops waiting, not the job)", s.job_id,
                 plural(job.tasks, "task"), plural(static_cast<long long>(p.state.claimable().size()), "sample"));
  std::unique_ptr<ProgressDisplay> display;
  if (show) display = std::make_unique<ProgressDisplay>(stderr);
  ProgressMonitor m(p.sweep_dir, p.selected, display.get());
  wait_for_job(
      s.job_id, [&] { m.poll(); }, display && display->tty() ? 1 : 2);
  m.poll();
  m.finish();
  const SweepState after = observe_sweep(p.sweep_dir, p.ids, p.claims);
  const size_t left = after.pending.size() + after.stale.size() + after.claimed.size();
  nlohmann::json j = submitted_json(p, job, s);
  j.update({{"trained", m.new_results().size()}, {"sweep_done", after.done.size()}, {"sweep_left", left}});
  if (o.json)
    print_json(j);
  else if (!quiet())
    print_text(fmt::format("job {} finished: {} trained; sweep {}/{} done\n", s.job_id,
                           plural(static_cast<long long>(m.new_results().size()), "model"), after.done.size(),
                           after.total()));
  if (left > 0)
    fail(p.sweep_dir, "",
         std::to_string(left) + " sample(s) still untrained after job " + s.job_id + " (see " + s.log_dir +
             "/*.out); launch again to finish them");
}

void run(const Options& o) {
  if (!o.slurm) fail("", "--slurm", "launch needs a scheduler: --slurm is the one supported (see --help)");
  check_launch(o.launch);
  const TrainingPlan p = plan_training(o.train);
  if (p.state.claimable().empty()) return print_nothing_to_do(o, p);
  const SlurmJob job = slurm_job_for(p, o.train, o.launch, self_exe());
  if (o.dry_run) {
    const std::string script = sbatch_script(job);
    return print_result(o.json, {{"sweep", p.sweep_dir}, {"dry_run", true}, {"tasks", job.tasks}, {"script", script}},
                        script);
  }
  const SubmittedJob s = submit_training_job(job);
  if (!o.wait) return print_submitted(o, p, job, s);
  wait_and_report(o, p, job, s);
}

}  // namespace

void add_launch_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("launch", command_summary("launch"));
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
