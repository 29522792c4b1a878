// SLURM without a cluster: the batch script, quoting, job ids, and sbatch/squeue as stand-in
// programs on PATH (what they are given, how their answers and failures read).
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/run/slurm.hpp"  // sbatch_script, submit_sbatch, slurm_job_active, wait_for_job
#include "core/run/slurm_launch.hpp"
#include "core/run/train_arguments.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::ScopedEnv;
using regnet::testing::TempConfig;
using regnet::testing::TempSweep;
namespace fs = std::filesystem;

namespace {

// A directory of stand-in programs, put first on PATH for one scope.
struct FakeBin {
  fs::path dir;
  std::optional<ScopedEnv> path;
  FakeBin() {
    char tmpl[] = "/tmp/regnet-fakebin-XXXXXX";
    dir = ::mkdtemp(tmpl);
    const char* old = std::getenv("PATH");
    path.emplace("PATH", dir.string() + ":" + (old ? old : "/usr/bin:/bin"));
  }
  ~FakeBin() {
    path.reset();
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  void add(const std::string& name, const std::string& script) {
    const fs::path p = dir / name;
    std::ofstream(p) << "#!/bin/sh\n" << script << "\n";
    ::chmod(p.c_str(), 0755);
  }
  std::string file(const std::string& name) const {
    std::ifstream in(dir / name);
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  }
};

}  // namespace

TEST_CASE("slurm: the batch script runs the worker with every option and the array size", "[slurm]") {
  SlurmJob j;
  j.sweep_dir = "/shared/sweeps/my sweep";
  j.executable = "/opt/regnet-explore";
  j.train_args = {"train", "/shared/sweeps/my sweep", "--no-wait", "--quiet"};
  j.tasks = 4;
  j.array_parallel = 2;
  j.cpus_per_task = 3;
  j.partition = "gpu";
  j.gres = "gpu:1";
  j.extra = {"--constraint=a100"};
  j.env = {{"REGNET_CONFIG_DIR", "/etc/regnet cfg"}};
  const std::string s = sbatch_script(j);
  CHECK_THAT(s, Catch::StartsWith("#!/bin/bash\n"));
  CHECK_THAT(s, Catch::Contains("#SBATCH --array=0-3%2\n"));
  CHECK_THAT(s, Catch::Contains("#SBATCH --cpus-per-task=3\n"));
  CHECK_THAT(s, Catch::Contains("#SBATCH --partition=gpu\n"));
  CHECK_THAT(s, Catch::Contains("#SBATCH --gres=gpu:1\n"));
  CHECK_THAT(s, Catch::Contains("#SBATCH --constraint=a100\n"));
  CHECK_THAT(s, Catch::Contains("#SBATCH --requeue\n"));
  CHECK_THAT(s, Catch::Contains("export REGNET_CONFIG_DIR='/etc/regnet cfg'\n"));
  CHECK_THAT(s, Catch::EndsWith("exec /opt/regnet-explore train '/shared/sweeps/my sweep' --no-wait --quiet\n"));
}

TEST_CASE("slurm: sbatch's answer is the job id, its refusal is one line", "[slurm]") {
  CHECK(parse_sbatch_job_id("1234\n") == "1234");
  CHECK(parse_sbatch_job_id("1234;cluster\n") == "1234");
  CHECK_THROWS_AS(parse_sbatch_job_id("Submitted batch job 12"), UserError);

  FakeBin bin;
  bin.add("sbatch", "echo \"$@\" > \"$(dirname \"$0\")/args\"; echo '4242;cluster'");
  CHECK(submit_sbatch("/x/y z.sbatch") == "4242");
  CHECK(bin.file("args") == "--parsable /x/y z.sbatch\n");
  bin.add("sbatch", "echo 'sbatch: error: invalid partition' >&2; echo more >&2; exit 1");
  CHECK_THROWS_WITH(submit_sbatch("/x/job.sbatch"),
                    "/x/job.sbatch: sbatch: refused the job: sbatch: error: invalid partition");
}

TEST_CASE("slurm: squeue says whether a job is still queued or running", "[slurm]") {
  FakeBin bin;
  bin.add("squeue", "echo '77_1 RUNNING'");
  CHECK(slurm_job_active("77"));
  bin.add("squeue", "exit 0");
  CHECK_FALSE(slurm_job_active("77"));
  bin.add("squeue", "echo 'slurm_load_jobs error: Invalid job id specified' >&2; exit 1");
  CHECK_FALSE(slurm_job_active("77"));  // forgotten by the controller: over
  bin.add("squeue", "echo 'slurm_load_jobs error: Unable to contact slurm controller' >&2; exit 1");
  CHECK_THROWS_WITH(slurm_job_active("77"), Catch::Contains("Unable to contact slurm controller"));

  // wait_for_job looks until the job has left the queue, ticking in between.
  bin.add("squeue",
          "d=$(dirname \"$0\"); n=$(cat \"$d/n\" 2>/dev/null || echo 0); echo $((n + 1)) > \"$d/n\"; "
          "[ \"$n\" -lt 2 ] && echo '77 PENDING'; exit 0");
  int ticks = 0;
  wait_for_job(
      "77", [&] { ++ticks; }, 0.01);
  CHECK(ticks == 3);
}

TEST_CASE("slurm: a cluster without sbatch or squeue is one clear line", "[slurm]") {
  char tmpl[] = "/tmp/regnet-emptybin-XXXXXX";
  const std::string empty = ::mkdtemp(tmpl);
  {
    ScopedEnv path("PATH", empty);
    CHECK_THROWS_WITH(submit_sbatch("/x/job.sbatch"), Catch::StartsWith("sbatch: not found: is SLURM installed"));
    CHECK_THROWS_WITH(slurm_job_active("1"), Catch::StartsWith("squeue: not found"));
  }
  fs::remove_all(empty);
}

TEST_CASE("slurm: sbatch and squeue that do not answer are stopped after REGNET_SLURM_TIMEOUT", "[slurm]") {
  FakeBin bin;
  bin.add("sbatch", "exec sleep 30");
  bin.add("squeue", "exec sleep 30");
  ScopedEnv timeout("REGNET_SLURM_TIMEOUT", "0.3");
  CHECK(slurm_timeout() == 0.3);
  const auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_WITH(submit_sbatch("/x/job.sbatch"),
                    "sbatch: no answer within 0.3 s (REGNET_SLURM_TIMEOUT), stopped: is the controller up? The job "
                    "may be queued all the same (see squeue)");
  CHECK_THROWS_WITH(slurm_job_active("77"),
                    "squeue: no answer within 0.3 s (REGNET_SLURM_TIMEOUT), stopped: is the controller up?");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(10));
  ScopedEnv bad("REGNET_SLURM_TIMEOUT", "soon");
  CHECK_THROWS_WITH(slurm_timeout(), "REGNET_SLURM_TIMEOUT: 'soon' is not a positive number of seconds");
  CHECK_THROWS_WITH(check_launch({}), "REGNET_SLURM_TIMEOUT: 'soon' is not a positive number of seconds");
  ScopedEnv unset("REGNET_SLURM_TIMEOUT", std::nullopt);
  CHECK(slurm_timeout() == 120);
}

