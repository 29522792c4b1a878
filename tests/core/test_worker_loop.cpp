// The sweep worker loop with fake training functions: every sample trained exactly once across
// processes and crashes, done samples skipped, diverged/failed recorded, interruption resumable.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/run/worker_loop.hpp"
#include "core/sweep/claims.hpp"
#include "core/sweep/sample_states.hpp"
#include "core/sweep/tidy.hpp"
#include "core/sweep/worker_status.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempSweep;
namespace fs = std::filesystem;

namespace {

WorkerConfig fast_config(const std::string& dir) {
  WorkerConfig c;
  c.sweep_dir = dir;
  c.claims.heartbeat_seconds = 0.05;
  c.claims.timeout_seconds = 30;
  return c;
}

TrainResult ok_result(double err) {
  TrainResult r;
  r.status = RunStatus::done;
  r.final_top1_err = r.best_top1_err = err;
  return r;
}

// Appends one line to a file shared by processes (O_APPEND: lines never interleave).
void append_line(const std::string& path, const std::string& line) {
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  REQUIRE(fd >= 0);
  const std::string l = line + "\n";
  REQUIRE(::write(fd, l.data(), l.size()) == static_cast<ssize_t>(l.size()));
  ::close(fd);
}

std::map<int, int> count_lines(const std::string& path) {
  std::map<int, int> counts;
  std::ifstream in(path);
  for (int id; in >> id;) ++counts[id];
  return counts;
}

std::map<std::string, int> event_counts(const std::string& dir, int id) {
  std::map<std::string, int> out;
  for (const auto& e : read_events(dir))
    if (e["id"] == id) ++out[e["event"].get<std::string>()];
  return out;
}

}  // namespace

