#pragma once
// The SLURM options of `launch --slurm` (and of `compare --slurm` / `audit --slurm`, which launch
// each batch the same way), bound to a LaunchRequest; core/slurm_launch.hpp decides what they mean.
#include <CLI/CLI.hpp>

#include "core/run/slurm_launch.hpp"

namespace regnet::cli {

inline void add_launch_options(CLI::App* cmd, LaunchRequest& l) {
  cmd->add_option("--tasks", l.tasks, "array tasks (default: pending samples, at most 8); each drains the sweep");
  cmd->add_option("--array-parallel", l.array_parallel, "at most this many tasks at once (sbatch --array=...%N)");
  cmd->add_option("--partition,-p", l.partition, "SLURM partition");
  cmd->add_option("--gres", l.gres, "generic resources per task, e.g. gpu:1");
  cmd->add_option("--time", l.time_limit, "time limit per task, e.g. 04:00:00");
  cmd->add_option("--cpus-per-task", l.cpus_per_task, "CPUs per task (default: --jobs x --threads, else 1)");
  cmd->add_option("--mem", l.mem, "memory per node, e.g. 8G");
  cmd->add_option("--account", l.account, "SLURM account");
  cmd->add_option("--qos", l.qos, "SLURM quality of service");
  cmd->add_option("--job-name", l.job_name, "job name (default: regnet-SWEEPNAME)");
  cmd->add_option("--sbatch-arg", l.sbatch_args,
                  "one more sbatch option, verbatim (repeatable), e.g. --constraint=a100");
}

}  // namespace regnet::cli