TEST_CASE("slurm launch: a job name is one #SBATCH value and part of the logs' file names", "[slurm]") {
  LaunchRequest l;
  l.job_name = "runs/a";
  CHECK_THROWS_WITH(check_launch(l),
                    "--job-name: 'runs/a' holds a '/' (the name is part of the task logs' file names)");
  l.job_name = "my job #1 'q' %j";  // quoted for sbatch; %x puts it into the file name as it is
  CHECK_NOTHROW(check_launch(l));
  for (auto field : {&LaunchRequest::partition, &LaunchRequest::gres, &LaunchRequest::time_limit, &LaunchRequest::mem,
                     &LaunchRequest::account, &LaunchRequest::qos, &LaunchRequest::job_name}) {
    LaunchRequest bad;
    bad.*field = "x\ny";
    CHECK_THROWS_WITH(check_launch(bad), Catch::Contains(": 'x\\x0ay' holds a control character"));
  }

  // The default name comes from the sweep's directory: a line break in it becomes '_'.
  TempConfig config({"fashion-mnist-short"});
  TempSweep s(1);
  const std::string odd = (fs::path(s.path).parent_path() / "a\nb").string();
  fs::rename(s.path, odd);
  TrainingRequest train;
  train.sweep_dir = odd;
  const SlurmJob job = slurm_job_for(plan_training(train), train, {}, "/opt/regnet-explore");
  CHECK(job.job_name == "regnet-a_b");
  CHECK(job.sweep_dir == odd);
}

