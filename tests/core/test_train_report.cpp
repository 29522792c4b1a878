// train's printed values: the --dry-run plan and a run's report, as JSON and text.
#include <catch2/catch.hpp>

#include "core/base/progress.hpp"
#include "core/run/train_report.hpp"

using namespace regnet;

namespace {

TrainResult result(int id, RunStatus status, double err) {
  TrainResult r;
  r.id = id;
  r.status = status;
  r.best_top1_err = r.final_top1_err = err;
  r.seconds = 2;
  return r;
}

}  // namespace

TEST_CASE("train report: counts by status, the sweep after, and what is still held", "[train_report]") {
  TrainReport r;
  r.sweep = "sweeps/xa";
  r.outcome.results = {result(0, RunStatus::done, 12.5), result(3, RunStatus::diverged, 90),
                       result(4, RunStatus::done, 11)};
  r.outcome.seconds = 75;
  r.after.done = {0, 1, 4};
  r.after.pending = {5};
  r.after.claimed = {2};
  const nlohmann::json j = to_json(r);
  CHECK(j["trained"] == 3);
  CHECK(j["done"] == 2);
  CHECK(j["diverged"] == 1);
  CHECK(j["failed"] == 0);
  CHECK(j["sweep_done"] == 3);
  CHECK(j["sweep_claimed"] == 1);
  CHECK(j["results"][1]["status"] == "diverged");
  CHECK(j["results"][2]["best_top1_err"] == 11.0);
  CHECK(to_text(r) == "this run trained 3 models in " + format_duration(75) +
                          ": 2 done, 1 diverged, 0 failed; sweep 3/" + std::to_string(r.after.total()) +
                          " done\n1 sample(s) still held by other workers: 2\n");
  r.outcome.interrupted = true;
  CHECK(to_text(r).rfind("interrupted; this run trained", 0) == 0);
  CHECK(to_text(r).find("run the same command to resume") != std::string::npos);
}

TEST_CASE("train report: the dry-run plan names the dataset, the workers and the estimate", "[train_report]") {
  DryRunPlan d;
  d.plan.sweep_dir = "sweeps/xa";
  d.plan.schedule_path = "/configs/schedules/quick.json";
  d.plan.devices = {"cpu"};
  d.plan.jobs = 2;
  d.plan.state.pending = {0, 1, 2};
  d.dataset = {"fashion-mnist (/data): 60,000 train / 10,000 test images", {{"name", "fashion-mnist"}}};
  d.estimate.to_train = {0, 1, 2};
  d.estimate.seconds = 90;
  const std::string text = to_text(d);
  CHECK(text.rfind("plan for sweeps/xa: 0 selected samples: 0 done, 0 held by live workers, 0 stale", 0) == 0);
  CHECK(text.find("  dataset   fashion-mnist (/data): 60,000 train") != std::string::npos);
  CHECK(text.find("  workers   2 processes x 1 thread on cpu\n") != std::string::npos);
  CHECK(text.find("  to train  0-2\n") != std::string::npos);
  CHECK(text.find("dry run: nothing was written\n") != std::string::npos);
  d.estimate.to_train.clear();
  CHECK(to_text(d).find("  nothing left to train\n") != std::string::npos);
  const nlohmann::json j = to_json(d);
  CHECK(j["dry_run"] == true);
  CHECK(j["dataset"]["name"] == "fashion-mnist");
  CHECK(j["pending"] == std::vector<int>{0, 1, 2});
  CHECK(j["estimate_seconds"] == 90.0);
}
