// The design of a group-sequential comparison (core/stats/sequential_design.hpp): looks without
// data, sizes a design refuses, the JSON of designs and boundaries, and boundaries that do not
// depend on how many threads of the shared pool (core/base/parallel) simulate them. (The
// boundaries' error rates are simulated in test_sequential_test.cpp.)
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/base/threads.hpp"
#include "core/stats/sequential_design.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;

using regnet::testing::ScopedEnv;

TEST_CASE("sequential design: a look without data cannot reject, sizes the design refuses are errors",
          "[sequential_design]") {
  SequentialDesign d;
  d.looks = {4, 8};
  d.simulations = 20000;
  const auto b = ks_boundaries(d, {{0, 4}, {8, 8}});
  REQUIRE(b.size() == 2);
  CHECK(b[0].lcm == 1);
  CHECK_FALSE(b[0].reachable());
  CHECK(b[0].crossing == 0);
  CHECK(b[1].lcm == 8);
  CHECK(b[1].alpha_spent == 0.05);  // the last planned look spends it all
  CHECK(b[1].crossing <= 0.05);
  CHECK(ks_boundaries(d, {}).empty());
  CHECK_THROWS_WITH(ks_boundaries(d, {{5, 4}}),
                    "looks: look 1 has 5 and 4 models: sizes must grow and stay within the look's 4");
  CHECK_THROWS_WITH(ks_boundaries(d, {{4, 4}, {3, 8}}), Catch::Contains("look 2 has 3 and 8 models"));
  CHECK_THROWS_WITH(ks_boundaries(d, {{4, 4}, {8, 8}, {8, 8}}), "looks: 3 looks of data for a design of 2");
  d.pairs = 3;
  CHECK(pair_alpha(d) == Approx(0.05 / 3));
  CHECK(ks_boundaries(d, {{4, 4}, {8, 8}})[1].alpha_spent == Approx(0.05 / 3));
}

TEST_CASE("sequential design: the JSON of a design and of its boundaries", "[sequential_design]") {
  SequentialDesign d;
  d.looks = {5, 10};
  d.alpha = 0.1;
  d.spending = Spending::obrien_fleming;
  d.pairs = 2;
  d.simulations = 20000;
  d.seed = 7;
  validate(d);
  const nlohmann::json j = to_json(d);
  CHECK(j["looks"] == nlohmann::json({5, 10}));
  CHECK(j["alpha"] == 0.1);
  CHECK(j["spending"] == "obrien-fleming");
  CHECK(j["pairs"] == 2);
  CHECK(j["pair_alpha"] == 0.05);
  CHECK(j["simulations"] == 20000);
  CHECK(j["seed"] == 7);
  const auto b = ks_boundaries(d, {{5, 5}, {10, 10}});
  const nlohmann::json first = to_json(b[0]), last = to_json(b[1]);
  CHECK(first["n_a"] == 5);
  CHECK(first["lcm"] == 5);
  CHECK(first["h_reject"] == b[0].h_reject);
  CHECK(first["t"] == Approx(0.5));
  // O'Brien-Fleming at t = 1/2 spends 0.0056 of the pair's 0.05, below P(D = 1) = 2 / C(10, 5) = 0.0079:
  // look 1 cannot reject, its d is null.
  CHECK_FALSE(b[0].reachable());
  CHECK(first["d"].is_null());
  REQUIRE(b[1].reachable());
  CHECK(last["d"] == Approx(double(b[1].h_reject) / 10));
  CHECK(last["alpha_spent"] == 0.05);
  CHECK(last["crossing"].get<double>() <= 0.05);
}

TEST_CASE("sequential design: the boundaries are the same on 1, 3 and 7 threads", "[sequential_design]") {
  // Boundaries are cached per design and sizes, so each thread count gets a design of its own
  // that simulates the same thing: looks added before the last do not change the first three
  // looks' boundaries (t uses the last look; none of the three is the last).
  const std::vector<LookSize> sizes = {{8, 8}, {12, 11}, {16, 16}};
  std::vector<std::vector<KsBoundary>> runs;
  const std::vector<std::vector<int>> looks = {
      {8, 12, 16, 24, 40}, {8, 12, 16, 24, 32, 40}, {8, 12, 16, 20, 24, 32, 40}};
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
