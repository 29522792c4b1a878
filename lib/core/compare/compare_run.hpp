#pragma once
// The compare loop (docs/compare.md): evaluate the group-sequential test on the sweeps' trained
// prefixes, write compare.json, train the next look's batch (ids 0..n-1 of every sweep still in
// an undecided pair), and again, until every pair is settled (or, with --until max-n, every sweep
// is at max-n). The training is injected: child `train` processes or SLURM job arrays
// (core/run/batch_training.hpp) in the command, fakes in tests. Everything is recomputed from the
// sweeps after each batch, so a run killed at any moment resumes where the sweeps are.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/compare/compare_plan.hpp"
#include "core/compare/compare_state.hpp"
#include "core/run/batch_training.hpp"

namespace regnet {

// A sweep's top-1 errors by id for ids 0.. as long as each has a result (NaN: failed or
// diverged), complete when every sample has one.
TrainedErrors trained_prefix(const std::string& sweep_dir, int samples, ErrorMetric metric);

// The test on what the sweeps hold now.
CompareState evaluate_compare(const CompareSetup& setup);

// One look's training: ids 0..min(n, samples) - 1 of each listed sweep.
struct LookBatch {
  int look = 0;  // 1-based index into the design's looks
  int n = 0;
  std::vector<int> sweeps;  // indices into the setup's sweeps
};
// The batch that the next look needs, or nullopt when the comparison is settled (or at max-n).
std::optional<LookBatch> next_batch(const CompareState& s, CompareUntil until);

// The training requests of a batch (the plan's options, --ids 0-(n-1) per sweep).
std::vector<TrainingRequest> batch_requests(const ComparePlan& plan, const LookBatch& batch);
// "look 2 needs 8 models per sweep: training a, b".
std::string batch_text(const ComparePlan& plan, const LookBatch& batch);

using BatchTrainer = std::function<BatchResult(const LookBatch&)>;

// Each look's batch trained by `train` as batch_requests, told to `announce` (batch_text) first;
// empty (evaluate only) when train is. `plan` must outlive it.
BatchTrainer look_trainer(const ComparePlan& plan, const SweepsTrainer& train,
                          std::function<void(const std::string&)> announce);

struct CompareOutcome {
  CompareState state;
  bool interrupted = false;  // a stop signal ended a batch: run the same command to resume
  int batches = 0;           // batches trained by this run
};

// Evaluates, writes compare.json, calls on_evaluated (e.g. to print the new looks), and while a
// batch is needed (and `train` is set: without it nothing is trained) trains it and repeats.
// A batch that ends with problems, or without giving the look its models, is a UserError after
// compare.json has been written.
CompareOutcome run_compare(const ComparePlan& plan, const BatchTrainer& train,
                           const std::function<void(const CompareState&)>& on_evaluated = {});

// The looks' table as the loop reaches them (what `compare` prints after each evaluation): the
// header once, then each pair's rows that earlier calls did not return.
class LookRows {
 public:
  std::vector<std::string> next(const CompareState& s);

 private:
  bool header_ = false;
  std::map<std::pair<int, int>, size_t> returned_;
};

}  // namespace regnet
