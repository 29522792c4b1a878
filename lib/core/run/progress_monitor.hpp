#pragma once
// Watches a sweep directory while workers train it (in this process, in child processes, or in
// SLURM tasks on other machines) and shows one progress block: the sweep's done/total and ETA,
// and per worker the model's epoch, images/s and ETA; plus a line per newly finished model.
// Everything comes from the directory (results/, status/), so it aggregates any set of workers.
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/progress.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/worker_status.hpp"

namespace regnet {

class ProgressMonitor {
 public:
  // `samples`: the selected samples (their MACs weigh the ETA). `display` may be null (quiet):
  // then poll() only tracks results.
  ProgressMonitor(std::string sweep_dir, const std::vector<SampleRecord>& samples, ProgressDisplay* display);

  // Reads results and status files, prints new results, redraws the block.
  void poll();
  // Clears the block.
  void finish();

  // Results that appeared since the monitor started, in order of appearance.
  const std::vector<TrainResult>& new_results() const { return new_results_; }
  int done() const { return static_cast<int>(done_.size()); }
  int total() const { return static_cast<int>(macs_.size()); }

  // One line per result, e.g. "#000017 done      top-1 err 19.62% (best 19.40% at epoch 2)  1m05s".
  static std::string result_line(const TrainResult& r);

 private:
  std::string dir_;
  std::map<int, std::int64_t> macs_;
  ProgressDisplay* display_;
  std::set<int> done_;
  std::vector<TrainResult> new_results_;
  std::map<RunStatus, int> counts_;
  SweepEta eta_;
  bool first_ = true;
};

}  // namespace regnet
