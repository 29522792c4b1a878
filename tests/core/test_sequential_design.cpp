// The design of a group-sequential comparison (core/stats/sequential_design.hpp): looks without
// data, sizes a design refuses, and the JSON of designs and boundaries. (The boundaries' error
// rates are simulated in test_sequential_test.cpp.)
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <vector>

#include "core/base/error.hpp"
#include "core/stats/sequential_design.hpp"

using namespace regnet;

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
  CHECK_THROWS_WITH(ks_boundaries(d, {{5, 4}}), "looks: look 1 has 5 and 4 models: sizes must grow and stay within the look's 4");
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