TEST_CASE("slurm launch: the job array of a plan, and its submission", "[slurm]") {
  TempConfig config({"fashion-mnist-short"});
  TempSweep s(3);
  TrainingRequest train;
  train.sweep_dir = s.path;
  train.jobs = 2;
  train.threads = 3;
  const TrainingPlan plan = plan_training(train);
  LaunchRequest l;
  const SlurmJob job = slurm_job_for(plan, train, l, "/opt/regnet-explore");
  CHECK(job.tasks == 3);          // the samples left (at most 8)
  CHECK(job.cpus_per_task == 6);  // --jobs x --threads
  CHECK(job.job_name == "regnet-sweep");
  CHECK(job.env.at("REGNET_CONFIG_DIR") == config.path);
  TrainArguments args = worker_arguments(plan, "auto", 3, true);  // tasks do not wait for each other
  args.request.jobs = 2;
  args.quiet = true;
  CHECK(job.train_args == args.to_args());
  CHECK_THAT(join(job.train_args, " "), Catch::Contains("--jobs 2 --threads 3 --devices auto") &&
                                            Catch::Contains("--no-wait") && Catch::EndsWith("--quiet"));

  l.tasks = -1;
  CHECK_THROWS_WITH(slurm_job_for(plan, train, l, "x"), Catch::Contains("--tasks: -1"));
  CHECK_THROWS_WITH(check_launch(l), Catch::Contains("--tasks: -1"));
  l.tasks = 0;
  l.cpus_per_task = -3;
  CHECK_THROWS_WITH(check_launch(l), Catch::Contains("--cpus-per-task: -3"));

  FakeBin bin;
  bin.add("sbatch", "echo 99");
  const SubmittedJob ok = submit_training_job(job);
  CHECK(ok.job_id == "99");
  CHECK(ok.log_dir == s.path + "/slurm");
  std::ifstream script(ok.script_path);
  CHECK(std::string((std::istreambuf_iterator<char>(script)), std::istreambuf_iterator<char>()) == sbatch_script(job));
  std::ifstream id(ok.script_path + ".jobid");
  CHECK(std::string((std::istreambuf_iterator<char>(id)), std::istreambuf_iterator<char>()) == "99\n");

  bin.add("sbatch", "echo 'sbatch: error: no such partition' >&2; exit 1");
  const size_t before = std::distance(fs::directory_iterator(ok.log_dir), fs::directory_iterator());
  CHECK_THROWS_WITH(submit_training_job(job), Catch::Contains("refused the job"));
  CHECK(static_cast<size_t>(std::distance(fs::directory_iterator(ok.log_dir), fs::directory_iterator())) == before);
  fs::remove_all(ok.log_dir);  // a first submission, refused, leaves no slurm/ behind
  CHECK_THROWS_WITH(submit_training_job(job), Catch::Contains("refused the job"));
  CHECK_FALSE(fs::exists(ok.log_dir));
}
