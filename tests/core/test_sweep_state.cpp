// Worker bookkeeping: id lists, sample states, the dry-run estimate, and the sweep ETA.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/sweep_state.hpp"

using namespace regnet;
using State = ClaimObservation::State;

TEST_CASE("worker plan: id lists take ranges, singles and open ends", "[worker_plan]") {
  CHECK(parse_id_list("0-3,7", 10) == std::vector<int>{0, 1, 2, 3, 7});
  CHECK(parse_id_list("7, 2-3 ,2", 10) == std::vector<int>{2, 3, 7});  // sorted, duplicates merged
  CHECK(parse_id_list("8-", 10) == std::vector<int>{8, 9, 10});
  CHECK_THROWS_WITH(parse_id_list("3-1", 10), Catch::Contains("--ids") && Catch::Contains("empty range"));
  CHECK_THROWS_WITH(parse_id_list("11", 10), Catch::Contains("not a sample") && Catch::Contains("0-10"));
  CHECK_THROWS_AS(parse_id_list("a-b", 10), UserError);
  CHECK_THROWS_AS(parse_id_list("", 10), UserError);
  CHECK_THROWS_AS(parse_id_list("1,,2", 10), UserError);
  CHECK(format_id_list({9, 0, 1, 2, 3, 5, 7, 8}) == "0-3,5,7-9");
  CHECK(format_id_list({4}) == "4");
  CHECK(format_id_list({}).empty());
  CHECK(parse_id_list(format_id_list({0, 2, 3, 4, 10}), 10) == std::vector<int>{0, 2, 3, 4, 10});
}

TEST_CASE("worker plan: a result makes a sample done whatever its claim; stale claims come first", "[worker_plan]") {
  const SweepState s = classify({5, 0, 1, 2, 3, 4, 4}, {1, 3},
                                {{1, State::live}, {2, State::live}, {4, State::stale}, {5, State::none}});
  CHECK(s.done == std::vector<int>{1, 3});
  CHECK(s.claimed == std::vector<int>{2});
  CHECK(s.stale == std::vector<int>{4});
  CHECK(s.pending == std::vector<int>{0, 5});
  CHECK(s.total() == 6);
  CHECK(s.claimable() == std::vector<int>{4, 0, 5});
}

TEST_CASE("worker plan: the dry-run estimate follows flops, images, epochs and cores", "[worker_plan]") {
  ThroughputAssumption a;
  a.flops_per_second_per_core = 1e9;
  a.seconds_per_model = 0;
  // 1 MMAC, 1000 train + 500 test images, 2 epochs, 1 core: (6e9 + 1e9) * 2 / 1e9 = 14 s.
  CHECK(estimate_model_seconds(1'000'000, 2, 1000, 500, 1, a) == Approx(14.0));
  CHECK(estimate_model_seconds(1'000'000, 2, 1000, 500, 2, a) == Approx(7.0));
  // The documented default: LIBTORCH.md's reference model (1.84 MMAC, ~1,600 img/s on 2 threads
  // ~ 37.5 s for a 60k epoch): the estimate must be the same order, not optimistic.
  const double t = estimate_model_seconds(1'840'000, 1, 60000, 10000, 2);
  CHECK(t > 30);
  CHECK(t < 60);
}

TEST_CASE("worker plan: status files round-trip and give the model's fraction", "[worker_plan]") {
  WorkerStatus w;
  w.worker = "node1-42";
  w.sample = 17;
  w.epoch = 2;
  w.epochs = 4;
  w.step = 50;
  w.steps = 100;
  w.images_per_second = 1540;
  CHECK(w.model_fraction() == Approx(0.375));
  const WorkerStatus back = worker_status_from_json(to_json(w));
  CHECK(back.sample == 17);
  CHECK(back.model_fraction() == Approx(0.375));
  CHECK(back.images_per_second == Approx(1540));
  WorkerStatus idle;
  idle.worker = "x";
  CHECK_FALSE(worker_status_from_json(to_json(idle)).sample);
  CHECK(idle.model_fraction() == 0);
  CHECK(status_path("/s", "a/b c") == "/s/status/a_b_c.json");
}

TEST_CASE("worker plan: the sweep ETA comes from this run's rate, not resumed work", "[worker_plan]") {
  // Four samples of equal cost; sample 0 was done before the run began.
  SweepEta eta({{0, 100}, {1, 100}, {2, 100}, {3, 100}});
  auto at = [](int id, int epoch, int epochs) {
    WorkerStatus s;
    s.worker = "w";
    s.sample = id;
    s.epoch = epoch;
    s.epochs = epochs;
    return s;
  };
  eta.observe(0, {0}, {at(1, 3, 4)});  // sample 1 resumed at 50%: that half is not this run's speed
  CHECK(eta.eta_seconds() < 0);        // nothing measured yet
  CHECK(eta.remaining_fraction() == Approx(0.625));
  eta.observe(10, {0}, {at(1, 4, 4)});  // 25 MAC-units in 10 s
  // Remaining: 2.5 samples of 100 (1 at 75% done, 2 and 3 untouched) = 225 units at 2.5/s = 90 s.
  CHECK(eta.eta_seconds() == Approx(90));
  eta.observe(20, {0, 1}, {});  // sample 1 finished: 50 units in 20 s; 200 left at 2.5/s
  CHECK(eta.eta_seconds() == Approx(80));
  eta.observe(30, {0, 1, 2, 3}, {});
  CHECK(eta.eta_seconds() == 0);
  CHECK(eta.remaining_fraction() == 0);
}
