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

// The batch script, ready for `sbatch`: every value quoted for the reader of its line
// (core/run/batch_script.hpp). UserError naming the option for a value sbatch cannot carry.
std::string sbatch_script(const SlurmJob& job);
// How long an sbatch or squeue call may take: $REGNET_SLURM_TIMEOUT seconds, else 120 (a client
// normally answers or gives up within 10-20 s). UserError for a value that is not a positive number.
double slurm_timeout();
// The job id from `sbatch --parsable` output ("1234" or "1234;cluster"); UserError otherwise.
std::string parse_sbatch_job_id(const std::string& output);

// `sbatch --parsable SCRIPT` (core/subprocess.hpp, no shell): the job id, or a UserError quoting
// sbatch's complaint (or saying it is not installed, or did not answer within slurm_timeout()).
std::string submit_sbatch(const std::string& script_path);
// Whether the job (any of its array tasks) is still pending or running (`squeue -h -j ID`).
// A controller that cannot be reached, or does not answer within slurm_timeout(), is a UserError.
bool slurm_job_active(const std::string& job_id);
// Until the job has left the queue: `tick` (e.g. a progress poll) between looks, every
// `period_seconds`.
void wait_for_job(const std::string& job_id, const std::function<void()>& tick, double period_seconds);

}  // namespace regnet
