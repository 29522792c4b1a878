#pragma once
// Carrying out a training plan: one worker in this process (a plain `train`, one worker of a
// --jobs run, a SLURM task), or plan.jobs worker processes (this program re-run with
// worker_arguments) that this process watches. Progress is read back from the sweep directory
// (core/run/progress_monitor.hpp), so it shows every worker on the sweep; the outcome counts only
// this run's results. SIGINT/SIGTERM stop it cleanly (core/stop_signal.hpp).
#include <functional>
#include <string>
#include <vector>

#include "core/run/training_plan.hpp"
#include "core/run/worker_loop.hpp"

namespace regnet {

struct RunSettings {
  std::string run_id;         // recorded in each result's provenance.worker.run; "" = host-pid
  bool worker_child = false;  // one worker of a --jobs run: the parent shows and reports
  bool show_progress = true;  // the progress block and notes on stderr
  std::string executable;     // this program, re-run for --jobs workers
};

struct RunOutcome {
  std::vector<TrainResult> results;  // finished by this run's workers, in order of appearance
  bool interrupted = false;          // a stop signal ended it; unfinished models kept their checkpoints
  double seconds = 0;
  std::vector<std::string> problems;  // workers that did not end cleanly (--jobs)
  std::vector<std::string> errors;    // the error lines of workers that refused (--jobs), each once
};

// The trainer of this process, injected: lib/train's SweepTrainer on LibTorch, fakes in tests.
struct LocalTrainer {
  std::function<void()> open;  // opens the data and checks the selected samples fit it (UserError)
  TrainFunction train;
};

// One worker here until nothing is left to claim or a stop signal arrives. The data (trainer.open)
// and the sweep directory (check_sweep_writable) are checked before anything is trained or
// shown, so a problem is one line and no traces (the data first: a mismatch leaves the sweep
// directory untouched, not even a directory's mtime).
RunOutcome train_here(const TrainingPlan& plan, const RunSettings& settings, const LocalTrainer& trainer);
// plan.jobs worker processes of plan.threads threads, worker k on plan.device_of_worker(k).
// The directory and `check_data` are checked first, so such a problem is one line rather than
// one per worker; an error the workers meet later is one line too (RunOutcome::errors).
RunOutcome train_with_workers(const TrainingPlan& plan, const RunSettings& settings,
                              const std::function<void()>& check_data);

// The results written by the workers of run `run_id` (others may train the same sweep at once).
std::vector<TrainResult> results_of_run(const std::vector<TrainResult>& all, const std::string& run_id);
// "HOST-PID" of this process.
std::string default_run_id();

}  // namespace regnet