TEST_CASE("sweep worker: trains every sample once, records results and cleans up", "[sweep_worker]") {
  TempSweep s(5);
  std::vector<int> seen;
  std::vector<std::string> checkpoints;
  auto train = [&](const SampleRecord& r, const TrainJob& job) {
    seen.push_back(r.id);
    checkpoints.push_back(job.checkpoint_path);
    CHECK_FALSE(job.resuming);
    CHECK(claim_info_from_json(read_json_file(claim_path(s.path, r.id))).pid == ::getpid());  // held while training
    std::ofstream(job.checkpoint_path) << "epoch 1";  // as a trainer would after each epoch
    if (job.on_progress) job.on_progress(ModelProgress{1, 1, 10, 10, 100.0, 0.0, false});
    return ok_result(10.0 + r.id);
  };
  const WorkerSummary sum = run_worker(fast_config(s.path), train);
  CHECK(seen == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(sum.done == 5);
  CHECK(sum.trained == seen);
  CHECK_FALSE(sum.interrupted);
  CHECK(checkpoints[3] == checkpoint_path(s.path, 3));
  for (int id = 0; id < 5; ++id) {
    const auto r = load_result(s.path, id);
    REQUIRE(r);
    CHECK(r->id == id);
    CHECK(r->best_top1_err == Approx(10.0 + id));
    CHECK(r->provenance["worker"]["pid"] == ::getpid());
    CHECK_FALSE(fs::exists(checkpoint_path(s.path, id)));
    CHECK_FALSE(fs::exists(claim_path(s.path, id)));
    CHECK(event_counts(s.path, id) == std::map<std::string, int>{{"started", 1}, {"done", 1}});
  }
  CHECK(fs::is_empty(fs::path(s.path) / "claims"));
  CHECK(read_worker_statuses(s.path).empty());  // the status file goes with the worker

  // A second run finds nothing to do and never calls the trainer, nor prepares.
  bool prepared = false;
  WorkerConfig again = fast_config(s.path);
  again.prepare = [&] { prepared = true; };
  const WorkerSummary none = run_worker(again, [&](const SampleRecord&, const TrainJob&) {
    FAIL("trained a finished sample");
    return TrainResult{};
  });
  CHECK(none.trained.empty());
  CHECK_FALSE(prepared);
}

TEST_CASE("sweep worker: samples with a result are skipped, --ids limits the work", "[sweep_worker]") {
  TempSweep s(6);
  TrainResult pre = ok_result(1.0);
  pre.id = 1;
  write_result(s.path, pre);
  WorkerConfig c = fast_config(s.path);
  c.ids = {0, 1, 2, 5};
  std::vector<int> seen;
  run_worker(c, [&](const SampleRecord& r, const TrainJob&) {
    seen.push_back(r.id);
    return ok_result(5);
  });
  CHECK(seen == std::vector<int>{0, 2, 5});
  CHECK(load_result(s.path, 1)->best_top1_err == Approx(1.0));  // untouched
  CHECK_FALSE(load_result(s.path, 3));
  const SweepState st = observe_sweep(s.path, {});
  CHECK(st.done == std::vector<int>{0, 1, 2, 5});
  CHECK(st.pending == std::vector<int>{3, 4});

  c.ids = {9};
  CHECK_THROWS_AS(run_worker(c, [](const SampleRecord&, const TrainJob&) { return TrainResult{}; }), UserError);
}

TEST_CASE("sweep worker: diverged and failed models are recorded and the sweep goes on", "[sweep_worker]") {
  TempSweep s(4);
  auto train = [&](const SampleRecord& r, const TrainJob&) -> TrainResult {
    if (r.id == 1) {
      TrainResult d;
      d.status = RunStatus::diverged;
      d.message = "loss is nan at epoch 1";
      return d;
    }
    if (r.id == 2) throw std::runtime_error("CUDA out of memory");
    return ok_result(20);
  };
  const WorkerSummary sum = run_worker(fast_config(s.path), train);
  CHECK(sum.done == 2);
  CHECK(sum.diverged == 1);
  CHECK(sum.failed == 1);
  CHECK(load_result(s.path, 1)->status == RunStatus::diverged);
  const auto failed = load_result(s.path, 2);
  REQUIRE(failed);
  CHECK(failed->status == RunStatus::failed);
  CHECK(failed->message == "CUDA out of memory");
  CHECK(load_result(s.path, 3)->status == RunStatus::done);
}

TEST_CASE("sweep worker: a UserError stops the run at once, leaving the sample pending", "[sweep_worker]") {
  TempSweep s(3);
  int calls = 0;
  auto train = [&](const SampleRecord&, const TrainJob&) -> TrainResult {
    ++calls;
    fail("data/train-images", "channels", "3 does not suit the spec's 1 input channel");
  };
  CHECK_THROWS_WITH(run_worker(fast_config(s.path), train), Catch::Contains("does not suit"));
  CHECK(calls == 1);
  CHECK(load_results(s.path).empty());
  CHECK(observe_sweep(s.path, {}).pending == std::vector<int>{0, 1, 2});  // claim released
}

TEST_CASE("sweep worker: an interrupted model keeps its checkpoint, writes nothing, and resumes next run",
          "[sweep_worker]") {
  TempSweep s(3);
  std::atomic<bool> stop{false};
  WorkerConfig c = fast_config(s.path);
  c.should_stop = [&] { return stop.load(); };
  auto interrupted = [&](const SampleRecord& r, const TrainJob& job) {
    if (r.id == 1) {
      std::ofstream(job.checkpoint_path) << "epoch 1 of 2";
      stop = true;  // SIGINT arrives mid-epoch 2
      CHECK(job.should_stop());
      TrainResult r2;
      r2.status = RunStatus::failed;
      r2.message = "stopped";
      return r2;
    }
    return ok_result(30);
  };
  const WorkerSummary first = run_worker(c, interrupted);
  CHECK(first.interrupted);
  CHECK(first.trained == std::vector<int>{0});
  CHECK_FALSE(load_result(s.path, 1));
  CHECK(fs::exists(checkpoint_path(s.path, 1)));
  CHECK_FALSE(fs::exists(claim_path(s.path, 1)));
  CHECK(event_counts(s.path, 1)["interrupted"] == 1);

  stop = false;
  std::map<int, bool> resumed;
  run_worker(c, [&](const SampleRecord& r, const TrainJob& job) {
    resumed[r.id] = job.resuming;
    return ok_result(31);
  });
  CHECK(resumed == std::map<int, bool>{{1, true}, {2, false}});
  CHECK(load_result(s.path, 1)->provenance["worker"]["resumed"] == true);
  CHECK_FALSE(fs::exists(checkpoint_path(s.path, 1)));
}

TEST_CASE("sweep worker: an unreadable checkpoint is discarded and the model starts over", "[sweep_worker]") {
  TempSweep s(1);
  fs::create_directories(fs::path(checkpoint_path(s.path, 0)).parent_path());
  std::ofstream(checkpoint_path(s.path, 0)) << "garbage";
  std::vector<bool> attempts;
  run_worker(fast_config(s.path), [&](const SampleRecord&, const TrainJob& job) {
    attempts.push_back(job.resuming);
    if (job.resuming) throw CheckpointRejected("checkpoint: unexpected end of file");
    return ok_result(40);
  });
  CHECK(attempts == std::vector<bool>{true, false});
  CHECK(load_result(s.path, 0)->status == RunStatus::done);
  CHECK(event_counts(s.path, 0)["checkpoint_discarded"] == 1);
}

TEST_CASE("sweep worker: a checkpoint the trainer refuses is discarded once, other errors keep it and stop the run",
          "[sweep_worker]") {
  TempSweep s(2);
  fs::create_directories(fs::path(checkpoint_path(s.path, 0)).parent_path());
  std::ofstream(checkpoint_path(s.path, 0)) << "from another schedule";
  std::vector<bool> attempts;
  run_worker(fast_config(s.path), [&](const SampleRecord&, const TrainJob& job) {
    attempts.push_back(job.resuming);
    if (job.resuming) throw CheckpointRejected(job.checkpoint_path + ": written for another spec, schedule or dataset");
    return ok_result(41);
  });
  CHECK(attempts == std::vector<bool>{true, false, false});
  CHECK(load_results(s.path).size() == 2);

  // Any other UserError (a full disk, data that does not suit) is about every model: the run
  // stops at once and the checkpoint, which may hold days of work, stays.
  TempSweep s2(2);
  fs::create_directories(fs::path(checkpoint_path(s2.path, 0)).parent_path());
  std::ofstream(checkpoint_path(s2.path, 0)) << "x";
  int calls = 0;
  CHECK_THROWS_AS(run_worker(fast_config(s2.path),
                             [&](const SampleRecord&, const TrainJob&) -> TrainResult {
                               ++calls;
                               fail("checkpoints/000000.pt", "", "cannot write: No space left on device");
                             }),
                  UserError);
  CHECK(calls == 1);
  CHECK(load_results(s2.path).empty());
  CHECK(fs::exists(checkpoint_path(s2.path, 0)));
  CHECK(event_counts(s2.path, 0)["checkpoint_discarded"] == 0);
  CHECK(observe_sweep(s2.path, {}).pending == std::vector<int>{0, 1});
}

TEST_CASE("sweep worker: a directory it cannot write stops the run before any model, samples left pending",
          "[sweep_worker]") {
  TempSweep s(3);
  std::ofstream(fs::path(s.path) / "weights") << "a file where the weights directory goes";
  int calls = 0;
  WorkerConfig c = fast_config(s.path);
  CHECK_THROWS_WITH(run_worker(c,
                               [&](const SampleRecord&, const TrainJob&) {
                                 ++calls;
                                 return ok_result(1);
                               }),
                    s.path + "/weights: exists and is not a directory");
  CHECK(calls == 0);
  CHECK(load_results(s.path).empty());
  CHECK(observe_sweep(s.path, {}).pending == std::vector<int>{0, 1, 2});
  CHECK(fs::is_empty(fs::path(s.path) / "claims"));  // the space probe left nothing
  CHECK_THROWS_WITH(check_sweep_writable(s.path), Catch::Contains("weights: exists and is not a directory"));
  fs::remove(fs::path(s.path) / "weights");
  CHECK_NOTHROW(check_sweep_writable(s.path));
  CHECK_FALSE(fs::exists(fs::path(s.path) / "weights"));  // made when first needed
}

TEST_CASE("sweep worker: a result that cannot be written stops the run, claim released, checkpoint kept",
          "[sweep_worker]") {
  TempSweep s(2);
  CHECK_THROWS_WITH(run_worker(fast_config(s.path),
                               [&](const SampleRecord& r, const TrainJob& job) {
                                 std::ofstream(job.checkpoint_path) << "last epoch";
                                 // Something in the way of the rename, as a full disk is in the way of the write.
                                 fs::create_directories(fs::path(result_path(s.path, r.id)) / "obstacle");
                                 return ok_result(1);
                               }),
                    Catch::Contains("000000.json: cannot rename into place"));
  CHECK_FALSE(fs::exists(claim_path(s.path, 0)));
  CHECK(fs::exists(checkpoint_path(s.path, 0)));  // the next run resumes from it
  CHECK(event_counts(s.path, 0) == std::map<std::string, int>{{"started", 1}, {"error", 1}});
  for (const auto& e : fs::directory_iterator(fs::path(s.path) / "results"))
    CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);  // no half-written result
}

