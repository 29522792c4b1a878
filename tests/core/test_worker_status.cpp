// Worker status files and the sweep ETA computed from them.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "core/sweep/worker_status.hpp"
#include "temp_dir.hpp"

using namespace regnet;

TEST_CASE("worker status: status files round-trip and give the model's fraction", "[worker_status]") {
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

TEST_CASE("worker status: the sweep ETA comes from this run's rate, not resumed work", "[worker_status]") {
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

TEST_CASE("worker status: a field of the wrong type names the file and field; the display skips the file",
          "[worker_status]") {
  WorkerStatus w;
  w.worker = "node1-42";
  w.sample = 3;
  w.updated = 4e9;  // fresh until 2096
  {
    test::TempDir d;
    std::filesystem::create_directories(d.path / "status");
    std::ofstream(d / "status/w.json") << to_json(w).dump();
    CHECK(read_worker_statuses(d.path.string()).size() == 1);
  }
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"step", "12"},
                                                           {"step", nullptr},
                                                           {"steps", 1e300},
                                                           {"steps", 18446744073709551615ull},
                                                           {"step", nlohmann::json::array()},
                                                           {"epoch", 2.5},
                                                           {"pid", "7"},
                                                           {"sample", true},
                                                           {"updated", "now"},
                                                           {"worker", 5}}) {
    INFO(field << " = " << value.dump());
    nlohmann::json j = to_json(w);
    j[field] = value;
    CHECK_THROWS_WITH(worker_status_from_json(j, "status/w.json"),
                      Catch::Contains("status/w.json") && Catch::Contains(field));
    test::TempDir d;
    std::filesystem::create_directories(d.path / "status");
    std::ofstream(d / "status/w.json") << j.dump();
    CHECK(read_worker_statuses(d.path.string()).empty());  // damaged: skipped this round, not thrown
  }
}
