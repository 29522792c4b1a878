#pragma once
// Training a sweep as a SLURM job array (docs/workers.md): every
// array task runs the same `regnet-explore train` worker on the shared sweep directory; claims
// make N tasks drain the sweep with each sample trained exactly once. A task preempted with
// SIGTERM exits 75, which a cluster with RequeueExit=75 requeues; the retry resumes from the
// checkpoint.
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace regnet {

struct SlurmJob {
  std::string sweep_dir;                // absolute
  std::string executable;               // absolute path of regnet-explore
  std::vector<std::string> train_args;  // what each task runs: "train", SWEEP, options...
  int tasks = 1;                        // array size
  int array_parallel = 0;               // at most this many tasks at once (0 = no limit)
  int cpus_per_task = 1;
  std::string partition, gres, time_limit, mem, account, qos, job_name;
  std::vector<std::string> extra;          // more sbatch options, verbatim ("--constraint=a100")
  std::map<std::string, std::string> env;  // exported before the worker starts
};

// The batch script, ready for `sbatch`. Pure.
std::string sbatch_script(const SlurmJob& job);
// The job id from `sbatch --parsable` output ("1234" or "1234;cluster"); UserError otherwise.
std::string parse_sbatch_job_id(const std::string& output);

// `sbatch --parsable SCRIPT` (core/subprocess.hpp, no shell): the job id, or a UserError quoting
// sbatch's complaint (or saying it is not installed).
std::string submit_sbatch(const std::string& script_path);
// Whether the job (any of its array tasks) is still pending or running (`squeue -h -j ID`).
// A controller that cannot be reached is a UserError.
bool slurm_job_active(const std::string& job_id);
// Until the job has left the queue: `tick` (e.g. a progress poll) between looks, every
// `period_seconds`.
void wait_for_job(const std::string& job_id, const std::function<void()>& tick, double period_seconds);

}  // namespace regnet
