#include "cli/launch_options.hpp"

#include "cli/number_options.hpp"
#include "cli/self_exe.hpp"
#include "core/base/logging.hpp"

namespace regnet::cli {

void add_launch_options(CLI::App* cmd, LaunchRequest& l) {
  cmd->add_option("--tasks", l.tasks, "array tasks (default: pending samples, at most 8); each drains the sweep")
      ->transform(whole_number<int>(1, kMaxTasks));
  cmd->add_option("--array-parallel", l.array_parallel, "at most this many tasks at once (sbatch --array=...%N)")
      ->transform(whole_number<int>(0, kMaxTasks));
  cmd->add_option("--partition,-p", l.partition, "SLURM partition");
  cmd->add_option("--gres", l.gres, "generic resources per task, e.g. gpu:1");
  cmd->add_option("--time", l.time_limit, "time limit per task, e.g. 04:00:00");
  cmd->add_option("--cpus-per-task", l.cpus_per_task, "CPUs per task (default: --jobs x --threads, else 1)")
      ->transform(whole_number<int>(1, kMaxCpusPerTask));
  cmd->add_option("--mem", l.mem, "memory per node, e.g. 8G");
  cmd->add_option("--account", l.account, "SLURM account");
  cmd->add_option("--qos", l.qos, "SLURM quality of service");
  cmd->add_option("--job-name", l.job_name, "job name (default: regnet-SWEEPNAME)");
  cmd->add_option("--sbatch-arg", l.sbatch_args,
                  "one more sbatch option, verbatim (repeatable), e.g. --constraint=a100");
}

void add_batch_options(CLI::App* cmd, BatchOptions& b, const std::string& no_train, const std::string& slurm) {
  cmd->add_flag("--no-train", b.no_train, no_train);
  cmd->add_flag("--slurm", b.slurm, slurm);
  add_launch_options(cmd, b.launch);
}

SweepsTrainer sweeps_trainer(const BatchOptions& b) { return sweeps_trainer(b, self_exe(), logs(LogLevel::info)); }

}  // namespace regnet::cli
