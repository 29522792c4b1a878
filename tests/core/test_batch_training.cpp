// Training chosen samples of several sweeps at once (core/run/batch_training.hpp): the sharing of worker
// slots, a batch with nothing left that starts no child, and the SLURM path against stand-in
// sbatch/squeue programs: one job per sweep with work, and what the jobs left untrained reported.
#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "core/base/json_io.hpp"
#include "core/run/batch_training.hpp"
#include "core/sweep/directory.hpp"
#include "temp_dir.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::ScopedEnv;
using regnet::testing::TempConfig;
namespace fs = std::filesystem;

namespace {

std::string make_sweep(const regnet::test::TempDir& t, const std::string& name, int n) {
  const std::string dir = t / name;
  create_sweep(dir, {{"format_version", kSweepFormatVersion}}, regnet::testing::tiny_samples(n));
  return dir;
}

void write_done(const std::string& sweep, int id) {
  TrainResult r;
  r.id = id;
  r.best_top1_err = r.final_top1_err = 20 + id;
  write_result(sweep, r);
}

TrainingRequest request(const std::string& sweep) {
  TrainingRequest r;
  r.sweep_dir = sweep;
  r.threads = 1;
  return r;
}

void write_program(const std::string& path, const std::string& body) {
  std::ofstream(path) << "#!/bin/sh\n" << body << "\n";
  ::chmod(path.c_str(), 0755);
}

}  // namespace

TEST_CASE("batch training: worker slots are shared by the sweeps, in waves of at most `workers` sweeps",
          "[batch_training]") {
  using Waves = std::vector<std::vector<std::vector<std::string>>>;
  // One sweep gets every slot; slots go round the devices.
  CHECK(share_workers(1, 3, {"cuda:0", "cuda:1"}) == Waves{{{"cuda:0", "cuda:1", "cuda:0"}}});
  // Four sweeps on three slots: a wave of three, then the fourth alone with all three.
  CHECK(share_workers(4, 3, {"cpu"}) == Waves{{{"cpu"}, {"cpu"}, {"cpu"}}, {{"cpu", "cpu", "cpu"}}});
  // No workers asked: one slot.
  CHECK(share_workers(2, 0, {"cpu"}) == Waves{{{"cpu"}}, {{"cpu"}}});
  CHECK(share_workers(0, 4, {"cpu"}).empty());
  // Every slot is used exactly once per wave.
  for (int sweeps = 1; sweeps <= 7; ++sweeps)
    for (int workers = 1; workers <= 5; ++workers) {
      size_t covered = 0;
      for (const auto& wave : share_workers(sweeps, workers, {"a", "b"})) {
        size_t slots = 0;
        for (const auto& s : wave) slots += s.size();
        CHECK(slots == static_cast<size_t>(workers));
        covered += wave.size();
      }
      CHECK(covered == static_cast<size_t>(sweeps));
    }
}

TEST_CASE("batch training: sweeps with nothing left to train start no child", "[batch_training]") {
  TempConfig config({"fashion-mnist-short"});
  regnet::test::TempDir t;
  const auto a = make_sweep(t, "a", 2), b = make_sweep(t, "b", 3);
  for (int id = 0; id < 2; ++id) write_done(a, id);
  for (int id = 0; id < 3; ++id) write_done(b, id);
  TrainingRequest rb = request(b);
  rb.ids = "1-2";
  BatchSettings s;
  s.executable = t / "train-that-must-not-run";
  write_program(s.executable, "touch '" + (t / "ran") + "'; exit 3");
  s.show_progress = false;
  s.poll_seconds = 0.01;
  const BatchResult out = train_sweeps({request(a), rb}, s);
  CHECK(out.problems.empty());
  CHECK_FALSE(out.interrupted);
  CHECK_FALSE(fs::exists(t / "ran"));
}

TEST_CASE("batch training: one SLURM job per sweep with work; samples left untrained are reported",
          "[batch_training]") {
  TempConfig config({"fashion-mnist-short"});
  regnet::test::TempDir t;
  const auto a = make_sweep(t, "a", 3), b = make_sweep(t, "b", 3), c = make_sweep(t, "c", 2);
  for (int id = 0; id < 2; ++id) write_done(c, id);  // c is finished: no job
  // Stand-ins: sbatch "runs" the job at once, training every sample of the sweep whose script it
  // gets (SWEEP/slurm/NAME.sbatch), except that sweep b's tasks only get sample 0 done; it answers
  // job ids 41, 42, ...; squeue says the job has left the queue.
  const std::string bin = t / "bin";
  fs::create_directories(bin);
  write_program(
      bin + "/sbatch",
      "for a; do script=$a; done\n"
      "echo \"$script\" >> \"$(dirname \"$0\")/submitted\"\n"
      "sweep=$(dirname \"$(dirname \"$script\")\")\n"
      "for f in \"$sweep\"/samples/*.json; do\n"
      "  id=$(basename \"$f\" .json)\n"
      "  case \"$sweep\" in */b) [ \"$id\" = 000000 ] || continue;; esac\n"
      "  printf '{\"id\": %d, \"status\": \"done\", \"best_top1_err\": 1, \"final_top1_err\": 1}' "
      "$(expr \"$id\" + 0) > \"$sweep/results/$id.json\"\n"
      "done\n"
      "n=$(cat \"$(dirname \"$0\")/n\" 2>/dev/null || echo 40); n=$((n + 1)); echo $n > \"$(dirname \"$0\")/n\"\n"
      "echo $n");
  write_program(bin + "/squeue", "exit 0");
  const char* old_path = std::getenv("PATH");
  ScopedEnv path("PATH", bin + ":" + (old_path ? old_path : "/usr/bin:/bin"));
  BatchSettings s;
  s.executable = "/opt/regnet-explore";
  s.show_progress = false;
  s.poll_seconds = 0.01;
  LaunchRequest launch;
  launch.partition = "short";
  const BatchResult out = launch_sweeps({request(a), request(b), request(c)}, launch, s);
  // Two jobs: a and b, in order, each script in its sweep's slurm/ directory.
  const std::string submitted = read_text_file(bin + "/submitted");
  CHECK(submitted.find(a + "/slurm/") == 0);
  CHECK(submitted.find("\n" + b + "/slurm/") != std::string::npos);
  CHECK(submitted.find(c + "/") == std::string::npos);
  const std::string script = submitted.substr(0, submitted.find('\n'));
  CHECK(read_text_file(script + ".jobid") == "41\n");
  CHECK_THAT(read_text_file(script), Catch::Contains("--partition=short") && Catch::Contains("/opt/regnet-explore"));
  // a is trained; b's job left samples 1 and 2.
  CHECK(load_results(a).size() == 3);
  CHECK(load_results(b).size() == 1);
  CHECK_FALSE(out.interrupted);
  REQUIRE(out.problems.size() == 1);
  CHECK(out.problems[0] == "b: 2 samples still untrained after job 42 (see " + b + "/slurm/*.out)");
}
