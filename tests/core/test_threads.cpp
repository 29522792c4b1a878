#include <catch2/catch.hpp>
#include <cstdlib>

#include "core/base/threads.hpp"

using namespace regnet;

TEST_CASE("threads: SLURM's allocation, else the affinity mask", "[threads]") {
  ::unsetenv("SLURM_CPUS_PER_TASK");
  const int here = available_cores();
  CHECK(here >= 1);
  ::setenv("SLURM_CPUS_PER_TASK", "7", 1);
  CHECK(available_cores() == 7);
  ::setenv("SLURM_CPUS_PER_TASK", "junk", 1);
  CHECK(available_cores() == here);
  ::unsetenv("SLURM_CPUS_PER_TASK");
  CHECK(default_threads(3) == 3);
  CHECK(default_threads(0) == here);
}
