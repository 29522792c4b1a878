#pragma once
// This program's own path, for re-running itself (worker processes, SLURM tasks, the partner binary).
#include <string>

namespace regnet::cli {

std::string self_exe();

}  // namespace regnet::cli