TEST_CASE("sweep worker: a takeover is logged and clears the dead owner's temporary files", "[sweep_worker]") {
  TempSweep s(2);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    run_worker(fast_config(s.path), [&](const SampleRecord& r, const TrainJob& job) {
      if (r.id == 1) {
        std::ofstream(job.checkpoint_path) << "epoch 1";
        std::ofstream(job.checkpoint_path + ".tmp." + std::to_string(::getpid())) << "half of epoch 2";
        fs::create_directories(fs::path(s.path) / "weights");
        std::ofstream(job.weights_path + ".tmp." + std::to_string(::getpid())) << "half";
        ::_exit(9);  // killed mid-write
      }
      return ok_result(r.id);
    });
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WEXITSTATUS(status) == 9);
  std::map<int, bool> trained;
  run_worker(fast_config(s.path), [&](const SampleRecord& r, const TrainJob& job) {
    trained[r.id] = job.resuming;
    for (const char* sub : {"checkpoints", "weights"})
      for (const auto& e : fs::directory_iterator(fs::path(s.path) / sub))
        CHECK(e.path().filename().string().find(".tmp.") == std::string::npos);
    return ok_result(r.id);
  });
  CHECK(trained == std::map<int, bool>{{1, true}});
  CHECK(event_counts(s.path, 1) ==
        std::map<std::string, int>{{"started", 1}, {"took_over", 1}, {"resumed", 1}, {"done", 1}});
}

