#pragma once
// Bookkeeping of a sweep's training: which samples are done, claimed or pending, which ids a
// run may touch, how long the rest should take, and the sweep's progress across workers.
// Pure functions over plain values; reading the directory is observe_sweep's only job.
#include <cstdint>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/claims.hpp"

namespace regnet {

// "0-9,12,20-" style id lists (inclusive ranges; an open end runs to max_id). Throws UserError
// naming `where` for malformed text or an id outside [0, max_id].
std::vector<int> parse_id_list(const std::string& text, int max_id, const std::string& where = "--ids");

// The inverse, compact: {0,1,2,3,5,7,8,9} -> "0-3,5,7-9".
std::string format_id_list(const std::vector<int>& ids);

enum class SampleState { pending, claimed, stale, done };
std::string to_string(SampleState s);

// Snapshot of a sweep: every selected sample's state, ids ascending within each list.
struct SweepState {
  std::vector<int> done, claimed, stale, pending;
  int total() const { return static_cast<int>(done.size() + claimed.size() + stale.size() + pending.size()); }
  // What a worker may claim now, in order: stale claims are taken over first (their
  // checkpoints are furthest along), then pending samples by id.
  std::vector<int> claimable() const;
};

// Pure: a sample with a result is done whatever its claim; else its claim decides.
SweepState classify(const std::vector<int>& ids, const std::set<int>& with_result,
                    const std::map<int, ClaimObservation::State>& claims);

// Reads DIR/results and DIR/claims for the given sample ids (all samples when `ids` is empty).
SweepState observe_sweep(const std::string& sweep_dir, const std::vector<int>& ids, const ClaimPolicy& policy = {});
std::set<int> result_ids(const std::string& sweep_dir);
std::vector<int> sample_ids(const std::string& sweep_dir);

// A rough CPU time estimate for one model, for --dry-run. Training costs ~3x the forward MACs
// (forward + backward), each MAC two FLOPs; every epoch also evaluates the test images.
// The default throughput, 11 GFLOP/s per core, is LIBTORCH.md's measurement (17.6 GFLOP/s
// with 2 threads on a 1.8 MMAC model; ~1.5x for 1-thread processes side by side). Larger
// models run faster per FLOP, so this errs on the long side.
struct ThroughputAssumption {
  double flops_per_second_per_core = 11e9;
  double seconds_per_model = 2.0;  // start-up, dataset pass set-up, checkpointing
};
double estimate_model_seconds(std::int64_t macs, int epochs, std::int64_t train_images, std::int64_t test_images,
                              int cores, const ThroughputAssumption& a = {});

// One worker's progress as its status file (DIR/status/WORKER.json) carries it.
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
  int finished = 0;            // models this worker has finished
  double updated = 0;          // unix seconds
  // Fraction of the current model done, 0..1.
  double model_fraction() const;
};
nlohmann::json to_json(const WorkerStatus& s);
WorkerStatus worker_status_from_json(const nlohmann::json& j, const std::string& where = "");
std::string status_path(const std::string& sweep_dir, const std::string& worker);
// Fresh status files (updated within max_age seconds), by worker name. Files of dead workers
// on this machine are removed.
std::vector<WorkerStatus> read_worker_statuses(const std::string& sweep_dir, double max_age_seconds = 60);

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
