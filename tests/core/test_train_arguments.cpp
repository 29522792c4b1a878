// A `train` command line as a value (core/run/train_arguments.hpp): what a parent writes for a
// child `train` (to_args) is parsed back by the binding the `train` command itself uses
// (lib/cli/train_options.hpp, CLI11) into the same arguments, and reproduces the plan.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>

#include "cli/train_options.hpp"
#include "core/run/train_arguments.hpp"
#include "core/run/training_plan.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempConfig;
using regnet::testing::TempSweep;
namespace fs = std::filesystem;

namespace {

// As main() parses a command line: the program's -q/--quiet, `train` bound by add_train_arguments.
TrainArguments parse_back(const std::vector<std::string>& args) {
  CLI::App app{"regnet-explore"};
  app.fallthrough();
  app.require_subcommand(1);
  TrainArguments parsed;
  app.add_flag("-q,--quiet", parsed.quiet);
  cli::add_train_arguments(app.add_subcommand("train"), parsed);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
  app.parse(reversed);
  return parsed;
}

void check_same(const TrainArguments& a, const TrainArguments& b) {
  const TrainingRequest &x = a.request, &y = b.request;
  CHECK(x.sweep_dir == y.sweep_dir);
  CHECK(x.data == y.data);
  CHECK(x.data_root == y.data_root);
  CHECK(x.schedule == y.schedule);
  CHECK(x.jobs == y.jobs);
  CHECK(x.threads == y.threads);
  CHECK(x.devices == y.devices);
  CHECK(x.ids == y.ids);
  CHECK(x.no_wait == y.no_wait);
  CHECK(x.strict_data == y.strict_data);
  CHECK(x.claim_timeout == y.claim_timeout);
  CHECK(x.heartbeat == y.heartbeat);
  CHECK(a.worker_child == b.worker_child);
  CHECK(a.run_id == b.run_id);
  CHECK(a.quiet == b.quiet);
}

}  // namespace

TEST_CASE("train arguments: every option written is parsed back by train's own binding", "[train_arguments]") {
  TrainArguments a;
  a.request.sweep_dir = "/shared/sweeps/my sweep";
  a.request.data = "/data/cifar-10-batches-bin";
  a.request.data_root = "/data";
  a.request.schedule = "/configs/schedules/c10 short.json";
  a.request.jobs = 3;
  a.request.threads = 2;
  a.request.devices = "cuda:0,cuda:1";
  a.request.ids = "0-4,7";
  a.request.no_wait = true;
  a.request.strict_data = true;
  a.request.claim_timeout = 90.5;
  a.request.heartbeat = 0.1;  // not exact in binary: written in its shortest exact form
  a.worker_child = true;
  a.run_id = "node7-1234";
  a.quiet = true;
  const std::vector<std::string> args = a.to_args();
  CHECK(args == std::vector<std::string>{"train",           "/shared/sweeps/my sweep",
                                         "--data",          "/data/cifar-10-batches-bin",
                                         "--data-root",     "/data",
                                         "--schedule",      "/configs/schedules/c10 short.json",
                                         "--jobs",          "3",
                                         "--threads",       "2",
                                         "--devices",       "cuda:0,cuda:1",
                                         "--ids",           "0-4,7",
                                         "--no-wait",       "--strict",
                                         "--claim-timeout", "90.5",
                                         "--heartbeat",     "0.1",
                                         "--worker-child",  "--run-id",
                                         "node7-1234",      "--quiet"});
  check_same(parse_back(args), a);
}

TEST_CASE("train arguments: what is not given is not written, and parses back to the defaults", "[train_arguments]") {
  TrainArguments a;
  a.request.sweep_dir = "/s";
  const std::vector<std::string> args = a.to_args();
  // Text only when set, integers only when not 0 (0 = the child decides), flags only when set;
  // numbers always.
  CHECK(args ==
        std::vector<std::string>{"train", "/s", "--devices", "auto", "--claim-timeout", "120", "--heartbeat", "5"});
  check_same(parse_back(args), a);
  // Every option train binds from the table is one to_args can write.
  CLI::App app;
  TrainArguments bound;
  cli::add_train_arguments(&app, bound);
  TrainArguments full = a;
  full.request.data = full.request.data_root = full.request.schedule = full.request.ids = "x";
  full.request.jobs = full.request.threads = 1;
  full.request.no_wait = full.request.strict_data = full.worker_child = true;
  full.run_id = "r";
  const auto written = full.to_args();
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_lnames().empty()) continue;  // SWEEP (written second) and --help
    const std::string flag = "--" + o->get_lnames().front();
    if (flag == "--help") continue;
    INFO(flag);
    CHECK(std::find(written.begin(), written.end(), flag) != written.end());
  }
}

TEST_CASE("train arguments: a worker's arguments reproduce the plan with absolute paths", "[train_arguments]") {
  TempConfig config({"fashion-mnist-short"});
  TempSweep s(3);
  TrainingRequest r;
  r.sweep_dir = fs::relative(s.path).string();
  r.ids = "0,2";
  r.claim_timeout = 90;
  r.heartbeat = 0.5;
  r.data_root = config.path;
  const TrainingPlan p = plan_training(r);
  const std::vector<std::string> expected{"train",       fs::absolute(s.path).lexically_normal().string(),
                                          "--data",      "fashion-mnist",
                                          "--data-root", config.path,
                                          "--schedule",  config.path + "/schedules/fashion-mnist-short.json",
                                          "--threads",   "2",
                                          "--devices",   "cuda:1",
                                          "--ids",       "0,2",
                                          "--no-wait",   "--claim-timeout",
                                          "90",          "--heartbeat",
                                          "0.5"};
  CHECK(worker_arguments(p, "cuda:1", 2, true).to_args() == expected);
  // Parsed back, the child plans what the parent planned (on the parent's device).
  const TrainArguments child = parse_back(worker_arguments(p, "cpu", 0, false).to_args());
  const TrainingPlan q = plan_training(child.request);
  CHECK(q.data_source == p.data_source);
  CHECK(q.data_root == p.data_root);
  CHECK(q.schedule_path == p.schedule_path);
  CHECK(q.ids == p.ids);
  CHECK(q.claims.timeout_seconds == p.claims.timeout_seconds);
  CHECK(q.claims.heartbeat_seconds == p.claims.heartbeat_seconds);
  CHECK(q.devices == std::vector<std::string>{"cpu"});
  CHECK(q.wait_for_others);
  CHECK_FALSE(q.strict_data);
  const auto plain = worker_arguments(plan_training(TrainingRequest{s.path}), "cpu", 0, false).to_args();
  CHECK(std::find(plain.begin(), plain.end(), "--threads") == plain.end());  // the worker decides
  CHECK(std::find(plain.begin(), plain.end(), "--ids") == plain.end());
  CHECK(std::find(plain.begin(), plain.end(), "--no-wait") == plain.end());
  CHECK(std::find(plain.begin(), plain.end(), "--strict") == plain.end());
  TrainingRequest strict{s.path};
  strict.strict_data = true;
  const TrainArguments a = parse_back(worker_arguments(plan_training(strict), "cpu", 0, false).to_args());
  CHECK(a.request.strict_data);  // every worker is as strict
  CHECK(plan_training(a.request).strict_data);
}
