#pragma once
// The sweep worker on the real trainer: a TrainFunction (core/sweep_worker.hpp) that opens the
// dataset once per process and trains each sample with train_model. Torch-free header.
#include <memory>
#include <string>
#include <vector>

#include "core/run/schedule.hpp"
#include "core/run/training_plan.hpp"
#include "core/run/training_run.hpp"
#include "core/run/worker_loop.hpp"
#include "train/data.hpp"

namespace regnet::train {

struct SweepTraining {
  DataConfig data;
  Schedule schedule;
  std::string schedule_source;  // the file it came from, recorded in provenance
  std::string device = "auto";
  int threads = 0;  // CPU threads (0 = all cores)
};

// What a worker of `plan` on `device` trains with: the plan's data (at its samples' image size),
// schedule and threads.
SweepTraining sweep_training(const TrainingPlan& plan, const std::string& device);

// Throws UserError naming the sample file when the spec cannot take the dataset's images or
// labels (channels, classes).
void check_spec_fits(const SampleRecord& sample, const DatasetInfo& data, const std::string& sweep_dir);

class SweepTrainer {
 public:
  SweepTrainer(std::string sweep_dir, SweepTraining t);
  // Checks the device, opens the dataset (once; later calls return the same) and checks
  // `samples` fit it (channels, classes) before resizing its images to their size.
  DatasetInfo open(const std::vector<SampleRecord>& samples = {});
  TrainResult train(const SampleRecord& sample, const TrainJob& job);
  TrainFunction function();  // bound to this object: keep it alive while the function is used
  // For core/training_run.hpp: open() checks `samples`, train() trains. Bound to this object too.
  LocalTrainer local(const std::vector<SampleRecord>& samples);

 private:
  void load(const std::vector<SampleRecord>& samples);

  std::string dir_;
  SweepTraining t_;
  std::shared_ptr<Dataset> data_;
  DatasetInfo info_;
};

}  // namespace regnet::train
