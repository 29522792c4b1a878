#include "core/run/batch_training.hpp"

#include <spdlog/spdlog.h>

#include <memory>

#include "core/base/stop_signal.hpp"
#include "core/base/text.hpp"
#include "core/run/process_supervisor.hpp"
#include "core/run/progress_monitor.hpp"
#include "core/run/train_arguments.hpp"
#include "core/sweep/reader.hpp"

namespace regnet {

namespace {

// The requests that have something left to train (or to wait for), planned.
struct Planned {
  std::vector<TrainingRequest> requests;
  std::vector<TrainingPlan> plans;
  std::vector<std::string> names;
};

Planned plans_with_work(const std::vector<TrainingRequest>& requests) {
  Planned p;
  for (const auto& r : requests) {
    TrainingPlan plan = plan_training(r);
    if (plan.state.claimable().empty() && plan.state.claimed.empty()) continue;
    p.requests.push_back(r);
    p.plans.push_back(std::move(plan));
  }
  std::vector<std::string> dirs;
  for (const auto& plan : p.plans) dirs.push_back(plan.sweep_dir);
  p.names = legend_names(dirs, {});
  return p;
}

// A line per model that finishes in any of the sweeps, read from the directories.
class BatchProgress {
 public:
  BatchProgress(const Planned& p, bool show) : names_(p.names), show_(show) {
    for (const auto& plan : p.plans)
      monitors_.push_back(std::make_unique<ProgressMonitor>(plan.sweep_dir, plan.selected, nullptr));
    for (auto& m : monitors_) m->poll();  // what is there already is not news
    for (auto& m : monitors_) printed_.push_back(m->new_results().size());
  }
  void poll() {
    for (size_t i = 0; i < monitors_.size(); ++i) {
      monitors_[i]->poll();
      const auto& fresh = monitors_[i]->new_results();
      for (; printed_[i] < fresh.size(); ++printed_[i])
        if (show_) spdlog::info("{}: {}", names_[i], ProgressMonitor::result_line(fresh[printed_[i]]));
    }
  }

 private:
  std::vector<std::string> names_;
  bool show_;
  std::vector<std::unique_ptr<ProgressMonitor>> monitors_;
  std::vector<size_t> printed_;
};

std::vector<std::string> child_arguments(const TrainingPlan& p, const std::vector<std::string>& slots) {
  TrainArguments a = worker_arguments(p, join(slots, ","), p.threads, !p.wait_for_others);
  a.request.jobs = static_cast<int>(slots.size());
  a.quiet = true;
  return a.to_args();
}

}  // namespace

std::vector<std::vector<std::vector<std::string>>> share_workers(int sweeps, int workers,
                                                                 const std::vector<std::string>& devices) {
  std::vector<std::vector<std::vector<std::string>>> waves;
  workers = std::max(1, workers);
  for (int start = 0; start < sweeps;) {
    const int w = std::min(workers, sweeps - start);
    std::vector<std::vector<std::string>> wave(static_cast<size_t>(w));
    for (int slot = 0; slot < workers; ++slot)
      wave[static_cast<size_t>(slot % w)].push_back(devices[slot % devices.size()]);
    waves.push_back(std::move(wave));
    start += w;
  }
  return waves;
}

BatchResult train_sweeps(const std::vector<TrainingRequest>& requests, const BatchSettings& s) {
  const Planned p = plans_with_work(requests);
  BatchResult out;
  if (p.plans.empty()) return out;
  install_stop_handlers(false);
  BatchProgress progress(p, s.show_progress);
  size_t next = 0;
  for (const auto& wave : share_workers(static_cast<int>(p.plans.size()), p.plans[0].jobs, p.plans[0].devices)) {
    if (stop_requested()) break;
    std::vector<std::vector<std::string>> args;
    std::vector<std::string> names;
    for (const auto& slots : wave) {
      names.push_back(p.names[next]);
      args.push_back(child_arguments(p.plans[next++], slots));
    }
    ProcessSupervisor children(s.executable, std::move(args));
    children.start();
    Supervision sup;
    sup.period_seconds = s.poll_seconds;
    sup.on_tick = [&] { progress.poll(); };
    sup.stop_signal = [] { return stop_signal(); };
    for (const auto& problem : children.wait(sup))
      out.problems.push_back("train " + join(names, ", ") + ": " + problem);
  }
  progress.poll();
  out.interrupted = stop_requested();
  return out;
}

BatchResult launch_sweeps(const std::vector<TrainingRequest>& requests, const LaunchRequest& launch,
                          const BatchSettings& s) {
  const Planned p = plans_with_work(requests);
  BatchResult out;
  std::vector<SubmittedJob> jobs;
  for (size_t i = 0; i < p.plans.size(); ++i) {
    jobs.push_back(submit_training_job(slurm_job_for(p.plans[i], p.requests[i], launch, s.executable)));
    spdlog::info("{}: submitted job {} for ids {}; logs {}/", p.names[i], jobs.back().job_id,
                 format_id_list(p.plans[i].state.claimable()), jobs.back().log_dir);
  }
  BatchProgress progress(p, s.show_progress);
  for (const auto& j : jobs)
    wait_for_job(
        j.job_id, [&] { progress.poll(); }, s.poll_seconds);
  progress.poll();
  for (size_t i = 0; i < p.plans.size(); ++i) {
    const SweepState after = observe_sweep(p.plans[i].sweep_dir, p.plans[i].ids, p.plans[i].claims);
    const size_t left = after.pending.size() + after.stale.size() + after.claimed.size();
    if (left > 0)
      out.problems.push_back(p.names[i] + ": " + plural(static_cast<long long>(left), "sample") +
                             " still untrained after job " + jobs[i].job_id + " (see " + jobs[i].log_dir + "/*.out)");
  }
  return out;
}

SweepsTrainer sweeps_trainer(const BatchOptions& b, const std::string& executable, bool show_progress) {
  if (b.slurm) check_launch(b.launch);
  if (b.no_train) return {};
  const BatchSettings s{executable, show_progress, b.slurm ? 5.0 : 1.0};
  return [b, s](const std::vector<TrainingRequest>& requests) {
    return b.slurm ? launch_sweeps(requests, b.launch, s) : train_sweeps(requests, s);
  };
}

}  // namespace regnet
