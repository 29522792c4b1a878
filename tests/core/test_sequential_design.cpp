// The sequential design's simulation runs on the shared thread pool (core/base/parallel): the
// boundaries must not depend on how many threads simulate them. (The design's statistics are
// tested with the sequential test, in test_sequential_test.cpp.)
#include <catch2/catch.hpp>
#include <string>

#include "core/base/threads.hpp"
#include "core/stats/sequential_design.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;

using regnet::testing::ScopedEnv;

TEST_CASE("sequential design: the boundaries are the same on 1, 3 and 7 threads", "[sequential_design]") {
  // Boundaries are cached per design and sizes, so each thread count gets a design of its own
  // that simulates the same thing: looks added before the last do not change the first three
  // looks' boundaries (t uses the last look; none of the three is the last).
  const std::vector<LookSize> sizes = {{8, 8}, {12, 11}, {16, 16}};
  std::vector<std::vector<KsBoundary>> runs;
  const std::vector<std::vector<int>> looks = {{8, 12, 16, 24, 40}, {8, 12, 16, 24, 32, 40}, {8, 12, 16, 20, 24, 32, 40}};
  const int cores[] = {1, 3, 7};
  for (size_t i = 0; i < 3; ++i) {
    ScopedEnv env("SLURM_CPUS_PER_TASK", std::to_string(cores[i]));  // what default_threads(0) reads
    REQUIRE(default_threads(0) == cores[i]);
    SequentialDesign d;
    d.looks = looks[i];
    d.simulations = 20000;
    d.seed = 5;
    runs.push_back(ks_boundaries(d, sizes));
  }
  for (size_t i = 1; i < runs.size(); ++i)
    for (size_t k = 0; k < sizes.size(); ++k) {
      INFO(cores[i] << " threads, look " << k + 1);
      CHECK(runs[i][k].h_reject == runs[0][k].h_reject);
      CHECK(runs[i][k].crossing == runs[0][k].crossing);  // the same trajectories, bit for bit
      CHECK(runs[i][k].mc_error == runs[0][k].mc_error);
    }
  CHECK(runs[0][0].reachable());
}
