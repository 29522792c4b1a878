#include "core/run/progress_monitor.hpp"

#include <fmt/format.h>
#include <cmath>

#include "core/base/clock.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/sweep/sample_states.hpp"

namespace regnet {

namespace {

std::string pct(double v) { return std::isfinite(v) ? fixed(v, 2) + "%" : "--"; }

std::string id_tag(int id) { return fmt::format("#{:06}", id); }

// One worker's line: its model's epoch, bar, speed and ETA, or what it is doing instead.
std::string worker_line(const WorkerStatus& s, const std::set<int>& done, bool with_name) {
  static const std::map<std::string, std::string> doing{{"loading", "loading the dataset"},
                                                        {"waiting", "waiting for samples other workers hold"}};
  std::string l = "  ";
  if (s.sample && !done.count(*s.sample)) {
    l += id_tag(*s.sample);
    if (s.epochs > 0) {
      l += " epoch " + std::to_string(s.epoch) + "/" + std::to_string(s.epochs) + " " +
           render_bar(s.model_fraction(), 10);
      if (s.state == "evaluating")
        l += " evaluating";
      else if (s.images_per_second > 0)
        l += " " + format_thousands(std::llround(s.images_per_second)) + " img/s";
      l += "  ETA " + format_duration(s.model_eta_seconds);
    } else {
      l += " starting";
    }
  } else {
    const auto it = doing.find(s.state);
    l += it != doing.end() ? it->second : s.state;
  }
  if (with_name) l += "  (" + s.worker + ")";
  return l;
}

std::map<int, std::int64_t> macs_of(const std::vector<SampleRecord>& samples) {
  std::map<int, std::int64_t> m;
  for (const auto& s : samples) m[s.id] = std::max<std::int64_t>(1, s.complexity.flops);
  return m;
}

}  // namespace

ProgressMonitor::ProgressMonitor(std::string sweep_dir, const std::vector<SampleRecord>& samples,
                                 ProgressDisplay* display)
    : dir_(std::move(sweep_dir)), macs_(macs_of(samples)), display_(display), eta_(macs_) {}

std::string ProgressMonitor::result_line(const TrainResult& r) {
  std::string s = id_tag(r.id) + " " + to_string(r.status);
  s.resize(17, ' ');
  if (r.status == RunStatus::done) {
    s += "top-1 err " + pct(r.final_top1_err) + " (best " + pct(r.best_top1_err) + " at epoch " +
         std::to_string(r.best_epoch) + ")  " + format_duration(r.seconds);
  } else {
    s += r.message.empty() ? std::string("(no message)") : r.message;
  }
  return s;
}

void ProgressMonitor::poll() {
  std::set<int> finished;
  for (int id : result_ids(dir_))
    if (macs_.count(id)) finished.insert(id);
  for (int id : finished) {
    if (done_.count(id)) continue;
    std::optional<TrainResult> r;
    try {
      r = load_result(dir_, id);
    } catch (const std::exception&) {
      continue;  // not readable this instant; next poll
    }
    if (!r) continue;
    done_.insert(id);
    ++counts_[r->status];
    if (first_) continue;  // finished before we started: counted, not announced
    new_results_.push_back(*r);
    if (display_) display_->message(result_line(*r));
  }
  first_ = false;

  const auto statuses = read_worker_statuses(dir_, 30);
  eta_.observe(steady_seconds(), done_, statuses);
  if (!display_) return;

  std::vector<const WorkerStatus*> active;
  for (const auto& s : statuses)
    if (s.state != "finished") active.push_back(&s);
  int training = 0;
  for (const auto* s : active)
    if (s->sample && !done_.count(*s->sample)) ++training;

  std::string head = render_bar(1.0 - eta_.remaining_fraction(), 20) + " " + std::to_string(done()) + "/" +
                     std::to_string(total()) + " done";
  if (counts_[RunStatus::diverged] > 0) head += ", " + std::to_string(counts_[RunStatus::diverged]) + " diverged";
  if (counts_[RunStatus::failed] > 0) head += ", " + std::to_string(counts_[RunStatus::failed]) + " failed";
  head += ", " + std::to_string(training) + " training, sweep ETA " + format_duration(eta_.eta_seconds());
  std::vector<std::string> lines{head};
  for (const auto* s : active) lines.push_back(worker_line(*s, done_, active.size() > 1));
  display_->update(lines);
}

void ProgressMonitor::finish() {
  if (display_) display_->finish();
}

}  // namespace regnet
