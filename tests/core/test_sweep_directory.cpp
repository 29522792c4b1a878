// The sweep directory's records as read back: result values are checked (a wrong one would rank a
// model), a sweep without samples/ is a user error, and a new sweep appears whole under its own name.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/sweep/directory.hpp"
#include "temp_dir.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::test::TempDir;
namespace fs = std::filesystem;

namespace {
std::string error_of(const char* text) {
  try {
    train_result_from_json(nlohmann::json::parse(text), "r.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("sweep records: result values are checked as they are read", "[sweep]") {
  // What the trainer writes reads back; a diverged run's NaN errors are null.
  const auto ok = train_result_from_json(nlohmann::json::parse(
      R"({"id": 1, "status": "diverged", "final_top1_err": null, "best_top1_err": 90, "best_epoch": 1,
          "history": [{"epoch": 1, "lr": 0.1, "train_loss": null, "top1_err": 90, "top5_err": 50}]})"));
  CHECK(std::isnan(ok.final_top1_err));
  CHECK(ok.best_top1_err == 90);
  CHECK(std::isnan(ok.history[0].train_loss));

  CHECK(error_of(R"({"id": 0, "status": "done", "best_top1_err": -50})") ==
        "r.json: best_top1_err: -50 is not a percentage in [0, 100]");
  CHECK(error_of(R"({"id": 0, "status": "done", "final_top5_err": 100.5})") ==
        "r.json: final_top5_err: 100.5 is not a percentage in [0, 100]");
  CHECK(error_of(R"({"id": 0, "status": "done", "best_top1_err": "abc"})") ==
        "r.json: best_top1_err: \"abc\" is not a number");
  CHECK(error_of(R"({"id": 0, "status": "done", "history": {}})") == "r.json: history: {} is not an array");
  CHECK(error_of(R"({"id": 0, "status": "done", "history": [{"epoch": 1}, {"epoch": 3}]})") ==
        "r.json: history[1].epoch: 3 should be 2 (epochs count from 1)");
  CHECK(error_of(R"({"id": 0, "status": "done", "history": [{"epoch": 1, "top1_err": 101}]})") ==
        "r.json: history[0].top1_err: 101 is not a percentage in [0, 100]");
  CHECK(error_of(R"({"id": 0, "status": "done", "history": [{"epoch": 1, "lr": "fast"}]})") ==
        "r.json: history[0].lr: \"fast\" is not a number");
  CHECK(error_of(R"({"id": 0, "status": "done", "best_epoch": 2, "history": [{"epoch": 1}]})") ==
        "r.json: best_epoch: 2 is not one of the 1 epochs");
  CHECK(error_of(R"({"id": 0, "status": "done", "best_epoch": -1})") ==
        "r.json: best_epoch: -1 is not one of the 0 epochs");
  CHECK(error_of(R"({"id": 0, "status": "done", "seconds": -3})") == "r.json: seconds: -3 must be >= 0");
}

TEST_CASE("sweep records: a sweep without samples/ is a user error", "[sweep]") {
  TempDir t;
  fs::create_directory(t / "sw");
  write_json_atomic(t / "sw/sweep.json", {{"format_version", kSweepFormatVersion}});
  CHECK_THROWS_WITH(load_samples(t / "sw"),
                    t / "sw" + ": samples: missing: not a complete sweep directory (no samples/)");
  CHECK_THROWS_WITH(load_sample(t / "sw", 0), t / "sw" + ": id: 0 is not a sample of this sweep");
}

TEST_CASE("sweep records: a new sweep under a long name, never through a link or a file", "[sweep]") {
  TempDir t;
  const std::string name(250, 's');  // fits NAME_MAX; its old temporary name ".tmp-NAME-PID" did not
  create_sweep(t / name, {{"format_version", kSweepFormatVersion}}, regnet::testing::tiny_samples(2));
  CHECK(load_samples(t / name).size() == 2);
  CHECK(std::distance(fs::directory_iterator(t.path), fs::directory_iterator{}) == 1);  // no temporary left

  fs::create_directory(t / "target");
  fs::create_directory_symlink(t / "target", t / "link");
  CHECK_THROWS_WITH(require_new_sweep_dir(t / "link"),
                    t / "link" + ": --out: is a symbolic link; give the directory itself (or a new name)");
  CHECK_THROWS_WITH(require_new_sweep_dir(t / "link/"), Catch::Contains("is a symbolic link"));
  std::ofstream(t / "file") << "x";
  CHECK_THROWS_WITH(require_new_sweep_dir(t / "file/sweep"),
                    t / "file/sweep" + ": --out: '" + t / "file" + "' is not a directory");
  CHECK_THROWS_WITH(require_new_sweep_dir(""), "--out: is empty: give the new sweep directory");
}
