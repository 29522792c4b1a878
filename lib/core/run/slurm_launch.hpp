#pragma once
// `launch --slurm`: a training plan as a SLURM job array whose every task runs the same
// `train` worker (worker_arguments) on the shared sweep, and its submission.
#include <cstdint>
#include <string>
#include <vector>

#include "core/run/slurm.hpp"
#include "core/run/training_plan.hpp"

namespace regnet {

// Bounds of the numbers a launch takes: a job array's tasks (SLURM's MaxArraySize is at most
// 4000001) and CPUs per task (--jobs x --threads at most: their product is computed in 64 bits).
constexpr int kMaxTasks = 100000;
constexpr std::int64_t kMaxCpusPerTask = std::int64_t{kMaxJobs} * kMaxThreads;

// The scheduler's side of a launch (the training side is a TrainingRequest).
struct LaunchRequest {
  int tasks = 0;           // array tasks; 0 = the samples left, at most 8
  int array_parallel = 0;  // at most this many at once (0 = no limit)
  int cpus_per_task = 0;   // 0 = --jobs x --threads, else 1
  std::string partition, gres, time_limit, mem, account, qos, job_name;
  std::vector<std::string> sbatch_args;  // verbatim, one sbatch option each
};

// Every check that needs no sweep, before anything is written: UserError naming the option for a
// value no #SBATCH line can carry (check_sbatch_value), an --sbatch-arg that is no option, a '/'
// in --job-name (part of the logs' file names), a --tasks, --array-parallel or --cpus-per-task
// out of its bounds, or a bad REGNET_SLURM_TIMEOUT.
void check_launch(const LaunchRequest& launch);

// The job array that trains what `plan` leaves: each task runs `executable` with the plan's
// worker arguments (paths absolute, --no-wait so a task ends when nothing is left to claim,
// --quiet), --jobs and --threads as `train` was asked for them (a task's own `train` sizes its
// threads from SLURM_CPUS_PER_TASK), REGNET_CONFIG_DIR / REGNET_DATA_ROOT exported when set.
SlurmJob slurm_job_for(const TrainingPlan& plan, const TrainingRequest& train, const LaunchRequest& launch,
                       const std::string& executable);

struct SubmittedJob {
  std::string job_id;
  std::string script_path;  // DIR/slurm/train-TIME-PID[-K].sbatch (+ .jobid beside it); never an old one
  std::string log_dir;      // DIR/slurm: the tasks' logs
};
// Writes the script and submits it; a refused submission leaves no script behind, nor the
// slurm/ directory when it created it.
SubmittedJob submit_training_job(const SlurmJob& job);

}  // namespace regnet
