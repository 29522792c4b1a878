// regnet-explore train: train every pending sample of a sweep (docs/workers.md).
// One worker in this process, or --jobs K worker processes (this program re-run in a hidden
// worker mode) that share the sweep through claims; progress is read back from the directory.
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <thread>

#include "commands.hpp"
#include "self_exe.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "core/sweep.hpp"
#include "core/sweep_monitor.hpp"
#include "core/units.hpp"
#include "core/sweep_worker.hpp"
#include "core/sweep_state.hpp"
#include "train_options.hpp"
#ifdef REGNET_WITH_TORCH
#include "train/sweep_trainer.hpp"
#endif

namespace regnet::cli {

namespace {

struct Options {
  std::string sweep;
  TrainCliOptions train;
  bool dry_run = false, json = false, quiet = false;
  bool worker_child = false;  // hidden: one worker of a --jobs run
  std::string run_id;         // hidden: the parent's run, recorded in provenance
  double assume_gflops = 0;   // dry-run throughput per core (0 = documented default)
};

// Exit codes: 75 (EX_TEMPFAIL) after SIGTERM, so SLURM's RequeueExit=75 requeues a preempted
// task; 128+2 after SIGINT, as shells report an interrupt.
constexpr int kExitTerminated = 75;
constexpr int kExitInterrupted = 130;

volatile std::sig_atomic_t g_signal = 0;
volatile std::sig_atomic_t g_escalate = 0;

extern "C" void on_stop_signal(int sig) {
  if (g_signal != 0 && g_escalate && sig == SIGINT) {  // a second Ctrl-C: stop now
    std::signal(sig, SIG_DFL);
    std::raise(sig);
  }
  if (g_signal == 0) g_signal = sig;
}

void install_stop_handlers(bool escalate) {
  g_escalate = escalate ? 1 : 0;
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

int stop_exit_code() { return g_signal == SIGTERM ? kExitTerminated : kExitInterrupted; }

std::string default_run_id() {
  return this_process().host + "-" + std::to_string(this_process().pid);
}

nlohmann::json slurm_provenance() {
  nlohmann::json j = nlohmann::json::object();
  for (const char* k : {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_RESTART_COUNT",
                        "SLURMD_NODENAME", "SLURM_JOB_PARTITION"})
    if (const char* v = std::getenv(k)) j[k] = v;
  return j;
}

struct Plan {
  nlohmann::json sweep_json;
  std::vector<SampleRecord> selected;
  ResolvedTraining t;
  SweepState state;
};

Plan make_plan(const Options& o) {
  Plan p;
  p.sweep_json = read_sweep_json(o.sweep);
  std::vector<SampleRecord> all = load_samples(o.sweep);
  if (all.empty()) fail(o.sweep, "samples", "the sweep has no samples");
  int max_id = 0;
  for (const auto& s : all) max_id = std::max(max_id, s.id);
  p.t = resolve_training(o.train, o.sweep, p.sweep_json, max_id);
  const std::set<int> want(p.t.ids.begin(), p.t.ids.end());
  for (auto& s : all)
    if (want.empty() || want.count(s.id)) p.selected.push_back(std::move(s));
  if (p.selected.empty()) fail("", "--ids", "'" + o.train.ids + "' selects no sample of " + o.sweep);
  for (const auto& s : p.selected)
    if (s.spec.input_size != p.selected.front().spec.input_size)
      fail(sample_path(o.sweep, s.id), "spec.input_size",
           std::to_string(s.spec.input_size) + " differs from sample " + std::to_string(p.selected.front().id) +
               "'s " + std::to_string(p.selected.front().spec.input_size) + ": train them in separate runs (--ids)");
  p.state = observe_sweep(o.sweep, p.t.ids, p.t.claims);
  return p;
}

#ifdef REGNET_WITH_TORCH

train::SweepTraining sweep_training(const Plan& p, const std::string& device) {
  train::SweepTraining st;
  st.data.source = p.t.data_source;
  st.data.root = p.t.data_root;
  st.data.image_size = p.selected.front().spec.input_size;
  st.schedule = p.t.schedule;
  st.schedule_source = p.t.schedule_path;
  st.device = device;
  st.threads = p.t.threads;
  return st;
}

std::string describe_dataset(const train::DatasetInfo& d) {
  return d.name + " (" + d.root + "): " + format_thousands(d.train_size) + " train / " +
         format_thousands(d.test_size) + " test images, " + std::to_string(d.image_size) + " px, " +
         std::to_string(d.channels) + (d.channels == 1 ? " channel, " : " channels, ") +
         std::to_string(d.num_classes) + " classes";
}

void dry_run(const Options& o, const Plan& p) {
  const train::DatasetInfo info = train::SweepTrainer(o.sweep, sweep_training(p, p.t.devices.front())).open(p.selected);
  const Schedule& s = p.t.schedule;
  const std::int64_t train_n = s.train_limit > 0 ? std::min<std::int64_t>(s.train_limit, info.train_size) : info.train_size;
  const std::int64_t test_n = s.test_limit > 0 ? std::min<std::int64_t>(s.test_limit, info.test_size) : info.test_size;
  ThroughputAssumption a;
  if (o.assume_gflops > 0) a.flops_per_second_per_core = o.assume_gflops * 1e9;
  std::map<int, std::int64_t> macs;
  for (const auto& r : p.selected) macs[r.id] = r.complexity.flops;
  double work = 0;  // CPU-seconds if one worker with p.t.threads cores trained everything
  const auto todo = p.state.claimable();
  for (int id : todo) work += estimate_model_seconds(macs[id], s.epochs, train_n, test_n, p.t.threads, a);
  const double wall = work / std::max(1, std::min<int>(p.t.jobs, static_cast<int>(todo.size())));
  if (o.json) {
    nlohmann::json j{{"sweep", o.sweep},
                     {"dry_run", true},
                     {"selected", p.selected.size()},
                     {"done", p.state.done},
                     {"claimed", p.state.claimed},
                     {"stale", p.state.stale},
                     {"pending", p.state.pending},
                     {"dataset", train::to_json(info)},
                     {"schedule_file", p.t.schedule_path},
                     {"schedule", to_json(s)},
                     {"jobs", p.t.jobs},
                     {"threads", p.t.threads},
                     {"devices", p.t.devices},
                     {"estimate_seconds", wall},
                     {"assumed_flops_per_second_per_core", a.flops_per_second_per_core}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("plan for %s: %zu selected samples: %zu done, %zu held by live workers, %zu stale (resumed first), "
              "%zu pending\n",
              o.sweep.c_str(), p.selected.size(), p.state.done.size(), p.state.claimed.size(), p.state.stale.size(),
              p.state.pending.size());
  std::printf("  dataset   %s\n", describe_dataset(info).c_str());
  std::printf("  schedule  %s: %d epochs, batch %d, lr %g, augment %s, %s train / %s test images per epoch\n",
              p.t.schedule_path.c_str(), s.epochs, s.batch_size, s.base_lr, s.augment.c_str(),
              format_thousands(train_n).c_str(), format_thousands(test_n).c_str());
  std::string devs;
  for (const auto& d : p.t.devices) devs += (devs.empty() ? "" : ",") + d;
  std::printf("  workers   %d process%s x %d thread%s on %s\n", p.t.jobs, p.t.jobs == 1 ? "" : "es", p.t.threads,
              p.t.threads == 1 ? "" : "s", devs.c_str());
  if (!todo.empty()) {
    std::printf("  to train  %s\n", format_id_list(todo).c_str());
    std::printf("  estimate  ~%s (%zu models; CPU, assuming %.3g GFLOP/s per core: see docs/workers.md)\n",
                format_duration(wall).c_str(), todo.size(), a.flops_per_second_per_core / 1e9);
  } else {
    std::printf("  nothing left to train\n");
  }
  std::printf("dry run: nothing was written\n");
}

// Polls the sweep on its own thread while this process trains.
class MonitorThread {
 public:
  MonitorThread(SweepMonitor& m, double period) : m_(m), period_(period) {
    thread_ = std::thread([this] {
      while (!stop_) {
        m_.poll();
        for (double t = 0; t < period_ && !stop_; t += 0.05) std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    });
  }
  ~MonitorThread() { stop(); }
  void stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  SweepMonitor& m_;
  double period_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

struct RunOutcome {
  std::vector<TrainResult> results;  // finished by this run
  bool interrupted = false;
  double seconds = 0;
};

void report(const Options& o, const Plan& p, const RunOutcome& r) {
  const SweepState after = observe_sweep(o.sweep, p.t.ids, p.t.claims);
  std::map<RunStatus, int> counts;
  for (const auto& x : r.results) ++counts[x.status];
  if (o.json) {
    nlohmann::json res = nlohmann::json::array();
    for (const auto& x : r.results)
      res.push_back({{"id", x.id},
                     {"status", to_string(x.status)},
                     {"message", x.message},
                     {"final_top1_err", x.final_top1_err},
                     {"best_top1_err", x.best_top1_err},
                     {"seconds", x.seconds}});
    nlohmann::json j{{"sweep", o.sweep},
                     {"interrupted", r.interrupted},
                     {"seconds", r.seconds},
                     {"trained", r.results.size()},
                     {"done", counts[RunStatus::done]},
                     {"diverged", counts[RunStatus::diverged]},
                     {"failed", counts[RunStatus::failed]},
                     {"sweep_done", after.done.size()},
                     {"sweep_pending", after.pending.size() + after.stale.size()},
                     {"sweep_claimed", after.claimed.size()},
                     {"sweep_total", after.total()},
                     {"results", res}};
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (o.quiet) return;
  std::fprintf(stderr, "%s %zu model%s in %s: %d done, %d diverged, %d failed; sweep %zu/%d done\n",
               r.interrupted ? "interrupted; this run trained" : "this run trained", r.results.size(), r.results.size() == 1 ? "" : "s",
               format_duration(r.seconds).c_str(), counts[RunStatus::done], counts[RunStatus::diverged],
               counts[RunStatus::failed], after.done.size(), after.total());
  if (r.interrupted)
    std::fprintf(stderr, "unfinished models keep their last epoch's checkpoint: run the same command to resume\n");
  else if (!after.claimed.empty())
    std::fprintf(stderr, "%zu sample(s) still held by other workers: %s\n", after.claimed.size(),
                 format_id_list(after.claimed).c_str());
}

// The results this run's workers wrote (others may train the same sweep at the same time).
std::vector<TrainResult> results_of_run(const std::vector<TrainResult>& all, const std::string& run_id) {
  std::vector<TrainResult> out;
  for (const auto& r : all) {
    const auto& w = r.provenance.is_object() ? r.provenance.value("worker", nlohmann::json::object())
                                             : nlohmann::json::object();
    if (w.is_object() && w.value("run", std::string()) == run_id) out.push_back(r);
  }
  return out;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// One worker in this process: the plain `train` (--jobs 1), a child of a --jobs run, a SLURM task.
void run_here(const Options& o, const Plan& p) {
  install_stop_handlers(!o.worker_child);
  const auto t0 = std::chrono::steady_clock::now();
  train::SweepTrainer trainer(o.sweep, sweep_training(p, p.t.devices.front()));
  WorkerConfig wc;
  wc.sweep_dir = o.sweep;
  wc.ids = p.t.ids;
  wc.claims = p.t.claims;
  wc.wait_for_others = !o.train.no_wait;
  wc.should_stop = [] { return g_signal != 0; };
  wc.prepare = [&] { trainer.open(p.selected); };
  const std::string run_id = o.run_id.empty() ? default_run_id() : o.run_id;
  wc.provenance = {{"run", run_id}, {"command", "train"}};
  const auto slurm = slurm_provenance();
  if (!slurm.empty()) {
    wc.provenance["slurm"] = slurm;
    wc.name = "slurm-" + std::string(std::getenv("SLURM_JOB_ID") ? std::getenv("SLURM_JOB_ID") : "") + "-" +
              default_run_id();
  }

  // Check the data before anything is written or shown: a mismatch is one line and no traces.
  if (!o.worker_child) trainer.open(p.selected);
  const bool show = !o.worker_child && !o.quiet;
  std::unique_ptr<ProgressDisplay> display;
  if (show) display = std::make_unique<ProgressDisplay>(stderr);
  SweepMonitor monitor(o.sweep, p.selected, display.get());
  if (show)
    std::fprintf(stderr, "training %zu of %zu selected samples of %s with %s (%d thread%s, %s)\n",
                 p.state.claimable().size(), p.selected.size(), o.sweep.c_str(), p.t.schedule_path.c_str(),
                 p.t.threads, p.t.threads == 1 ? "" : "s", p.t.devices.front().c_str());
  RunOutcome out;
  if (o.worker_child) {
    run_worker(wc, trainer.function());  // the parent watches and reports
  } else {
    MonitorThread mt(monitor, display && display->tty() ? 0.25 : 1.0);
    run_worker(wc, trainer.function());  // a UserError propagates: one line from main()
  }
  monitor.poll();
  monitor.finish();
  out.results = results_of_run(monitor.new_results(), run_id);
  out.interrupted = g_signal != 0;
  out.seconds = seconds_since(t0);
  if (!o.worker_child) report(o, p, out);
  if (out.interrupted) throw CLI::RuntimeError(stop_exit_code());
}

// --jobs K: K children running this program in worker mode; this process shows their progress.
void run_parent(const Options& o, const Plan& p) {
  // Check the data once here, so a mismatch is one line rather than one per worker.
  train::SweepTrainer(o.sweep, sweep_training(p, p.t.devices.front())).open(p.selected);
  install_stop_handlers(false);
  const auto t0 = std::chrono::steady_clock::now();
  const std::string exe = self_exe();
  const std::string run_id = default_run_id();
  const pid_t parent = ::getpid();
  std::vector<pid_t> kids;
  for (int k = 0; k < p.t.jobs; ++k) {
    std::vector<std::string> args =
        worker_arguments(o.sweep, p.t, p.t.devices[static_cast<size_t>(k) % p.t.devices.size()], p.t.threads,
                         o.train.no_wait);
    args.insert(args.end(), {"--worker-child", "--run-id", run_id, "--quiet"});
    std::vector<char*> argv{const_cast<char*>(exe.c_str())};
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::fflush(nullptr);
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
      // Die with the parent (even by kill -9): SIGTERM makes the worker stop cleanly.
      ::prctl(PR_SET_PDEATHSIG, SIGTERM);
      if (::getppid() != parent) ::_exit(kExitTerminated);
      ::execv(exe.c_str(), argv.data());
      ::_exit(127);
    }
    kids.push_back(pid);
  }

  std::unique_ptr<ProgressDisplay> display;
  if (!o.quiet) display = std::make_unique<ProgressDisplay>(stderr);
  SweepMonitor monitor(o.sweep, p.selected, display.get());
  if (display)
    std::fprintf(stderr, "training %zu of %zu selected samples of %s with %s: %d workers x %d thread%s\n",
                 p.state.claimable().size(), p.selected.size(), o.sweep.c_str(), p.t.schedule_path.c_str(), p.t.jobs,
                 p.t.threads, p.t.threads == 1 ? "" : "s");
  std::vector<int> status(kids.size(), -1);
  bool forwarded = false;
  size_t running = kids.size();
  std::vector<std::string> problems;
  while (running > 0) {
    monitor.poll();
    if (g_signal != 0 && !forwarded) {
      for (size_t i = 0; i < kids.size(); ++i)
        if (status[i] < 0) ::kill(kids[i], g_signal);
      forwarded = true;
    }
    for (double t = 0; t < (display && display->tty() ? 0.25 : 1.0); t += 0.05) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      if (g_signal != 0 && !forwarded) break;
    }
    for (size_t i = 0; i < kids.size(); ++i) {
      if (status[i] >= 0) continue;
      int ws = 0;
      const pid_t r = ::waitpid(kids[i], &ws, WNOHANG);
      if (r != kids[i]) continue;
      --running;
      if (WIFEXITED(ws)) {
        status[i] = WEXITSTATUS(ws);
      } else {
        status[i] = 128 + (WIFSIGNALED(ws) ? WTERMSIG(ws) : 0);
        problems.push_back("worker " + std::to_string(i + 1) + " (pid " + std::to_string(kids[i]) +
                           ") was killed by signal " + std::to_string(status[i] - 128));
      }
    }
  }
  monitor.poll();
  monitor.finish();
  RunOutcome out;
  out.results = results_of_run(monitor.new_results(), run_id);
  out.interrupted = g_signal != 0;
  out.seconds = seconds_since(t0);
  // A worker's UserError was printed by the worker; say no more than that it stopped.
  for (size_t i = 0; i < kids.size(); ++i)
    if (status[i] != 0 && status[i] < 128 && status[i] != kExitTerminated && status[i] != kExitInterrupted)
      problems.push_back("worker " + std::to_string(i + 1) + " stopped with exit code " + std::to_string(status[i]));
  report(o, p, out);
  if (out.interrupted) throw CLI::RuntimeError(stop_exit_code());
  if (!problems.empty()) {
    std::string msg;
    for (const auto& m : problems) msg += (msg.empty() ? "" : "; ") + m;
    fail(o.sweep, "", msg + " (run train again to finish the sweep)");
  }
}

#endif  // REGNET_WITH_TORCH

void run(const Options& o) {
#ifndef REGNET_WITH_TORCH
  (void)o;
  fail("", "train", "this build has no LibTorch (configured with REGNET_WITH_TORCH=OFF)");
#else
  const Plan p = make_plan(o);
  if (o.dry_run) return dry_run(o, p);
  if (!o.worker_child && p.state.claimable().empty() && (p.state.claimed.empty() || o.train.no_wait)) {
    report(o, p, RunOutcome{});  // nothing to do
    return;
  }
  if (o.worker_child || p.t.jobs == 1) return run_here(o, p);
  run_parent(o, p);
#endif
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("train", torch_command_summary("train"));
  cmd->add_option("SWEEP", o->sweep, "sweep directory (from `regnet-explore sample`)")->required();
  add_train_options(cmd, o->train);
  cmd->add_flag("--dry-run", o->dry_run, "print the plan (what would be trained, how, how long) and write nothing");
  cmd->add_option("--assume-gflops", o->assume_gflops,
                  "--dry-run's CPU throughput per core in GFLOP/s (default 11, measured here)");
  cmd->add_flag("--json", o->json, "print the summary (or the plan) as JSON on stdout");
  cmd->add_flag("--quiet,-q", o->quiet, "no progress, no per-model lines; errors only");
  cmd->add_flag("--worker-child", o->worker_child, "")->group("");
  cmd->add_option("--run-id", o->run_id, "")->group("");
  cmd->footer(
      "Each sample is trained once: a result file marks it done; while a worker trains it, a claim file\n"
      "(claims/NNNNNN.json, heartbeat every few seconds) keeps other workers off. Any number of `train`\n"
      "processes, on this machine or others sharing the directory, can work on one sweep at once. A claim whose\n"
      "process died (or, from another machine, whose heartbeat stopped for --claim-timeout) is taken over, and\n"
      "its model resumes from the last epoch's checkpoint. Ctrl-C or SIGTERM stops after the current step,\n"
      "keeps the checkpoint and writes nothing half-done; exit code 130 (SIGINT) or 75 (SIGTERM: SLURM requeues).\n"
      "Diverged and failed models are recorded as such and the sweep goes on; delete a result to retrain it.\n"
      "Two 1-thread workers train small models faster than one 2-thread worker: prefer --jobs = cores for\n"
      "Fashion-MNIST-sized models. Log of what happened: SWEEP/log/events.jsonl.\n\n"
      "Examples:\n"
      "  regnet-explore train sweeps/xe\n"
      "  regnet-explore train sweeps/xe --jobs 2 --schedule fashion-mnist-short\n"
      "  regnet-explore train sweeps/xe --dry-run\n"
      "  regnet-explore train sweeps/xe --ids 0-9,12 --schedule my-schedule.json --json\n"
      "  regnet-explore train sweeps/c10 --data cifar10 --devices cuda:0,cuda:1\n");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
