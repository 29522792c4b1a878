#pragma once
// The options of `train`, bound from the one table in core/run/train_arguments.hpp: `train` binds
// all of them (TrainArguments), `launch`, `compare`, `audit` and `refine` the TrainingRequest part
// (which they pass on to their child `train` runs); core/run/training_plan.hpp decides what they mean.
#include <CLI/CLI.hpp>

#include "core/run/train_arguments.hpp"
#include "core/run/training_plan.hpp"

namespace regnet::cli {

void add_train_options(CLI::App* cmd, TrainingRequest& o);

// SWEEP, the request's options and the hidden ones a parent gives its child: what `train` parses,
// and what TrainArguments::to_args() writes (the program's -q/--quiet is the driver's).
void add_train_arguments(CLI::App* cmd, TrainArguments& a);

}  // namespace regnet::cli
