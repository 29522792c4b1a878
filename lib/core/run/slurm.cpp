#include "core/run/slurm.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/base/error.hpp"
#include "core/base/subprocess.hpp"

namespace regnet {

std::string sbatch_script(const SlurmJob& j) {
  std::string s;
  s += "#!/bin/bash\n";
  s += "# Written by `regnet-explore launch`: trains the sweep " + j.sweep_dir + " as a SLURM job array.\n";
  s += "# Every task runs the same worker; claims in the sweep directory share out the samples, so the\n";
  s += "# tasks train each sample exactly once. A task stopped by SIGTERM (preemption, scancel --signal)\n";
  s += "# exits 75 and, with RequeueExit=75 in slurm.conf, is requeued to resume from its checkpoint.\n";
  auto opt = [&](const std::string& o) { s += "#SBATCH " + o + "\n"; };
  opt("--job-name=" + (j.job_name.empty() ? std::string("regnet-train") : j.job_name));
  std::string array = "--array=0-" + std::to_string(std::max(1, j.tasks) - 1);
  if (j.array_parallel > 0) array += "%" + std::to_string(j.array_parallel);
  opt(array);
  opt("--output=" + j.sweep_dir + "/slurm/%x-%A_%a.out");
  opt("--open-mode=append");  // a requeued task adds to its log
  opt("--requeue");
  opt("--cpus-per-task=" + std::to_string(std::max(1, j.cpus_per_task)));
  if (!j.partition.empty()) opt("--partition=" + j.partition);
  if (!j.gres.empty()) opt("--gres=" + j.gres);
  if (!j.time_limit.empty()) opt("--time=" + j.time_limit);
  if (!j.mem.empty()) opt("--mem=" + j.mem);
  if (!j.account.empty()) opt("--account=" + j.account);
  if (!j.qos.empty()) opt("--qos=" + j.qos);
  for (const auto& e : j.extra) opt(e);
  s += "\n";
  for (const auto& [k, v] : j.env) s += "export " + k + "=" + shell_quote(v) + "\n";
  s += "echo \"regnet-explore: task ${SLURM_ARRAY_TASK_ID} of job ${SLURM_ARRAY_JOB_ID} on $(hostname), "
       "restart ${SLURM_RESTART_COUNT:-0}\"\n";
  // exec: the worker itself receives SLURM's signals.
  s += "exec " + shell_quote(j.executable);
  for (const auto& a : j.train_args) s += " " + shell_quote(a);
  s += "\n";
  return s;
}

std::string parse_sbatch_job_id(const std::string& output) {
  std::string first = output.substr(0, output.find('\n'));
  first = first.substr(0, first.find(';'));
  while (!first.empty() && std::isspace(static_cast<unsigned char>(first.back()))) first.pop_back();
  if (first.empty() || !std::all_of(first.begin(), first.end(), [](char c) { return c >= '0' && c <= '9'; }))
    fail("sbatch", "", "unexpected output '" + output + "' (expected a job id)");
  return first;
}

namespace {

std::string first_line(const std::string& s) {
  std::string l = s.substr(0, s.find('\n'));
  return l.empty() ? "(no message)" : l;
}

// A SLURM client with its output captured; not installed is one clear line.
ProcessResult run_slurm(const std::vector<std::string>& argv) {
  SpawnOptions o;
  o.argv = argv;
  o.out = Redirect::capture();
  o.err = Redirect::capture();
  try {
    return run_process(o);
  } catch (const SpawnError&) {
    fail(argv.front(), "",
         "not found: is SLURM installed and " + argv.front() + " on PATH? (try --dry-run to see the script)");
  }
}

}  // namespace

std::string submit_sbatch(const std::string& script_path) {
  const ProcessResult r = run_slurm({"sbatch", "--parsable", script_path});
  if (r.status.shell_code() != 0) fail(script_path, "sbatch", "refused the job: " + first_line(r.err));
  return parse_sbatch_job_id(r.out);
}

bool slurm_job_active(const std::string& job_id) {
  const ProcessResult r = run_slurm({"squeue", "-h", "-j", job_id, "-o", "%i %T"});
  if (r.status.success()) return r.out.find_first_not_of(" \n") != std::string::npos;
  // Once the controller forgets a finished job, squeue calls its id invalid: it is over.
  if (r.err.find("Invalid job id") != std::string::npos) return false;
  fail("squeue", "", first_line(r.err));
}

void wait_for_job(const std::string& job_id, const std::function<void()>& tick, double period_seconds) {
  for (;;) {
    if (tick) tick();
    if (!slurm_job_active(job_id)) return;
    std::this_thread::sleep_for(std::chrono::duration<double>(period_seconds));
  }
}

}  // namespace regnet
