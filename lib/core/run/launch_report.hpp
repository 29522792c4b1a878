#pragma once
// What `launch --slurm` did, as the value it prints: nothing left to submit, a dry run's batch
// script, a submitted job array, or one waited for until it left the queue (docs/workers.md).
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/progress.hpp"
#include "core/run/slurm_launch.hpp"

namespace regnet {

struct LaunchReport {
  enum class Kind { nothing, dry_run, submitted, waited } kind = Kind::nothing;
  std::string sweep;
  size_t done = 0, held = 0;  // nothing: samples done, and held by running workers
  std::string script;         // dry_run: the batch script
  int tasks = 0;              // of the job array
  size_t samples = 0;         // the samples left to train when it was submitted
  SubmittedJob job;
  size_t trained = 0, sweep_done = 0, sweep_left = 0;  // waited: by the job; the sweep after it
  int sweep_total = 0;
};

LaunchReport launch_nothing(const TrainingPlan& p);
LaunchReport launch_dry_run(const TrainingPlan& p, const SlurmJob& job);
LaunchReport launch_submitted(const TrainingPlan& p, const SlurmJob& job, const SubmittedJob& submitted);
// Waits until the submitted job has left the queue, showing the sweep's progress on `display`
// (null: none); then records what it trained and what the sweep still lacks (kind waited).
void wait_for_launch(const TrainingPlan& p, LaunchReport& r, ProgressDisplay* display);
// UserError when samples are still untrained after the wait (the logs named; launch again).
void check_launch_trained(const LaunchReport& r);

nlohmann::json to_json(const LaunchReport& r);
// stdout's text: a dry run's script; the job id, and unless `quiet` what was submitted; or, unless
// `quiet`, how the waited job ended. Nothing when nothing was submitted.
std::string to_text(const LaunchReport& r, bool quiet);
// stderr's note: nothing to train, or the job that is waited for.
std::string note_text(const LaunchReport& r);

}  // namespace regnet
