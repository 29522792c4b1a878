#pragma once
// How many threads to use by default, in one place.

namespace regnet {

// The most threads (or worker processes) any option asks for: each one is a real one.
constexpr int kMaxThreads = 1024;

// Cores this process may use: SLURM's allocation (SLURM_CPUS_PER_TASK), else the CPU affinity
// mask, else std::thread::hardware_concurrency(); at least 1.
int available_cores();
// `requested` when > 0, else available_cores().
int default_threads(int requested);

}  // namespace regnet
