// regnet-explore launch: the same training as `train`, as a SLURM job array (docs/workers.md).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

#include "commands.hpp"
#include "self_exe.hpp"
#include "core/error.hpp"
#include "core/json_io.hpp"
#include "core/progress.hpp"
#include "core/slurm.hpp"
#include "core/sweep.hpp"
#include "core/sweep_monitor.hpp"
#include "core/sweep_state.hpp"
#include "train_options.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::string sweep;
  TrainCliOptions train;
  bool slurm = false, dry_run = false, wait = false, json = false, quiet = false;
  int tasks = 0, array_parallel = 0, cpus_per_task = 0;
  std::string partition, gres, time_limit, mem, account, qos, job_name;
  std::vector<std::string> sbatch_args;
};

std::string timestamp() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &tm);
  return buf;
}

// Waits for the job to leave the queue, showing the sweep's progress from the shared directory.
SweepMonitor wait_for(const Options& o, const std::string& job_id, const std::vector<SampleRecord>& selected,
                      ProgressDisplay* display) {
  SweepMonitor monitor(o.sweep, selected, display);
  for (;;) {
    monitor.poll();
    if (!slurm_job_active(job_id)) break;
    std::this_thread::sleep_for(std::chrono::seconds(display && display->tty() ? 1 : 2));
  }
  monitor.poll();
  monitor.finish();
  return monitor;
}

void run(const Options& o) {
  namespace fs = std::filesystem;
  if (!o.slurm) fail("", "--slurm", "launch needs a scheduler: --slurm is the one supported (see --help)");
  const nlohmann::json sweep_json = read_sweep_json(o.sweep);
  const std::vector<SampleRecord> all = load_samples(o.sweep);
  if (all.empty()) fail(o.sweep, "samples", "the sweep has no samples");
  int max_id = 0;
  for (const auto& s : all) max_id = std::max(max_id, s.id);
  const ResolvedTraining t = resolve_training(o.train, o.sweep, sweep_json, max_id);
  std::vector<SampleRecord> selected;
  const std::set<int> want(t.ids.begin(), t.ids.end());
  for (const auto& s : all)
    if (want.empty() || want.count(s.id)) selected.push_back(s);
  const SweepState state = observe_sweep(o.sweep, t.ids, t.claims);
  const int todo = static_cast<int>(state.claimable().size());
  if (o.tasks < 0) fail("", "--tasks", std::to_string(o.tasks) + " must be >= 1");
  if (o.array_parallel < 0) fail("", "--array-parallel", std::to_string(o.array_parallel) + " must be >= 0");
  if (o.cpus_per_task < 0) fail("", "--cpus-per-task", std::to_string(o.cpus_per_task) + " must be >= 1");

  if (todo == 0) {
    if (o.json)
      std::cout << nlohmann::json{{"sweep", o.sweep}, {"submitted", false}, {"pending", 0}}.dump(2) << "\n";
    else if (!o.quiet)
      std::fprintf(stderr, "nothing to train in %s (%zu done, %zu held by running workers): no job submitted\n",
                   o.sweep.c_str(), state.done.size(), state.claimed.size());
    return;
  }

  SlurmJob job;
  job.sweep_dir = absolute(o.sweep);
  job.executable = self_exe();
  job.tasks = o.tasks > 0 ? o.tasks : std::min(todo, 8);
  job.array_parallel = o.array_parallel;
  // Each task runs --jobs worker processes of --threads threads; SLURM tells train the CPU count.
  const int jobs = std::max(1, o.train.jobs);
  job.cpus_per_task = o.cpus_per_task > 0 ? o.cpus_per_task : std::max(1, jobs * std::max(1, o.train.threads));
  job.partition = o.partition;
  job.gres = o.gres;
  job.time_limit = o.time_limit;
  job.mem = o.mem;
  job.account = o.account;
  job.qos = o.qos;
  job.job_name = o.job_name.empty() ? "regnet-" + fs::path(job.sweep_dir).filename().string() : o.job_name;
  job.extra = o.sbatch_args;
  // Tasks should not wait for each other: when nothing is claimable a task ends and frees its slot.
  job.train_args = worker_arguments(job.sweep_dir, t, t.devices.front(), o.train.threads, /*no_wait=*/true);
  if (o.train.jobs > 1) job.train_args.insert(job.train_args.end(), {"--jobs", std::to_string(o.train.jobs)});
  job.train_args.push_back("--quiet");
  if (const char* c = std::getenv("REGNET_CONFIG_DIR")) job.env["REGNET_CONFIG_DIR"] = c;
  if (const char* c = std::getenv("REGNET_DATA_ROOT")) job.env["REGNET_DATA_ROOT"] = c;
  const std::string script = sbatch_script(job);

  if (o.dry_run) {
    if (o.json)
      std::cout << nlohmann::json{{"sweep", o.sweep}, {"dry_run", true}, {"tasks", job.tasks}, {"script", script}}.dump(2)
                << "\n";
    else
      std::cout << script;
    return;
  }

  const fs::path slurm_dir = fs::path(job.sweep_dir) / "slurm";
  std::error_code ec;
  fs::create_directories(slurm_dir, ec);
  if (ec) fail(slurm_dir.string(), "", "cannot create directory: " + ec.message());
  const std::string script_path = (slurm_dir / ("train-" + timestamp() + "-" + std::to_string(::getpid()) + ".sbatch")).string();
  write_file_atomic(script_path, script);
  std::string job_id;
  try {
    job_id = submit_sbatch(script_path);
  } catch (...) {
    fs::remove(script_path, ec);  // nothing left behind by a refused submission
    throw;
  }
  write_file_atomic(script_path + ".jobid", job_id + "\n");

  if (!o.wait) {
    if (o.json)
      std::cout << nlohmann::json{{"sweep", o.sweep}, {"submitted", true}, {"job_id", job_id}, {"tasks", job.tasks},
                                  {"script", script_path}}
                       .dump(2)
                << "\n";
    else if (o.quiet)
      std::cout << job_id << "\n";
    else
      std::printf("%s\nsubmitted job %s: %d task%s for %d sample%s; script %s, logs %s/\n", job_id.c_str(),
                  job_id.c_str(), job.tasks, job.tasks == 1 ? "" : "s", todo, todo == 1 ? "" : "s",
                  script_path.c_str(), slurm_dir.c_str());
    return;
  }

  if (!o.quiet && !o.json)
    std::fprintf(stderr, "submitted job %s: %d task%s for %d sample%s; waiting (Ctrl-C stops waiting, not the job)\n",
                 job_id.c_str(), job.tasks, job.tasks == 1 ? "" : "s", todo, todo == 1 ? "" : "s");
  std::unique_ptr<ProgressDisplay> display;
  if (!o.quiet && !o.json) display = std::make_unique<ProgressDisplay>(stderr);
  const SweepMonitor m = wait_for(o, job_id, selected, display.get());
  const SweepState after = observe_sweep(o.sweep, t.ids, t.claims);
  const size_t left = after.pending.size() + after.stale.size() + after.claimed.size();
  if (o.json) {
    std::cout << nlohmann::json{{"sweep", o.sweep},
                                {"submitted", true},
                                {"job_id", job_id},
                                {"tasks", job.tasks},
                                {"script", script_path},
                                {"trained", m.new_results().size()},
                                {"sweep_done", after.done.size()},
                                {"sweep_left", left}}
                     .dump(2)
              << "\n";
  } else if (!o.quiet) {
    std::printf("job %s finished: %zu model%s trained; sweep %zu/%d done\n", job_id.c_str(), m.new_results().size(),
                m.new_results().size() == 1 ? "" : "s", after.done.size(), after.total());
  }
  if (left > 0)
    fail(o.sweep, "",
         std::to_string(left) + " sample(s) still untrained after job " + job_id + " (see " + slurm_dir.string() +
             "/*.out); launch again to finish them");
}

}  // namespace

