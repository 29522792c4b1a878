#include "core/base/threads.hpp"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

namespace regnet {

int available_cores() {
  if (const char* s = std::getenv("SLURM_CPUS_PER_TASK")) {
    const int n = std::atoi(s);
    if (n > 0) return n;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

int default_threads(int requested) { return requested > 0 ? requested : available_cores(); }

}  // namespace regnet
