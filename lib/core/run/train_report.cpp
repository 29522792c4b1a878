#include "core/run/train_report.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>

#include "core/base/error.hpp"
#include "core/base/progress.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/run/schedule.hpp"

namespace regnet {

nlohmann::json to_json(const DryRunPlan& d) {
  const TrainingPlan& p = d.plan;
  return {{"sweep", p.sweep_dir},
          {"dry_run", true},
          {"selected", p.selected.size()},
          {"done", p.state.done},
          {"claimed", p.state.claimed},
          {"stale", p.state.stale},
          {"pending", p.state.pending},
          {"dataset", d.dataset.json},
          {"schedule_file", p.schedule_path},
          {"schedule", to_json(p.schedule)},
          {"jobs", p.jobs},
          {"threads", p.threads},
          {"devices", p.devices},
          {"estimate_seconds", d.estimate.seconds},
          {"memory_per_worker_mib", std::lround(estimate_worker_memory_mib(p))},
          {"assumed_flops_per_second_per_core", d.assumption.flops_per_second_per_core}};
}

namespace {

// For several models per GPU (docs/training.md): what each worker would hold.
std::string memory_line(const TrainingPlan& p) {
  const double mib = estimate_worker_memory_mib(p);
  return fmt::format(
      "  memory    ~{:.0f} MiB of GPU memory per worker, {:.0f} MiB for {} on one GPU (estimate: "
      "docs/training.md)\n",
      mib, mib * p.jobs, plural(p.jobs, "worker"));
}

std::string estimate_lines(const DryRunPlan& d) {
  const TrainingEstimate& e = d.estimate;
  if (e.to_train.empty()) return "  nothing left to train\n";
  return fmt::format(
             "  to train  {}\n  estimate  ~{} ({} models; CPU, assuming {} GFLOP/s per core: see docs/workers.md)\n",
             format_id_list(e.to_train), format_duration(e.seconds), e.to_train.size(),
             significant(d.assumption.flops_per_second_per_core / 1e9, 3)) +
         memory_line(d.plan);
}

}  // namespace

std::string to_text(const DryRunPlan& d) {
  const TrainingPlan& p = d.plan;
  const Schedule& s = p.schedule;
  std::string out = fmt::format(
      "plan for {}: {} selected samples: {} done, {} held by live workers, {} stale (resumed first), {} pending\n",
      one_line(p.sweep_dir), p.selected.size(), p.state.done.size(), p.state.claimed.size(), p.state.stale.size(),
      p.state.pending.size());
  out += fmt::format("  dataset   {}\n", one_line(d.dataset.text));
  out += fmt::format("  schedule  {}: {} epochs, batch {}, lr {}, augment {}, {} train / {} test images per epoch\n",
                     one_line(p.schedule_path), s.epochs, s.batch_size, significant(s.base_lr, 6), s.augment,
                     format_thousands(d.estimate.train_images), format_thousands(d.estimate.test_images));
  out += fmt::format("  workers   {} x {} on {}\n", plural(p.jobs, "process", "processes"), plural(p.threads, "thread"),
                     join(p.devices, ","));
  return out + estimate_lines(d) + "dry run: nothing was written\n";
}

TrainReport train_report(const TrainingPlan& p, const RunOutcome& r) {
  return {p.sweep_dir, r, observe_sweep(p.sweep_dir, p.ids, p.claims)};
}

namespace {

std::map<RunStatus, int> status_counts(const RunOutcome& r) {
  std::map<RunStatus, int> counts;
  for (const auto& x : r.results) ++counts[x.status];
  return counts;
}

}  // namespace

nlohmann::json to_json(const TrainReport& r) {
  nlohmann::json res = nlohmann::json::array();
  for (const auto& x : r.outcome.results)
    res.push_back({{"id", x.id},
                   {"status", to_string(x.status)},
                   {"message", x.message},
                   {"final_top1_err", x.final_top1_err},
                   {"best_top1_err", x.best_top1_err},
                   {"seconds", x.seconds}});
  auto counts = status_counts(r.outcome);
  return {{"sweep", r.sweep},
          {"interrupted", r.outcome.interrupted},
          {"seconds", r.outcome.seconds},
          {"trained", r.outcome.results.size()},
          {"done", counts[RunStatus::done]},
          {"diverged", counts[RunStatus::diverged]},
          {"failed", counts[RunStatus::failed]},
          {"sweep_done", r.after.done.size()},
          {"sweep_pending", r.after.pending.size() + r.after.stale.size()},
          {"sweep_claimed", r.after.claimed.size()},
          {"sweep_total", r.after.total()},
          {"results", res}};
}

std::string to_text(const TrainReport& r) {
  auto counts = status_counts(r.outcome);
  std::string out = fmt::format("{} {} in {}: {} done, {} diverged, {} failed; sweep {}/{} done\n",
                                r.outcome.interrupted ? "interrupted; this run trained" : "this run trained",
                                plural(r.outcome.results.size(), "model"), format_duration(r.outcome.seconds),
                                counts[RunStatus::done], counts[RunStatus::diverged], counts[RunStatus::failed],
                                r.after.done.size(), r.after.total());
  if (r.outcome.interrupted)
    out += "unfinished models keep their last epoch's checkpoint: run the same command to resume\n";
  else if (!r.after.claimed.empty())
    out += fmt::format("{} sample(s) still held by other workers: {}\n", r.after.claimed.size(),
                       format_id_list(r.after.claimed));
  return out;
}

void check_worker_ends(const TrainingPlan& p, const RunOutcome& out) {
  if (!out.problems.empty()) {
    std::vector<std::string> all = out.problems;
    all.insert(all.end(), out.errors.begin(), out.errors.end());
    fail(p.sweep_dir, "", join(all, "; ") + " (run train again to finish the sweep)");
  }
  if (!out.errors.empty()) throw UserError(join(out.errors, "; "));
}

}  // namespace regnet
