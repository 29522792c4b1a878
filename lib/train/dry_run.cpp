#include "train/dry_run.hpp"

#include <fmt/format.h>

#include "core/base/text.hpp"
#include "core/base/units.hpp"

namespace regnet::train {

DryRunPlan dry_run_plan(const TrainingPlan& p, SweepTrainer& trainer, double gflops_per_core) {
  const DatasetInfo info = trainer.open(p.selected);
  ThroughputAssumption a;
  if (gflops_per_core > 0) a.flops_per_second_per_core = gflops_per_core * 1e9;
  const TrainingEstimate e = estimate_training(p, info.train_size, info.test_size, a);
  return DryRunPlan{p, {to_text(info), to_json(info)}, e, a};
}

std::string to_text(const DatasetInfo& d) {
  return fmt::format("{} ({}): {} train / {} test images, {} px, {}, {} classes", d.name, d.root,
                     format_thousands(d.train_size), format_thousands(d.test_size), d.image_size,
                     plural(d.channels, "channel"), d.num_classes);
}

}  // namespace regnet::train
