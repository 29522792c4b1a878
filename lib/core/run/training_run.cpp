#include "core/run/training_run.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

#include "core/base/clock.hpp"
#include "core/base/progress.hpp"
#include "core/base/stop_signal.hpp"
#include "core/base/text.hpp"
#include "core/run/process_supervisor.hpp"
#include "core/run/progress_monitor.hpp"
#include "core/run/train_arguments.hpp"
#include "core/sweep/claims.hpp"

namespace regnet {

namespace {

// Polls the sweep on its own thread while this process trains.
class MonitorThread {
 public:
  MonitorThread(ProgressMonitor& m, double period) : m_(m), period_(period) {
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
  ProgressMonitor& m_;
  double period_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The SLURM job this process runs in, for the results' provenance (empty outside SLURM).
nlohmann::json slurm_provenance() {
  nlohmann::json j = nlohmann::json::object();
  for (const char* k : {"SLURM_JOB_ID", "SLURM_ARRAY_JOB_ID", "SLURM_ARRAY_TASK_ID", "SLURM_RESTART_COUNT",
                        "SLURMD_NODENAME", "SLURM_JOB_PARTITION"})
    if (const char* v = std::getenv(k)) j[k] = v;
  return j;
}

WorkerConfig worker_config(const TrainingPlan& p, const std::string& run_id, const LocalTrainer& trainer) {
  WorkerConfig wc;
  wc.sweep_dir = p.sweep_dir;
  wc.ids = p.ids;
  wc.claims = p.claims;
  wc.wait_for_others = p.wait_for_others;
  wc.should_stop = [] { return stop_requested(); };
  wc.prepare = trainer.open;
  wc.provenance = {{"run", run_id}, {"command", "train"}};
  const nlohmann::json slurm = slurm_provenance();
  if (!slurm.empty()) {
    wc.provenance["slurm"] = slurm;
    const char* job = std::getenv("SLURM_JOB_ID");
    wc.name = "slurm-" + std::string(job ? job : "") + "-" + default_run_id();
  }
  return wc;
}

double refresh_period(const ProgressDisplay* display) { return display && display->tty() ? 0.25 : 1.0; }

// The progress display and the monitor feeding it: quiet (no display) unless `show`.
struct Watch {
  std::unique_ptr<ProgressDisplay> display;
  std::unique_ptr<ProgressMonitor> monitor;
  Watch(const TrainingPlan& p, bool show) {
    if (show) display = std::make_unique<ProgressDisplay>(stderr);
    monitor = std::make_unique<ProgressMonitor>(p.sweep_dir, p.selected, display.get());
  }
  // The first look: results already there are this run's starting point, not its work.
  void start() { monitor->poll(); }
  // The last look, and what this run's workers finished.
  RunOutcome finish(const std::string& run_id, double started) {
    monitor->poll();
    monitor->finish();
    RunOutcome out;
    out.results = results_of_run(monitor->new_results(), run_id);
    out.interrupted = stop_requested();
    out.seconds = steady_seconds() - started;
    return out;
  }
};

}  // namespace

std::string default_run_id() { return this_process().host + "-" + std::to_string(this_process().pid); }

std::vector<TrainResult> results_of_run(const std::vector<TrainResult>& all, const std::string& run_id) {
  std::vector<TrainResult> out;
  for (const auto& r : all) {
    const auto& w =
        r.provenance.is_object() ? r.provenance.value("worker", nlohmann::json::object()) : nlohmann::json::object();
    if (w.is_object() && w.contains("run") && w["run"] == run_id) out.push_back(r);  // any type: not this run
  }
  return out;
}

RunOutcome train_here(const TrainingPlan& p, const RunSettings& s, const LocalTrainer& trainer) {
  install_stop_handlers(!s.worker_child);
  const double started = steady_seconds();
  const std::string run_id = s.run_id.empty() ? default_run_id() : s.run_id;
  const WorkerConfig wc = worker_config(p, run_id, trainer);
  if (!s.worker_child) {
    if (trainer.open) trainer.open();
    check_sweep_writable(p.sweep_dir);
  }
  const bool show = !s.worker_child && s.show_progress;
  Watch watch(p, show);
  if (show)
    spdlog::info("training {} of {} selected samples of {} with {} ({}, {})", p.state.claimable().size(),
                 p.selected.size(), p.sweep_dir, p.schedule_path, plural(p.threads, "thread"), p.devices.front());
  watch.start();
  if (s.worker_child) {
    run_worker(wc, trainer.train);  // the parent watches and reports
  } else {
    MonitorThread mt(*watch.monitor, refresh_period(watch.display.get()));
    run_worker(wc, trainer.train);  // a UserError propagates: one line from main()
  }
  return watch.finish(run_id, started);
}

RunOutcome train_with_workers(const TrainingPlan& p, const RunSettings& s, const std::function<void()>& check_data) {
  if (check_data) check_data();
  check_sweep_writable(p.sweep_dir);
  install_stop_handlers(false);
  const double started = steady_seconds();
  const std::string run_id = s.run_id.empty() ? default_run_id() : s.run_id;
  std::vector<std::vector<std::string>> args;
  for (int k = 0; k < p.jobs; ++k) {
    TrainArguments a = worker_arguments(p, p.device_of_worker(k), p.threads, !p.wait_for_others);
    a.worker_child = true;
    a.run_id = run_id;
    a.quiet = true;
    args.push_back(a.to_args());
  }
  ProcessSupervisor workers(s.executable, std::move(args));
  workers.start();
  Watch watch(p, s.show_progress);
  if (s.show_progress)
    spdlog::info("training {} of {} selected samples of {} with {}: {} workers x {}", p.state.claimable().size(),
                 p.selected.size(), p.sweep_dir, p.schedule_path, p.jobs, plural(p.threads, "thread"));
  watch.start();
  Supervision sup;
  sup.period_seconds = refresh_period(watch.display.get());
  sup.on_tick = [&] { watch.monitor->poll(); };
  sup.stop_signal = [] { return stop_signal(); };
  const std::vector<std::string> problems = workers.wait(sup);
  RunOutcome out = watch.finish(run_id, started);
  out.problems = problems;
  out.errors = workers.errors();
  return out;
}

}  // namespace regnet
