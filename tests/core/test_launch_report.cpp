// What `launch --slurm` did: each kind's JSON and text, and the check after a wait.
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/run/launch_report.hpp"

using namespace regnet;

namespace {

LaunchReport submitted() {
  LaunchReport r;
  r.kind = LaunchReport::Kind::submitted;
  r.sweep = "sw";
  r.tasks = 2;
  r.samples = 3;
  r.job = {"42", "sw/slurm/train.sbatch", "sw/slurm"};
  return r;
}

}  // namespace

TEST_CASE("launch report: nothing submitted, a dry run, a submitted job", "[launch_report]") {
  LaunchReport nothing;
  nothing.sweep = "sw";
  nothing.done = 4;
  CHECK(to_json(nothing) == nlohmann::json{{"sweep", "sw"}, {"submitted", false}, {"pending", 0}});
  CHECK(to_text(nothing, false).empty());
  CHECK(note_text(nothing) == "nothing to train in sw (4 done, 0 held by running workers): no job submitted");
  LaunchReport dry = nothing;
  dry.kind = LaunchReport::Kind::dry_run;
  dry.script = "#!/bin/bash\n";
  CHECK(to_text(dry, true) == "#!/bin/bash\n");
  CHECK(to_json(dry)["dry_run"] == true);
  const LaunchReport s = submitted();
  CHECK(to_text(s, true) == "42\n");
  CHECK(to_text(s, false) ==
        "42\nsubmitted job 42: 2 tasks for 3 samples; script sw/slurm/train.sbatch, logs sw/slurm/\n");
  CHECK(to_json(s)["job_id"] == "42");
  CHECK_FALSE(to_json(s).contains("trained"));
  CHECK_NOTHROW(check_launch_trained(s));
}

TEST_CASE("launch report: a job waited for, and samples it left untrained", "[launch_report]") {
  LaunchReport r = submitted();
  r.kind = LaunchReport::Kind::waited;
  r.trained = 1;
  r.sweep_done = 3;
  r.sweep_total = 4;
  r.sweep_left = 1;
  CHECK(to_text(r, false) == "job 42 finished: 1 model trained; sweep 3/4 done\n");
  CHECK(to_text(r, true).empty());
  CHECK(to_json(r)["sweep_left"] == 1);
  CHECK_THROWS_WITH(check_launch_trained(r), Catch::Contains("1 sample(s) still untrained after job 42"));
}