TEST_CASE("sweep worker: three processes on one sweep train each sample exactly once", "[sweep_worker]") {
  TempSweep s(12);
  const std::string log = fs::path(s.path).parent_path() / "trained.log";
  std::vector<pid_t> kids;
  for (int k = 0; k < 3; ++k) {
    pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int rc = 0;
      try {
        WorkerConfig c = fast_config(s.path);
        c.name = "w" + std::to_string(k);
        run_worker(c, [&](const SampleRecord& r, const TrainJob&) {
          append_line(log, std::to_string(r.id));
          std::this_thread::sleep_for(std::chrono::milliseconds(30));
          return ok_result(r.id);
        });
      } catch (...) {
        rc = 1;
      }
      ::_exit(rc);
    }
    kids.push_back(pid);
  }
  for (pid_t k : kids) {
    int status = 0;
    ::waitpid(k, &status, 0);
    CHECK(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);
  }
  const auto counts = count_lines(log);
  CHECK(counts.size() == 12);
  for (const auto& [id, n] : counts) {
    INFO("sample " << id);
    CHECK(n == 1);
  }
  CHECK(load_results(s.path).size() == 12);
  std::set<std::string> workers;
  for (const auto& r : load_results(s.path)) workers.insert(r.provenance["worker"]["name"].get<std::string>());
  CHECK(workers.size() >= 2);  // the work was actually shared
}

TEST_CASE("sweep worker: after a crash (kill -9) the next run resumes the dead worker's sample", "[sweep_worker]") {
  TempSweep s(3);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    WorkerConfig c = fast_config(s.path);
    run_worker(c, [&](const SampleRecord& r, const TrainJob& job) {
      if (r.id == 1) {
        std::ofstream(job.checkpoint_path) << "epoch 1";
        ::_exit(9);  // dies mid-model: claim and checkpoint stay behind
      }
      return ok_result(r.id);
    });
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  REQUIRE(WEXITSTATUS(status) == 9);
  REQUIRE(fs::exists(claim_path(s.path, 1)));
  CHECK(observe_sweep(s.path, {}).stale == std::vector<int>{1});

  std::map<int, bool> trained;
  run_worker(fast_config(s.path), [&](const SampleRecord& r, const TrainJob& job) {
    trained[r.id] = job.resuming;
    return ok_result(r.id);
  });
  CHECK(trained == std::map<int, bool>{{1, true}, {2, false}});
  CHECK(load_results(s.path).size() == 3);
  CHECK(fs::is_empty(fs::path(s.path) / "claims"));
}

