#pragma once
// What `train` prints, as values with their JSON and text: the plan of --dry-run and the report
// of a run. The command binds options and prints; nothing is read back from JSON it built.
#include <nlohmann/json.hpp>
#include <string>

#include "core/run/training_plan.hpp"
#include "core/run/training_run.hpp"
#include "core/sweep/sample_states.hpp"

namespace regnet {

// The dataset as opened for the plan (lib/train opens and describes it).
struct DatasetSummary {
  std::string text;
  nlohmann::json json;
};

// --dry-run: what would be trained, how, and how long; nothing written.
struct DryRunPlan {
  TrainingPlan plan;
  DatasetSummary dataset;
  TrainingEstimate estimate;
  ThroughputAssumption assumption;
};
nlohmann::json to_json(const DryRunPlan& d);
std::string to_text(const DryRunPlan& d);

// What a run trained, and the sweep after it.
struct TrainReport {
  std::string sweep;
  RunOutcome outcome;
  SweepState after;
};
TrainReport train_report(const TrainingPlan& p, const RunOutcome& r);  // observes the sweep now
nlohmann::json to_json(const TrainReport& r);
std::string to_text(const TrainReport& r);  // one or two lines of notes

// UserError for workers that did not end cleanly (--jobs): a problem every worker met is one line
// (the workers' own), workers that died another.
void check_worker_ends(const TrainingPlan& p, const RunOutcome& out);

}  // namespace regnet
