#pragma once
// The sweep worker, torch-free: pick the next pending sample, claim it, train it with a
// given function, record the result atomically, release the claim; repeat until nothing is
// left. lib/train/sweep_trainer.hpp supplies the real training function; tests inject fakes.
//
// Guarantees (docs/workers.md): a sample with a result is never trained again; a sample is
// trained by one claim owner at a time; an interrupted model leaves its checkpoint and no
// result, so the next run resumes it; nothing is ever half-written.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/sweep/claims.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

// What a training function reports while it runs (mirrors train::Progress).
struct ModelProgress {
  int epoch = 0, epochs = 0;  // epoch in progress, 1-based
  std::int64_t step = 0, steps = 0;
  double images_per_second = 0;
  double eta_seconds = -1;
  bool evaluating = false;
};

struct TrainJob {
  std::string checkpoint_path;  // saved each epoch; resumed from if present
  std::string weights_path;     // final weights
  bool resuming = false;        // the checkpoint existed when the job began
  std::function<void(const ModelProgress&)> on_progress;
  std::function<bool()> should_stop;  // true: end soon; whatever is returned is discarded
};

// Thrown by a training function when the sample's checkpoint cannot be used (unreadable, or
// written for another spec, schedule or dataset): the worker discards it and starts over, once.
struct CheckpointRejected : UserError {
  using UserError::UserError;
};

// Trains one sample; returns its result (status done or diverged). Throws CheckpointRejected as
// above, UserError for a problem that applies to every sample (the data does not suit, a device
// is missing, the disk is full: the run stops, the sample stays pending), anything else for this
// sample alone (recorded as status failed).
using TrainFunction = std::function<TrainResult(const SampleRecord&, const TrainJob&)>;

// One line of DIR/log/events.jsonl: what each worker did to each sample, for people and tests.
struct WorkerEvent {
  std::string event;  // "started", "resumed", "took_over", "done", "diverged", "failed", "interrupted",
                      // "lost", "error", "checkpoint_discarded" (docs/workers.md)
  int id = -1;
  std::string detail;
};

struct WorkerConfig {
  std::string sweep_dir;
  std::vector<int> ids;  // the samples this worker may train; empty = all
  std::string name;      // names its claims, status file and log lines; default host-pid
  ClaimPolicy claims;
  bool wait_for_others = true;        // when the rest is claimed by live workers: wait for them (and
                                      // take over if they die) rather than return at once
  int max_models = 0;                 // return after this many models (0 = no limit)
  std::function<bool()> should_stop;  // polled often: a signal arrived
  std::function<void()> prepare;      // once, before the first claim (e.g. open the dataset)
  std::function<void(const WorkerEvent&)> on_event;
  nlohmann::json provenance = nlohmann::json::object();  // merged into each result's provenance.worker
};

struct WorkerSummary {
  int done = 0, diverged = 0, failed = 0;
  bool interrupted = false;  // should_stop ended the run; an unfinished model kept its checkpoint
  std::vector<int> trained;  // ids this worker recorded a result for
};

WorkerSummary run_worker(const WorkerConfig& config, const TrainFunction& train);

// Checks that this process may write the directories a worker writes (results, claims,
// checkpoints, weights, log, status), or create them, and that the disk has room for a byte: a
// UserError naming the directory and the cause (not a directory, read-only, not permitted, no
// space) otherwise. Creates nothing. Run before anything is trained: such a problem applies to
// every sample.
void check_sweep_writable(const std::string& sweep_dir);

// DIR/log/events.jsonl, one JSON object a line ({time, worker, host, pid, id, event, detail}).
std::string events_log_path(const std::string& sweep_dir);
std::vector<nlohmann::json> read_events(const std::string& sweep_dir);

}  // namespace regnet