TEST_CASE("sweep worker: waits for another live worker's sample and takes it over when that worker dies",
          "[sweep_worker]") {
  TempSweep s(2);
  int gate[2];
  REQUIRE(::pipe(gate) == 0);
  pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(gate[0]);
    try_claim(s.path, make_claim_info(0, "slow"));
    [[maybe_unused]] auto n = ::write(gate[1], "x", 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    ::_exit(0);  // never finishes sample 0
  }
  ::close(gate[1]);
  char c;
  REQUIRE(::read(gate[0], &c, 1) == 1);
  ::close(gate[0]);
  std::thread reaper([pid] {
    int status = 0;
    ::waitpid(pid, &status, 0);  // reaped: its pid is gone, not a zombie
  });
  std::vector<int> order;
  run_worker(fast_config(s.path), [&](const SampleRecord& r, const TrainJob&) {
    order.push_back(r.id);
    return ok_result(r.id);
  });
  reaper.join();
  CHECK(order == std::vector<int>{1, 0});
  CHECK(load_results(s.path).size() == 2);

  // Without waiting, a worker returns when the rest is claimed by live workers.
  TempSweep s2(2);
  const ClaimInfo held = make_claim_info(0, "alive");
  REQUIRE(try_claim(s2.path, held) == ClaimOutcome::claimed);
  WorkerConfig nowait = fast_config(s2.path);
  nowait.wait_for_others = false;
  const auto sum = run_worker(nowait, [&](const SampleRecord& r, const TrainJob&) { return ok_result(r.id); });
  CHECK(sum.trained == std::vector<int>{1});
}

TEST_CASE("sweep worker: a worker that loses the race for the last sample waits for it", "[sweep_worker]") {
  // Another worker claims sample 0 after this one saw it pending and before its own claim (the
  // moment `prepare` runs): the look is stale, so the worker looks again and waits, rather than
  // returning while the sweep is unfinished (two `train` processes started at once).
  TempSweep s(1);
  const ClaimInfo rival = make_claim_info(0, "rival");
  std::thread finisher;
  WorkerConfig c = fast_config(s.path);
  c.prepare = [&] {
    REQUIRE(try_claim(s.path, rival) == ClaimOutcome::claimed);
    finisher = std::thread([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      TrainResult r = ok_result(7);
      r.id = 0;
      write_result(s.path, r);
      release_claim(s.path, rival);
    });
  };
  const auto sum = run_worker(c, [&](const SampleRecord&, const TrainJob&) { return ok_result(1); });
  const bool done_on_return = fs::exists(result_path(s.path, 0));
  finisher.join();
  CHECK(sum.trained.empty());
  CHECK(done_on_return);
}

TEST_CASE("sweep worker: a worker that loses its claim discards its result", "[sweep_worker]") {
  TempSweep s(1);
  WorkerConfig c = fast_config(s.path);
  c.wait_for_others = false;
  ClaimInfo thief = make_claim_info(0, "thief");
  const auto sum = run_worker(c, [&](const SampleRecord&, const TrainJob& job) {
    // Someone judged us dead and took over: replace the claim file under our feet.
    fs::remove(claim_path(s.path, 0));
    REQUIRE(try_claim(s.path, thief) == ClaimOutcome::claimed);
    const auto t0 = std::chrono::steady_clock::now();
    while (!job.should_stop() && std::chrono::steady_clock::now() - t0 < std::chrono::seconds(3))
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    CHECK(job.should_stop());  // the heartbeat noticed
    return ok_result(50);
  });
  CHECK(sum.trained.empty());
  CHECK_FALSE(load_result(s.path, 0));
  CHECK(owns_claim(s.path, thief));
  CHECK(event_counts(s.path, 0)["lost"] == 1);
}