void add_launch_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("launch", "Train a sweep as a SLURM job array (the same work as `train`)");
  cmd->add_option("SWEEP", o->sweep, "sweep directory, on a filesystem every node sees")->required();
  cmd->add_flag("--slurm", o->slurm, "submit to SLURM with sbatch (the supported scheduler)");
  cmd->add_option("--tasks", o->tasks, "array tasks (default: pending samples, at most 8); each drains the sweep");
  cmd->add_option("--array-parallel", o->array_parallel, "at most this many tasks at once (sbatch --array=...%N)");
  cmd->add_option("--partition,-p", o->partition, "SLURM partition");
  cmd->add_option("--gres", o->gres, "generic resources per task, e.g. gpu:1");
  cmd->add_option("--time", o->time_limit, "time limit per task, e.g. 04:00:00");
  cmd->add_option("--cpus-per-task", o->cpus_per_task, "CPUs per task (default: --jobs x --threads, else 1)");
  cmd->add_option("--mem", o->mem, "memory per node, e.g. 8G");
  cmd->add_option("--account", o->account, "SLURM account");
  cmd->add_option("--qos", o->qos, "SLURM quality of service");
  cmd->add_option("--job-name", o->job_name, "job name (default: regnet-SWEEPNAME)");
  cmd->add_option("--sbatch-arg", o->sbatch_args, "one more sbatch option, verbatim (repeatable), e.g. --constraint=a100");
  add_train_options(cmd, o->train);
  cmd->add_flag("--dry-run", o->dry_run, "print the batch script and submit nothing");
  cmd->add_flag("--wait", o->wait, "wait for the job to finish, showing the sweep's progress");
  cmd->add_flag("--json", o->json, "print the outcome as JSON on stdout");
  cmd->add_flag("--quiet,-q", o->quiet, "print only the job id");
  cmd->footer(
      "Writes SWEEP/slurm/train-TIME.sbatch: a job array whose tasks each run `regnet-explore train SWEEP` with\n"
      "the options given here (paths made absolute). The tasks share the sweep through its claim files, so\n"
      "any number of them train each sample exactly once; a task ends when nothing is left to claim. A task\n"
      "preempted with SIGTERM keeps its checkpoint and exits 75: with RequeueExit=75 in slurm.conf SLURM\n"
      "requeues it and it resumes. Task logs: SWEEP/slurm/NAME-JOB_TASK.out. Launching again after a failure\n"
      "trains only what is left. Prints the job id.\n\n"
      "Examples:\n"
      "  regnet-explore launch sweeps/xe --slurm --tasks 16 --array-parallel 8 --cpus-per-task 2 --time 2:00:00\n"
      "  regnet-explore launch sweeps/c10 --slurm --gres gpu:1 --partition gpu --data cifar10 --devices cuda\n"
      "  regnet-explore launch sweeps/xe --slurm --dry-run\n"
      "  regnet-explore launch sweeps/xe --slurm --schedule smoke --wait\n");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
