// Schedules: JSON validation naming the field, the lr curve, finding one by name, the shipped configs.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include "test_paths.hpp"

#include "core/base/error.hpp"
#include "core/run/schedule.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;

TEST_CASE("schedule: JSON round trip and defaults", "[schedule]") {
  Schedule s;
  s.name = "x";
  s.epochs = 7;
  s.base_lr = 0.2;
  s.warmup_epochs = 2;
  s.augment = "crop_flip";
  s.seed = 42;
  s.bn_weight_decay = false;
  const Schedule t = schedule_from_json(to_json(s), "x.json");
  CHECK(to_json(t) == to_json(s));
  const Schedule d = schedule_from_json(nlohmann::json::object(), "dir/short.json");
  CHECK(d.name == "short");  // the file's stem
  CHECK(d.epochs == 10);
  CHECK(d.batch_size == 128);
  CHECK(d.base_lr == 0.05);
  CHECK(d.nesterov);
}

TEST_CASE("schedule: invalid fields are errors naming the file and field", "[schedule]") {
  auto bad = [](const char* text) { return schedule_from_json(nlohmann::json::parse(text), "s.json"); };
  CHECK_THROWS_WITH(bad(R"({"base_lr": -0.1})"), Catch::StartsWith("s.json: base_lr: -0.1"));
  CHECK_THROWS_WITH(bad(R"({"epochs": 0})"), Catch::StartsWith("s.json: epochs: 0"));
  CHECK_THROWS_WITH(bad(R"({"batch_size": 0})"), Catch::Contains("batch_size"));
  CHECK_THROWS_WITH(bad(R"({"weight_decay": -1})"), Catch::Contains("weight_decay"));
  CHECK_THROWS_WITH(bad(R"({"momentum": 1.5})"), Catch::Contains("momentum"));
  CHECK_THROWS_WITH(bad(R"({"momentum": 0, "nesterov": true})"), Catch::Contains("nesterov"));
  CHECK_THROWS_WITH(bad(R"({"warmup_epochs": 20})"), Catch::Contains("warmup_epochs"));
  CHECK_THROWS_WITH(bad(R"({"label_smoothing": 1})"), Catch::Contains("label_smoothing"));
  CHECK_THROWS_WITH(bad(R"({"augment": "mixup"})"), Catch::Contains("augment") && Catch::Contains("mixup"));
  CHECK_THROWS_WITH(bad(R"({"train_limit": -5})"), Catch::Contains("train_limit"));
  CHECK_THROWS_WITH(bad(R"({"seed": -1})"), Catch::Contains("seed"));
  CHECK_THROWS_WITH(bad(R"({"epochz": 3})"), Catch::Contains("epochz") && Catch::Contains("unknown"));
  CHECK_THROWS_WITH(bad(R"({"nesterov": "yes"})"), Catch::Contains("nesterov"));
  CHECK_THROWS_AS(bad(R"({"epochs": 2.5})"), UserError);
  CHECK_THROWS_AS(load_schedule("/nonexistent/schedule.json"), UserError);
}

TEST_CASE("schedule: half-period cosine with linear warm-up", "[schedule]") {
  Schedule s;
  s.epochs = 10;
  s.base_lr = 0.4;
  CHECK(learning_rate(s, 0) == Approx(0.4));
  CHECK(learning_rate(s, 5) == Approx(0.2));
  CHECK(learning_rate(s, 10) == Approx(0.0).margin(1e-12));
  CHECK(learning_rate(s, 2.5) == Approx(0.2 * (1 + std::cos(M_PI / 4))));
  s.warmup_epochs = 2;
  s.warmup_factor = 0.1;
  CHECK(learning_rate(s, 0) == Approx(0.04));  // warmup_factor * lr
  // Half way through warm-up: factor 0.55 of the cosine value.
  CHECK(learning_rate(s, 1) == Approx(0.55 * 0.2 * (1 + std::cos(M_PI / 10))));
  CHECK(learning_rate(s, 2) == Approx(0.2 * (1 + std::cos(M_PI / 5))));  // warm-up over
}

TEST_CASE("schedule: every shipped config loads", "[schedule]") {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(std::string(REGNET_SOURCE_DIR) + "/configs/schedules")) {
    if (e.path().extension() != ".json") continue;
    INFO(e.path());
    const Schedule s = load_schedule(e.path().string());
    CHECK(s.name == e.path().stem().string());
    ++n;
  }
  CHECK(n >= 3);
  const Schedule p = load_schedule(std::string(REGNET_SOURCE_DIR) + "/configs/schedules/imagenet-10ep.json");
  CHECK(p.epochs == 10);
  CHECK(p.batch_size == 128);
  CHECK(p.base_lr == 0.05);
  CHECK(p.weight_decay == 5e-5);
  CHECK(p.momentum == 0.9);
}

TEST_CASE("schedule: found by name in the schedules directory, or by path", "[schedule]") {
  namespace fs = std::filesystem;
  regnet::testing::TempConfig config({"smoke", "cifar10-short"});
  CHECK(schedules_dir() == config.path + "/schedules");
  CHECK(find_schedule("smoke") == config.path + "/schedules/smoke.json");
  CHECK(load_schedule(find_schedule("cifar10-short")).name == "cifar10-short");
  // A path (a '/' or a .json ending) is taken as a file, made absolute.
  CHECK(find_schedule(config.path + "/schedules/../schedules/smoke.json") == config.path + "/schedules/smoke.json");
  CHECK(fs::path(find_schedule("./" + fs::relative(config.path + "/schedules/smoke.json").string())).is_absolute());
  CHECK_THROWS_WITH(find_schedule("/nonexistent/x.json", "--schedule"),
                    Catch::Contains("--schedule: '/nonexistent/x.json': no such file"));
  // An unknown name lists the known ones, sorted.
  CHECK_THROWS_WITH(find_schedule("nope", "--schedule"),
                    Catch::Contains("--schedule: 'nope' is not a schedule in " + config.path + "/schedules") &&
                        Catch::Contains("(known: cifar10-short, smoke)"));
  regnet::testing::TempConfig empty({});
  CHECK_THROWS_WITH(find_schedule("smoke"), Catch::Contains("schedule: 'smoke'") && Catch::Contains("known: none"));
}
