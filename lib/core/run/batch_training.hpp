#pragma once
// Training selected samples of several sweeps at once, through `train` itself: child processes
// of this program (`train SWEEP --ids ... --jobs K`, the torch binary behind it) on this machine,
// or one SLURM job array per sweep (core/slurm_launch.hpp). Claims, resuming, --jobs and
// --devices are train's; `compare` (each look's batch) and `audit` use this. Torch-free.
#include <functional>
#include <string>
#include <vector>

#include "core/run/slurm_launch.hpp"
#include "core/run/training_plan.hpp"

namespace regnet {

struct BatchResult {
  bool interrupted = false;           // a stop signal arrived: the children kept their checkpoints
  std::vector<std::string> problems;  // children (or jobs) that did not end cleanly
};

struct BatchSettings {
  std::string executable;     // this program: `train` is run through it
  bool show_progress = true;  // a line on stderr per finished model
  double poll_seconds = 1;    // between looks at the sweeps (SLURM: at the queue)
};

// How `workers` worker slots (plan.jobs) are shared by `sweeps` sweeps trained side by side:
// at most `workers` sweeps at once, each with an equal share (the first ones one more),
// slot k on devices[k % size]. waves[w][i]: the slots of the i-th sweep of wave w.
std::vector<std::vector<std::vector<std::string>>> share_workers(int sweeps, int workers,
                                                                 const std::vector<std::string>& devices);

// Each request (sweep_dir and ids set; the other options alike) trained by a child `train`
// process with its share of --jobs; the requests are planned first (UserError before anything
// starts). A request with nothing left is skipped.
BatchResult train_sweeps(const std::vector<TrainingRequest>& requests, const BatchSettings& settings);

// One job array per request (as `launch --slurm`), then waits for all of them to leave the
// queue. Samples still untrained afterwards are problems (see the jobs' logs in SWEEP/slurm).
BatchResult launch_sweeps(const std::vector<TrainingRequest>& requests, const LaunchRequest& launch,
                          const BatchSettings& settings);

// compare's and audit's --no-train, --slurm and SLURM options.
struct BatchOptions {
  LaunchRequest launch;
  bool slurm = false, no_train = false;
};
using SweepsTrainer = std::function<BatchResult(const std::vector<TrainingRequest>&)>;
// Trains requests as `b` says: train_sweeps, or launch_sweeps with --slurm (its options checked
// first); none (an empty function) with --no-train.
SweepsTrainer sweeps_trainer(const BatchOptions& b, const std::string& executable, bool show_progress);

}  // namespace regnet
