// Running a plan in this process with an injected trainer: the data is checked first, every
// claimable sample is trained, and the outcome holds this run's results only.
#include <catch2/catch.hpp>
#include <csignal>

#include "core/base/error.hpp"
#include "core/base/stop_signal.hpp"
#include "core/run/process_supervisor.hpp"
#include "core/run/training_run.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempConfig;
using regnet::testing::TempSweep;

namespace {

TrainingPlan plan_of(const TempSweep& s) {
  TrainingRequest r;
  r.sweep_dir = s.path;
  r.heartbeat = 0.05;
  r.threads = 1;
  return plan_training(r);
}

TrainResult done_with(double err) {
  TrainResult r;
  r.status = RunStatus::done;
  r.final_top1_err = r.best_top1_err = err;
  return r;
}

}  // namespace

TEST_CASE("training run: one worker here trains what is left, the outcome is this run's", "[training_run]") {
  TempConfig config({"fashion-mnist-short"});
  TempSweep s(4);
  TrainResult other = done_with(5);
  other.id = 2;
  other.provenance = {{"worker", {{"run", "someone-else"}}}};
  write_result(s.path, other);
  const TrainingPlan p = plan_of(s);
  int opened = 0;
  std::vector<int> trained;
  LocalTrainer t;
  t.open = [&] { ++opened; };
  t.train = [&](const SampleRecord& r, const TrainJob&) {
    trained.push_back(r.id);
    if (r.id == 3) throw std::runtime_error("out of memory");
    return done_with(10 + r.id);
  };
  RunSettings settings;
  settings.run_id = "test-run";
  settings.show_progress = false;
  const RunOutcome out = train_here(p, settings, t);
  CHECK(trained == std::vector<int>{0, 1, 3});
  CHECK(opened >= 1);  // before anything was written, and once more by the worker before its first claim
  CHECK_FALSE(out.interrupted);
  CHECK(out.problems.empty());
  std::vector<int> ids;
  for (const auto& r : out.results) ids.push_back(r.id);
  std::sort(ids.begin(), ids.end());
  CHECK(ids == std::vector<int>{0, 1, 3});  // not sample 2: another run's
  for (const auto& r : out.results) CHECK(r.provenance["worker"]["run"] == "test-run");
  CHECK(load_result(s.path, 3)->status == RunStatus::failed);
  CHECK(results_of_run(load_results(s.path), "someone-else").size() == 1);
  CHECK(results_of_run(load_results(s.path), "nobody").empty());
}

TEST_CASE("training run: a data problem stops the run before anything is written", "[training_run]") {
  TempConfig config({"fashion-mnist-short"});
  TempSweep s(2);
  const TrainingPlan p = plan_of(s);
  LocalTrainer t;
  t.open = [] { fail("data/train-images", "channels", "3 does not suit 1"); };
  t.train = [](const SampleRecord&, const TrainJob&) -> TrainResult {
    FAIL("trained");
    return {};
  };
  RunSettings settings;
  settings.show_progress = false;
  CHECK_THROWS_WITH(train_here(p, settings, t), Catch::Contains("does not suit"));
  CHECK(load_results(s.path).empty());
  CHECK(observe_sweep(s.path, {}).pending == std::vector<int>{0, 1});
}

TEST_CASE("training run: a stop signal ends the run after the current model", "[training_run]") {
  TempConfig config({"fashion-mnist-short"});
  TempSweep s(3);
  const TrainingPlan p = plan_of(s);
  LocalTrainer t;
  t.train = [](const SampleRecord& r, const TrainJob& job) {
    if (r.id == 1) {
      std::raise(SIGTERM);  // as SLURM preempting the task
      CHECK(job.should_stop());
      TrainResult stopped;
      stopped.status = RunStatus::failed;
      return stopped;
    }
    return done_with(1);
  };
  RunSettings settings;
  settings.worker_child = true;  // no display, and no second-Ctrl-C escalation
  const RunOutcome out = train_here(p, settings, t);
  CHECK(out.interrupted);
  CHECK(stop_signal() == SIGTERM);
  CHECK(stop_exit_code() == kExitTerminated);
  REQUIRE(out.results.size() == 1);
  CHECK(out.results[0].id == 0);
  CHECK_FALSE(load_result(s.path, 1));  // interrupted: no result
  clear_stop_signal();
  CHECK_FALSE(stop_requested());
  std::raise(SIGINT);
  CHECK(stop_exit_code() == kExitInterrupted);
  clear_stop_signal();
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

TEST_CASE("training run: an error every --jobs worker meets is one line, a worker's death is named", "[training_run]") {
  ProcessSupervisor w("/bin/sh", {{"-c", "echo 'regnet-explore: error: d/checkpoints: no space' >&2; exit 2"},
                                  {"-c", "echo 'regnet-explore: error: d/checkpoints: no space' >&2; exit 2"},
                                  {"-c", "exit 0"},
                                  {"-c", "exit 2"}});
  w.start();
  Supervision s;
  s.period_seconds = 0.05;
  const std::vector<std::string> problems = w.wait(s);
  CHECK(w.errors() == std::vector<std::string>{"d/checkpoints: no space"});
  CHECK(problems == std::vector<std::string>{"worker 4 stopped with exit code 2"});  // said nothing: named
}
