#include "core/run/slurm_launch.hpp"

#include <unistd.h>

#include <fmt/chrono.h>
#include <fmt/format.h>
#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/run/batch_script.hpp"
#include "core/run/train_arguments.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

std::string timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  return fmt::format("{:%Y%m%d-%H%M%S}", tm);
}

// regnet-DIRNAME, with control characters (which no #SBATCH line carries) as '_'.
std::string default_job_name(const std::string& sweep_dir) {
  std::string name = "regnet-" + fs::path(sweep_dir).filename().string();
  for (char& c : name)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '_';
  return name;
}

}  // namespace

void check_launch(const LaunchRequest& l) {
  const std::pair<const char*, const std::string*> fields[] = {
      {"--partition", &l.partition}, {"--gres", &l.gres}, {"--time", &l.time_limit},  {"--mem", &l.mem},
      {"--account", &l.account},     {"--qos", &l.qos},   {"--job-name", &l.job_name}};
  for (const auto& [option, value] : fields) check_sbatch_value(option, *value);
  for (const auto& a : l.sbatch_args) check_sbatch_argument("--sbatch-arg", a);
  // %x in the log's file name is the job name: a '/' would point the log into a directory that is not there.
  if (l.job_name.find('/') != std::string::npos)
    fail("", "--job-name",
         "'" + printable(l.job_name) + "' holds a '/' (the name is part of the task logs' file names)");
  // 0 is each one's default ("not given"); `lo` is what the message shows.
  const struct {
    const char* option;
    std::int64_t value, lo, hi;
  } numbers[] = {{"--tasks", l.tasks, 1, kMaxTasks},
                 {"--array-parallel", l.array_parallel, 0, kMaxTasks},
                 {"--cpus-per-task", l.cpus_per_task, 1, kMaxCpusPerTask}};
  for (const auto& n : numbers)
    if (n.value < 0 || n.value > n.hi) fail("", n.option, fmt::format("{} must be in [{}, {}]", n.value, n.lo, n.hi));
  slurm_timeout();  // a bad REGNET_SLURM_TIMEOUT is found before anything is written
}

SlurmJob slurm_job_for(const TrainingPlan& plan, const TrainingRequest& train, const LaunchRequest& l,
                       const std::string& executable) {
  check_launch(l);
  SlurmJob job;
  job.sweep_dir = fs::absolute(plan.sweep_dir).lexically_normal().string();
  job.executable = executable;
  const int todo = static_cast<int>(plan.state.claimable().size());
  job.tasks = l.tasks > 0 ? l.tasks : std::max(1, std::min(todo, 8));
  job.array_parallel = l.array_parallel;
  // Each task runs --jobs worker processes of --threads threads; SLURM tells train the CPU count.
  // The plan bounded both (kMaxJobs, kMaxThreads): their product, in 64 bits, is at most kMaxCpusPerTask.
  const std::int64_t cpus = std::int64_t{std::max(1, train.jobs)} * std::max(1, train.threads);
  job.cpus_per_task = l.cpus_per_task > 0 ? l.cpus_per_task : static_cast<int>(std::min(cpus, kMaxCpusPerTask));
  job.partition = l.partition;
  job.gres = l.gres;
  job.time_limit = l.time_limit;
  job.mem = l.mem;
  job.account = l.account;
  job.qos = l.qos;
  job.job_name = l.job_name.empty() ? default_job_name(job.sweep_dir) : l.job_name;
  job.extra = l.sbatch_args;
  // Tasks should not wait for each other: when nothing is claimable a task ends and frees its slot.
  TrainArguments args = worker_arguments(plan, plan.devices.front(), train.threads, /*no_wait=*/true);
  if (train.jobs > 1) args.request.jobs = train.jobs;
  args.quiet = true;
  job.train_args = args.to_args();
  for (const char* k : {"REGNET_CONFIG_DIR", "REGNET_DATA_ROOT"})
    if (const char* v = std::getenv(k)) job.env[k] = v;
  return job;
}

SubmittedJob submit_training_job(const SlurmJob& job) {
  SubmittedJob s;
  s.log_dir = (fs::path(job.sweep_dir) / "slurm").string();
  std::error_code ec;
  const bool existed = fs::exists(s.log_dir, ec);
  fs::create_directories(s.log_dir, ec);
  if (ec) fail(s.log_dir, "", "cannot create directory: " + ec.message());
  const std::string stem = fmt::format("{}/train-{}-{}", s.log_dir, timestamp(), ::getpid());
  s.script_path = stem + ".sbatch";
  for (int k = 2; fs::exists(s.script_path, ec); ++k) s.script_path = fmt::format("{}-{}.sbatch", stem, k);
  try {
    write_file_atomic(s.script_path, sbatch_script(job));
    s.job_id = submit_sbatch(s.script_path);
  } catch (...) {
    fs::remove(s.script_path, ec);            // nothing left behind by a refused submission,
    if (!existed) fs::remove(s.log_dir, ec);  // not even the slurm/ directory (when still empty)
    throw;
  }
  write_file_atomic(s.script_path + ".jobid", s.job_id + "\n");
  return s;
}

}  // namespace regnet
