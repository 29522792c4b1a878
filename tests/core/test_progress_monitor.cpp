// Watching a sweep directory while workers train it (core/run/progress_monitor.hpp): results that were
// there first are counted, not announced; new ones are announced once, in order; results of
// samples not selected and files not yet readable are left out; the block shows the counts and a
// worker's line from its status file.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "core/base/clock.hpp"
#include "core/base/json_io.hpp"
#include "core/base/progress.hpp"
#include "core/run/progress_monitor.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/worker_status.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempSweep;

namespace {

TrainResult done(int id, double final_err, double best_err, int best_epoch, double seconds) {
  TrainResult r;
  r.id = id;
  r.final_top1_err = final_err;
  r.best_top1_err = best_err;
  r.best_epoch = best_epoch;
  r.seconds = seconds;
  return r;
}

std::string contents(std::FILE* f) {
  std::fflush(f);
  std::rewind(f);
  std::string s;
  char buf[512];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) s.append(buf, n);
  return s;
}

std::vector<int> ids_of(const std::vector<TrainResult>& results) {
  std::vector<int> ids;
  for (const auto& r : results) ids.push_back(r.id);
  return ids;
}

}  // namespace

TEST_CASE("progress monitor: one line per result: status, errors, best epoch, time, or the message",
          "[progress_monitor]") {
  CHECK(ProgressMonitor::result_line(done(17, 19.62, 19.4, 2, 65)) ==
        "#000017 done     top-1 err 19.62% (best 19.40% at epoch 2)  1m05s");
  TrainResult nan_final = done(3, std::numeric_limits<double>::quiet_NaN(), 40, 1, 5);
  CHECK(ProgressMonitor::result_line(nan_final) == "#000003 done     top-1 err -- (best 40.00% at epoch 1)  5s");
  TrainResult diverged;
  diverged.id = 2;
  diverged.status = RunStatus::diverged;
  diverged.message = "loss is nan in epoch 2";
  CHECK(ProgressMonitor::result_line(diverged) == "#000002 diverged loss is nan in epoch 2");
  TrainResult failed;
  failed.id = 123456;
  failed.status = RunStatus::failed;
  CHECK(ProgressMonitor::result_line(failed) == "#123456 failed   (no message)");
}

TEST_CASE("progress monitor: counts earlier results, announces new ones once, ignores unselected and unreadable ones",
          "[progress_monitor]") {
  TempSweep sweep(5);
  const auto samples = regnet::testing::tiny_samples(4);  // samples 0..3 selected; 4 is not
  write_result(sweep.path, done(0, 30, 29, 1, 10));       // finished before the monitor started

  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    ProgressDisplay display(f, /*tty=*/false, /*plain_interval_seconds=*/0);
    ProgressMonitor m(sweep.path, samples, &display);
    CHECK(m.total() == 4);
    m.poll();
    CHECK(m.done() == 1);
    CHECK(m.new_results().empty());  // counted, not news

    // Two models finish, one of another selection, one result is half-written, and a worker
    // on another host reports sample 3.
    write_result(sweep.path, done(1, 25.5, 25, 2, 61));
    TrainResult diverged;
    diverged.id = 2;
    diverged.status = RunStatus::diverged;
    diverged.message = "loss is nan in epoch 2";
    write_result(sweep.path, diverged);
    write_result(sweep.path, done(4, 1, 1, 1, 1));
    WorkerStatus w;
    w.worker = "node7-99";
    w.host = "node7";
    w.pid = 99;
    w.state = "training";
    w.sample = 3;
    w.epoch = 1;
    w.epochs = 2;
    w.step = 5;
    w.steps = 10;
    w.images_per_second = 1234;
    w.model_eta_seconds = 45;
    w.updated = unix_seconds();
    std::filesystem::create_directories(sweep.path + "/status");  // as a worker makes it
    write_json_atomic(status_path(sweep.path, w.worker), to_json(w));
    m.poll();
    CHECK(ids_of(m.new_results()) == std::vector<int>{1, 2});
    CHECK(m.done() == 3);
    m.poll();  // nothing new: nothing announced twice
    CHECK(ids_of(m.new_results()) == std::vector<int>{1, 2});

    std::ofstream(result_path(sweep.path, 3)) << "{\"id\": 3, \"status\": \"do";  // being written
    m.poll();
    CHECK(m.done() == 3);
    write_result(sweep.path, done(3, 28, 27.5, 2, 70));
    m.poll();
    CHECK(ids_of(m.new_results()) == std::vector<int>{1, 2, 3});
    CHECK(m.done() == 4);
    m.finish();
  }
  const std::string out = contents(f);
  std::fclose(f);
  INFO(out);
  // The first block, each new result once above the block, the last block at the end.
  CHECK(out.find("1/4 done, 0 training, sweep ETA ") != std::string::npos);
  CHECK(out.find(ProgressMonitor::result_line(done(1, 25.5, 25, 2, 61)) + "\n") != std::string::npos);
  CHECK(out.find("#000002 diverged loss is nan in epoch 2\n") != std::string::npos);
  CHECK(out.find("#000000 ") == std::string::npos);
  CHECK(out.find("#000004 ") == std::string::npos);
  CHECK(out.find("4/4 done, 1 diverged, 0 training, sweep ETA ") != std::string::npos);
  CHECK(out.rfind("4/4 done") > out.find("#000003 done"));
}

TEST_CASE("progress monitor: a worker's line shows its model's epoch, speed and ETA", "[progress_monitor]") {
  TempSweep sweep(2);
  WorkerStatus w;
  w.worker = "node7-99";
  w.host = "node7";  // another host: its liveness is not checked here
  w.pid = 99;
  w.state = "training";
  w.sample = 1;
  w.epoch = 1;
  w.epochs = 2;
  w.step = 5;
  w.steps = 10;
  w.images_per_second = 1234;
  w.model_eta_seconds = 45;
  w.updated = unix_seconds();
  std::filesystem::create_directories(sweep.path + "/status");  // as a worker makes it
  write_json_atomic(status_path(sweep.path, w.worker), to_json(w));
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  {
    ProgressDisplay display(f, /*tty=*/false, /*plain_interval_seconds=*/0);
    ProgressMonitor m(sweep.path, regnet::testing::tiny_samples(2), &display);
    m.poll();
    m.finish();
  }
  const std::string out = contents(f);
  std::fclose(f);
  INFO(out);
  CHECK(out.find("0/2 done, 1 training, sweep ETA ") != std::string::npos);
  CHECK(out.find("  #000001 epoch 1/2 " + render_bar(w.model_fraction(), 10) + " 1,234 img/s  ETA 45s\n") !=
        std::string::npos);
  // Quiet (no display): results are still tracked.
  ProgressMonitor quiet(sweep.path, regnet::testing::tiny_samples(2), nullptr);
  quiet.poll();
  write_result(sweep.path, done(1, 20, 20, 1, 1));
  quiet.poll();
  CHECK(quiet.done() == 1);
  CHECK(ids_of(quiet.new_results()) == std::vector<int>{1});
}
