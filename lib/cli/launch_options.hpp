#pragma once
// The SLURM options of `launch --slurm`, bound to a LaunchRequest (core/run/slurm_launch.hpp
// decides what they mean), and the training of `compare`, `audit` and `refine`: each batch through
// child `train` processes here, or with --slurm as SLURM job arrays launched the same way.
#include <CLI/CLI.hpp>

#include <string>

#include "core/run/batch_training.hpp"

namespace regnet::cli {

void add_launch_options(CLI::App* cmd, LaunchRequest& l);

// --no-train, --slurm and the SLURM options; `no_train` and `slurm` are their help.
void add_batch_options(CLI::App* cmd, BatchOptions& b, const std::string& no_train, const std::string& slurm);

// Trains requests as `b` says (core/run/batch_training.hpp) through this program.
SweepsTrainer sweeps_trainer(const BatchOptions& b);

}  // namespace regnet::cli
