#include "core/run/slurm.hpp"

#include <algorithm>
#include <chrono>
#include <cstring>
#include <thread>

#include "core/base/error.hpp"
#include "core/base/subprocess.hpp"
#include "core/base/text.hpp"
#include "core/run/batch_script.hpp"

namespace regnet {

namespace {

// The task's log: DIR/slurm/NAME-JOB_TASK.out (open-mode append: a requeued task adds to it).
// Where sbatch cannot name that file (a line break or backslash in DIR), SLURM's own output goes
// to /dev/null and the task redirects itself, from a bash line, before it writes anything.
struct LogLines {
  std::string option;                      // the #SBATCH --output line
  std::vector<std::string> before, after;  // a comment among the options; the task's own redirect
};

LogLines log_lines(const std::string& sweep_dir) {
  const std::string dir = sweep_dir + "/slurm/";
  if (const auto pattern = sbatch_filename(dir)) return {sbatch_option("output", *pattern + "%x-%A_%a.out"), {}, {}};
  return {sbatch_option("output", "/dev/null"),
          {comment_line("sbatch cannot name a file in this sweep's directory: each task opens its own log.")},
          {"exec >>" + bash_word(dir) + "\"${SLURM_JOB_NAME}-${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}.out\" 2>&1"}};
}

std::vector<std::string> option_lines(const SlurmJob& j) {
  std::string array = "0-" + std::to_string(std::max(1, j.tasks) - 1);
  if (j.array_parallel > 0) array += "%" + std::to_string(j.array_parallel);
  std::vector<std::string> l = {
      sbatch_option("job-name", j.job_name.empty() ? "regnet-train" : j.job_name), sbatch_option("array", array),
      sbatch_option("open-mode", "append"),  // a requeued task adds to its log
      "#SBATCH --requeue", sbatch_option("cpus-per-task", std::to_string(std::max(1, j.cpus_per_task)))};
  const std::pair<const char*, const std::string*> values[] = {{"partition", &j.partition}, {"gres", &j.gres},
                                                               {"time", &j.time_limit},     {"mem", &j.mem},
                                                               {"account", &j.account},     {"qos", &j.qos}};
  for (const auto& [name, value] : values)
    if (!value->empty()) l.push_back(sbatch_option(name, *value));
  for (const auto& e : j.extra) l.push_back(sbatch_argument("--sbatch-arg", e));
  return l;
}

}  // namespace

std::string sbatch_script(const SlurmJob& j) {
  const LogLines log = log_lines(j.sweep_dir);
  std::vector<std::string> l = {
      "#!/bin/bash",
      comment_line("Written by `regnet-explore launch`: trains the sweep " + j.sweep_dir + " as a SLURM job array."),
      "# Every task runs the same worker; claims in the sweep directory share out the samples, so the",
      "# tasks train each sample exactly once. A task stopped by SIGTERM (preemption, scancel --signal)",
      "# exits 75 and, with RequeueExit=75 in slurm.conf, is requeued to resume from its checkpoint."};
  l.insert(l.end(), log.before.begin(), log.before.end());
  l.push_back(log.option);
  for (auto& o : option_lines(j)) l.push_back(std::move(o));
  l.emplace_back();  // sbatch reads no #SBATCH line below the first command
  l.insert(l.end(), log.after.begin(), log.after.end());
  for (const auto& [k, v] : j.env) l.push_back(bash_export(k, v));
  l.emplace_back(
      "echo \"regnet-explore: task ${SLURM_ARRAY_TASK_ID} of job ${SLURM_ARRAY_JOB_ID} on $(hostname), "
      "restart ${SLURM_RESTART_COUNT:-0}\"");
  std::vector<std::string> exec = {j.executable};
  exec.insert(exec.end(), j.train_args.begin(), j.train_args.end());
  l.push_back("exec " + bash_command(exec));  // exec: the worker itself receives SLURM's signals
  return join(l, "\n") + "\n";
}

double slurm_timeout() { return timeout_from_env("REGNET_SLURM_TIMEOUT", 120); }

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

// A SLURM client with its output captured, stopped after slurm_timeout(); not installed is one
// clear line, and so is a client that does not answer (a hung controller must not hang us).
ProcessResult run_slurm(const std::vector<std::string>& argv, const std::string& unanswered) {
  SpawnOptions o;
  o.argv = argv;
  o.out = Redirect::capture();
  o.err = Redirect::capture();
  const double timeout = slurm_timeout();
  ProcessResult r;
  try {
    r = run_process(o, timeout);
  } catch (const SpawnError&) {
    fail(argv.front(), "",
         "not found: is SLURM installed and " + argv.front() + " on PATH? (try --dry-run to see the script)");
  }
  if (r.timed_out)
    fail(argv.front(), "", "no answer within " + shortest(timeout) + " s (REGNET_SLURM_TIMEOUT), stopped" + unanswered);
  return r;
}

}  // namespace

std::string submit_sbatch(const std::string& script_path) {
  const ProcessResult r = run_slurm({"sbatch", "--parsable", script_path},
                                    ": is the controller up? The job may be queued all the same (see squeue)");
  if (r.status.shell_code() != 0) fail(script_path, "sbatch", "refused the job: " + first_line(r.err));
  return parse_sbatch_job_id(r.out);
}

bool slurm_job_active(const std::string& job_id) {
  const ProcessResult r = run_slurm({"squeue", "-h", "-j", job_id, "-o", "%i %T"}, ": is the controller up?");
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
