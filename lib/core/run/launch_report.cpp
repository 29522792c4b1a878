#include "core/run/launch_report.hpp"

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/run/progress_monitor.hpp"

namespace regnet {

LaunchReport launch_nothing(const TrainingPlan& p) {
  LaunchReport r;
  r.sweep = p.sweep_dir;
  r.done = p.state.done.size();
  r.held = p.state.claimed.size();
  return r;
}

LaunchReport launch_dry_run(const TrainingPlan& p, const SlurmJob& job) {
  LaunchReport r = launch_nothing(p);
  r.kind = LaunchReport::Kind::dry_run;
  r.script = sbatch_script(job);
  r.tasks = job.tasks;
  return r;
}

LaunchReport launch_submitted(const TrainingPlan& p, const SlurmJob& job, const SubmittedJob& submitted) {
  LaunchReport r = launch_nothing(p);
  r.kind = LaunchReport::Kind::submitted;
  r.tasks = job.tasks;
  r.samples = p.state.claimable().size();
  r.job = submitted;
  return r;
}

void wait_for_launch(const TrainingPlan& p, LaunchReport& r, ProgressDisplay* display) {
  ProgressMonitor m(p.sweep_dir, p.selected, display);
  wait_for_job(
      r.job.job_id, [&] { m.poll(); }, display && display->tty() ? 1 : 2);
  m.poll();
  m.finish();
  const SweepState after = observe_sweep(p.sweep_dir, p.ids, p.claims);
  r.kind = LaunchReport::Kind::waited;
  r.trained = m.new_results().size();
  r.sweep_done = after.done.size();
  r.sweep_left = after.pending.size() + after.stale.size() + after.claimed.size();
  r.sweep_total = after.total();
}

void check_launch_trained(const LaunchReport& r) {
  if (r.kind != LaunchReport::Kind::waited || r.sweep_left == 0) return;
  fail(r.sweep, "",
       std::to_string(r.sweep_left) + " sample(s) still untrained after job " + r.job.job_id + " (see " +
           r.job.log_dir + "/*.out); launch again to finish them");
}

nlohmann::json to_json(const LaunchReport& r) {
  using Kind = LaunchReport::Kind;
  if (r.kind == Kind::nothing) return {{"sweep", r.sweep}, {"submitted", false}, {"pending", 0}};
  if (r.kind == Kind::dry_run) return {{"sweep", r.sweep}, {"dry_run", true}, {"tasks", r.tasks}, {"script", r.script}};
  nlohmann::json j{{"sweep", r.sweep},
                   {"submitted", true},
                   {"job_id", r.job.job_id},
                   {"tasks", r.tasks},
                   {"script", r.job.script_path}};
  if (r.kind == Kind::waited)
    j.update({{"trained", r.trained}, {"sweep_done", r.sweep_done}, {"sweep_left", r.sweep_left}});
  return j;
}

std::string to_text(const LaunchReport& r, bool quiet) {
  switch (r.kind) {
    case LaunchReport::Kind::nothing: return "";
    case LaunchReport::Kind::dry_run: return r.script;
    case LaunchReport::Kind::submitted:
      return quiet ? r.job.job_id + "\n"
                   : fmt::format("{}\nsubmitted job {}: {} for {}; script {}, logs {}/\n", r.job.job_id, r.job.job_id,
                                 plural(r.tasks, "task"), plural(static_cast<long long>(r.samples), "sample"),
                                 one_line(r.job.script_path), one_line(r.job.log_dir));
    case LaunchReport::Kind::waited:
      return quiet ? ""
                   : fmt::format("job {} finished: {} trained; sweep {}/{} done\n", r.job.job_id,
                                 plural(static_cast<long long>(r.trained), "model"), r.sweep_done, r.sweep_total);
  }
  return "";
}

std::string note_text(const LaunchReport& r) {
  if (r.kind == LaunchReport::Kind::nothing)
    return fmt::format("nothing to train in {} ({} done, {} held by running workers): no job submitted",
                       one_line(r.sweep), r.done, r.held);
  return fmt::format("submitted job {}: {} for {}; waiting (Ctrl-C stops waiting, not the job)", r.job.job_id,
                     plural(r.tasks, "task"), plural(static_cast<long long>(r.samples), "sample"));
}

}  // namespace regnet
