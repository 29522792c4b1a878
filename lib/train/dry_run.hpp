#pragma once
// `train --dry-run` on the real data: the dataset opened (the specs must fit it) and described,
// and the plan's training estimated (core/run/train_report.hpp prints it). Torch-free header.
#include <string>

#include "core/run/train_report.hpp"
#include "train/sweep_trainer.hpp"

namespace regnet::train {

// gflops_per_core: the CPU throughput assumed per core (0: the documented default).
DryRunPlan dry_run_plan(const TrainingPlan& plan, SweepTrainer& trainer, double gflops_per_core);

// "fashion-mnist (ROOT): 60,000 train / 10,000 test images, 28 px, 1 channel, 10 classes"
std::string to_text(const DatasetInfo& d);

}  // namespace regnet::train
