#pragma once
// A worker's progress as its status file (DIR/status/WORKER.json) carries it, and the sweep's
// ETA computed from those files: what lets one display show workers of any process or host.
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace regnet {

struct WorkerStatus {
  std::string worker;
  std::string host;
  int pid = 0;
  std::string state = "idle";  // "loading" | "training" | "evaluating" | "waiting" | "idle" | "finished"
  std::optional<int> sample;   // the sample in progress
  int epoch = 0, epochs = 0;   // epoch in progress (1-based)
  std::int64_t step = 0, steps = 0;
  double images_per_second = 0;
  double model_eta_seconds = -1;  // < 0: unknown
  int finished = 0;               // models this worker has finished
  double updated = 0;             // unix seconds
  // Fraction of the current model done, 0..1.
  double model_fraction() const;
};
nlohmann::json to_json(const WorkerStatus& s);
WorkerStatus worker_status_from_json(const nlohmann::json& j, const std::string& where = "");
std::string status_path(const std::string& sweep_dir, const std::string& worker);
// Fresh status files (updated within max_age seconds), by worker name. Files of dead workers
// on this machine are removed.
std::vector<WorkerStatus> read_worker_statuses(const std::string& sweep_dir, double max_age_seconds = 60);
// Removes the status files of dead workers on this machine, and the temporary files of their
// interrupted writes (WORKER.json.tmp.PID, where a default worker name is HOST-PID or ends in
// -HOST-PID). Those of other machines stay (their liveness is unknown here); readers skip them
// once they are old. Returns how many files went.
int tidy_worker_statuses(const std::string& sweep_dir);

// The sweep's ETA from what this run has seen: work is measured in MACs (every model trains
// the same schedule), the rate is the work finished since the run began (models finished plus
// the fractions of models in flight, minus what they had when first seen: a resumed model's
// earlier epochs are not this run's speed). Unknown (< 0) until some work is measured.
class SweepEta {
 public:
  // `macs` by sample id for every selected sample.
  explicit SweepEta(std::map<int, std::int64_t> macs) : macs_(std::move(macs)) {}
  // Call with a fresh snapshot; `now` in seconds on any steady clock.
  void observe(double now, const std::set<int>& done, const std::vector<WorkerStatus>& in_flight);
  double eta_seconds() const { return eta_; }
  double remaining_fraction() const;

 private:
  std::map<int, std::int64_t> macs_;
  std::optional<double> start_;
  std::set<int> done_at_start_;
  std::map<int, double> first_fraction_;
  double eta_ = -1;
  double remaining_ = 1;
};

}  // namespace regnet
