#include "core/slurm.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.hpp"

namespace regnet {

std::string shell_quote(const std::string& w) {
  const bool plain = !w.empty() && std::all_of(w.begin(), w.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("@%_+=:,./-", c) != nullptr;
  });
  if (plain) return w;
  std::string out = "'";
  for (char c : w) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

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

CommandResult run_command(const std::vector<std::string>& argv) {
  CommandResult r;
  int out[2], err[2];
  if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    ::dup2(out[1], 1);
    ::dup2(err[1], 2);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) ::dup2(devnull, 0);
    ::execvp(args[0], args.data());
    ::_exit(127);
  }
  ::close(out[1]);
  ::close(err[1]);
  struct pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  std::string* dst[2] = {&r.out, &r.err};
  int open_fds = 2;
  while (open_fds > 0) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[4096];
      const ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) {
        dst[i]->append(buf, static_cast<size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
      }
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return r;
}

namespace {
std::string first_line(const std::string& s) {
  std::string l = s.substr(0, s.find('\n'));
  return l.empty() ? "(no message)" : l;
}
}  // namespace

std::string submit_sbatch(const std::string& script_path) {
  const CommandResult r = run_command({"sbatch", "--parsable", script_path});
  if (r.exit_code == 127 && r.out.empty())
    fail("sbatch", "", "not found: is SLURM installed and sbatch on PATH? (try --dry-run to see the script)");
  if (r.exit_code != 0) fail(script_path, "sbatch", "refused the job: " + first_line(r.err));
  return parse_sbatch_job_id(r.out);
}

bool slurm_job_active(const std::string& job_id) {
  const CommandResult r = run_command({"squeue", "-h", "-j", job_id, "-o", "%i %T"});
  if (r.exit_code == 0) return r.out.find_first_not_of(" \n") != std::string::npos;
  // Once the controller forgets a finished job, squeue calls its id invalid: it is over.
  if (r.err.find("Invalid job id") != std::string::npos) return false;
  fail("squeue", "", first_line(r.err));
}

}  // namespace regnet
