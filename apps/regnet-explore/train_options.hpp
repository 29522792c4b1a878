#pragma once
// The options shared by `train` and `launch` (which passes them on to `train` in each SLURM
// task), bound to a TrainingRequest; core/training_plan.hpp decides what they mean.
#include <CLI/CLI.hpp>

#include <string>

#include "core/base/error.hpp"
#include "core/run/training_plan.hpp"

namespace regnet::cli {

inline void add_train_options(CLI::App* cmd, TrainingRequest& o) {
  cmd->add_option("--data", o.data,
                  "dataset: fashion-mnist, mnist, cifar10, or a directory (IDX, CIFAR binary, ImageFolder); "
                  "default: the sweep's --preset dataset, else fashion-mnist");
  cmd->add_option("--data-root", o.data_root, "directory holding a named dataset's files (default: its usual place)");
  cmd->add_option("--schedule", o.schedule,
                  "training recipe: a name in configs/schedules (e.g. fashion-mnist-short) or a .json file; "
                  "default: DATA-short");
  cmd->add_option("--jobs,-j", o.jobs,
                  "worker processes (default 1, or one per --devices entry); each trains its own models");
  cmd->add_option("--threads", o.threads, "CPU threads per worker (default: cores / jobs)");
  cmd->add_option("--devices", o.devices, "cpu, auto, cuda, or a list such as cuda:0,cuda:1 (workers take turns)")
      ->capture_default_str();
  cmd->add_option("--ids", o.ids, "only these samples, e.g. 0-9,12 (default: all)");
  cmd->add_flag("--no-wait", o.no_wait,
                "return when the only samples left are held by other live workers, instead of waiting to take "
                "over any whose worker dies");
  cmd->add_flag("--strict", o.strict_data,
                "an unreadable image (ImageFolder, JPEG pack) stops training with an error naming it "
                "(default: skipped, counted, one warning)");
  cmd->add_option("--claim-timeout", o.claim_timeout,
                  "seconds without a heartbeat after which another machine's claim is stale")
      ->capture_default_str();
  cmd->add_option("--heartbeat", o.heartbeat, "seconds between a worker's claim heartbeats")
      ->capture_default_str()
      ->group("");  // for tests
}

// An option whose 0 means "not given" (the default) refuses a 0 that was given.
inline void refuse_given_zero(const CLI::App& cmd, const std::string& option, int value, const std::string& why) {
  if (value == 0 && cmd.count(option) > 0) fail("", option, "0 must be >= 1 (" + why + ")");
}

inline void check_train_options(const CLI::App& cmd, const TrainingRequest& o) {
  refuse_given_zero(cmd, "--jobs", o.jobs, "leave it out for one worker per device");
}

}  // namespace regnet::cli
