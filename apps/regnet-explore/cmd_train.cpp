// regnet-explore train: train every pending sample of a sweep (docs/workers.md).
// The plan comes from core/training_plan.hpp, the run from core/training_run.hpp (one worker
// here, or --jobs worker processes); this file binds the options and prints.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <iostream>
#include <map>
#include <memory>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/failpoint.hpp"
#include "core/base/logging.hpp"
#include "core/base/progress.hpp"
#include "core/base/stop_signal.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/run/train_arguments.hpp"
#include "core/run/training_plan.hpp"
#include "core/run/training_run.hpp"
#include "core/sweep/tidy.hpp"
#include "self_exe.hpp"
#include "train/sweep_trainer.hpp"
#include "train/trainer.hpp"
#include "train_options.hpp"

namespace regnet::cli {

namespace {

struct Options {
  TrainArguments train;  // SWEEP and train's options (the table in core/run/train_arguments.hpp)
  bool dry_run = false, json = false;
  double assume_gflops = 0;  // dry-run throughput per core (0 = documented default)
};

std::string describe_dataset(const train::DatasetInfo& d) {
  return fmt::format("{} ({}): {} train / {} test images, {} px, {}, {} classes", d.name, d.root,
                     format_thousands(d.train_size), format_thousands(d.test_size), d.image_size,
                     plural(d.channels, "channel"), d.num_classes);
}

void print_plan_json(const TrainingPlan& p, const train::DatasetInfo& info, const TrainingEstimate& e,
                     const ThroughputAssumption& a) {
  const nlohmann::json j{{"sweep", p.sweep_dir},
                         {"dry_run", true},
                         {"selected", p.selected.size()},
                         {"done", p.state.done},
                         {"claimed", p.state.claimed},
                         {"stale", p.state.stale},
                         {"pending", p.state.pending},
                         {"dataset", train::to_json(info)},
                         {"schedule_file", p.schedule_path},
                         {"schedule", to_json(p.schedule)},
                         {"jobs", p.jobs},
                         {"threads", p.threads},
                         {"devices", p.devices},
                         {"estimate_seconds", e.seconds},
                         {"memory_per_worker_mib", std::lround(estimate_worker_memory_mib(p))},
                         {"assumed_flops_per_second_per_core", a.flops_per_second_per_core}};
  std::cout << j.dump(2) << "\n";
}

void print_plan_text(const TrainingPlan& p, const train::DatasetInfo& info, const TrainingEstimate& e,
                     const ThroughputAssumption& a) {
  const Schedule& s = p.schedule;
  fmt::print(
      "plan for {}: {} selected samples: {} done, {} held by live workers, {} stale (resumed first), "
      "{} pending\n",
      p.sweep_dir, p.selected.size(), p.state.done.size(), p.state.claimed.size(), p.state.stale.size(),
      p.state.pending.size());
  fmt::print("  dataset   {}\n", describe_dataset(info));
  fmt::print("  schedule  {}: {} epochs, batch {}, lr {}, augment {}, {} train / {} test images per epoch\n",
             p.schedule_path, s.epochs, s.batch_size, significant(s.base_lr, 6), s.augment,
             format_thousands(e.train_images), format_thousands(e.test_images));
  fmt::print("  workers   {} x {} on {}\n", plural(p.jobs, "process", "processes"), plural(p.threads, "thread"),
             join(p.devices, ","));
  if (!e.to_train.empty()) {
    fmt::print("  to train  {}\n", format_id_list(e.to_train));
    fmt::print("  estimate  ~{} ({} models; CPU, assuming {} GFLOP/s per core: see docs/workers.md)\n",
               format_duration(e.seconds), e.to_train.size(), significant(a.flops_per_second_per_core / 1e9, 3));
    const double mib = estimate_worker_memory_mib(p);
    fmt::print(
        "  memory    ~{:.0f} MiB of GPU memory per worker, {:.0f} MiB for {} on one GPU (estimate: "
        "docs/training.md)\n",
        mib, mib * p.jobs, plural(p.jobs, "worker"));
  } else {
    fmt::print("  nothing left to train\n");
  }
  fmt::print("dry run: nothing was written\n");
}

// --dry-run: opens the dataset (the specs must fit it) and prints the plan; writes nothing.
void dry_run(const Options& o, const TrainingPlan& p, train::SweepTrainer& trainer) {
  const train::DatasetInfo info = trainer.open(p.selected);
  ThroughputAssumption a;
  if (o.assume_gflops > 0) a.flops_per_second_per_core = o.assume_gflops * 1e9;
  const TrainingEstimate e = estimate_training(p, info.train_size, info.test_size, a);
  if (o.json) return print_plan_json(p, info, e, a);
  print_plan_text(p, info, e, a);
}

void print_report_json(const TrainingPlan& p, const RunOutcome& r, const SweepState& after,
                       std::map<RunStatus, int>& counts) {
  nlohmann::json res = nlohmann::json::array();
  for (const auto& x : r.results)
    res.push_back({{"id", x.id},
                   {"status", to_string(x.status)},
                   {"message", x.message},
                   {"final_top1_err", x.final_top1_err},
                   {"best_top1_err", x.best_top1_err},
                   {"seconds", x.seconds}});
  const nlohmann::json j{{"sweep", p.sweep_dir},
                         {"interrupted", r.interrupted},
                         {"seconds", r.seconds},
                         {"trained", r.results.size()},
                         {"done", counts[RunStatus::done]},
                         {"diverged", counts[RunStatus::diverged]},
                         {"failed", counts[RunStatus::failed]},
                         {"sweep_done", after.done.size()},
                         {"sweep_pending", after.pending.size() + after.stale.size()},
                         {"sweep_claimed", after.claimed.size()},
                         {"sweep_total", after.total()},
                         {"results", res}};
  std::cout << j.dump(2) << "\n";
}

// What this run did: JSON on stdout with --json, else a note on stderr (none with -q).
void print_report(const Options& o, const TrainingPlan& p, const RunOutcome& r) {
  const SweepState after = observe_sweep(p.sweep_dir, p.ids, p.claims);
  std::map<RunStatus, int> counts;
  for (const auto& x : r.results) ++counts[x.status];
  if (o.json) return print_report_json(p, r, after, counts);
  spdlog::info("{} {} in {}: {} done, {} diverged, {} failed; sweep {}/{} done",
               r.interrupted ? "interrupted; this run trained" : "this run trained", plural(r.results.size(), "model"),
               format_duration(r.seconds), counts[RunStatus::done], counts[RunStatus::diverged],
               counts[RunStatus::failed], after.done.size(), after.total());
  if (r.interrupted)
    spdlog::info("unfinished models keep their last epoch's checkpoint: run the same command to resume");
  else if (!after.claimed.empty())
    spdlog::info("{} sample(s) still held by other workers: {}", after.claimed.size(), format_id_list(after.claimed));
}

// Options whose value is checked here rather than by plan_training.
void check_options(const CLI::App& cmd, const Options& o) {
  check_train_options(cmd, o.train.request);
  if (cmd.count("--assume-gflops") > 0 && !(std::isfinite(o.assume_gflops) && o.assume_gflops > 0))
    fail("", "--assume-gflops", "'" + shortest(o.assume_gflops) + "' must be a positive number of GFLOP/s per core");
  load_failpoints();  // a malformed REGNET_FAILPOINT is one line, not a point silently ignored
}

// A problem every worker met is one line (the workers' own); workers that died are another.
void report_worker_ends(const TrainingPlan& p, const RunOutcome& out) {
  if (!out.problems.empty()) {
    std::vector<std::string> all = out.problems;
    all.insert(all.end(), out.errors.begin(), out.errors.end());
    fail(p.sweep_dir, "", join(all, "; ") + " (run train again to finish the sweep)");
  }
  if (!out.errors.empty()) throw UserError(join(out.errors, "; "));
}

void run(const CLI::App& cmd, const Options& o) {
  check_options(cmd, o);
  const TrainingPlan p = plan_training(o.train.request);
  train::SweepTrainer trainer(p.sweep_dir, train::sweep_training(p, p.devices.front()));
  if (o.dry_run) return dry_run(o, p, trainer);
  if (!o.train.worker_child && p.state.claimable().empty() && (p.state.claimed.empty() || o.train.request.no_wait)) {
    tidy_sweep(p.sweep_dir, p.claims);  // nothing to do but what killed workers left behind
    return print_report(o, p, RunOutcome{});
  }
  RunSettings s;
  s.run_id = o.train.run_id;
  s.worker_child = o.train.worker_child;
  s.show_progress = logs(LogLevel::info);
  s.executable = self_exe();
  const RunOutcome out =
      o.train.worker_child || p.jobs == 1 ? train_here(p, s, trainer.local(p.selected)) : train_with_workers(p, s, [&] {
        for (const auto& d : p.devices) train::check_device(d, "--devices");
        trainer.open(p.selected);
      });
  if (!o.train.worker_child && out.errors.empty()) print_report(o, p, out);
  if (out.interrupted) throw CLI::RuntimeError(stop_exit_code());
  report_worker_ends(p, out);
}

}  // namespace

void add_train_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("train", command_summary("train"));
  add_train_arguments(cmd, o->train);
  cmd->add_flag("--dry-run", o->dry_run, "print the plan (what would be trained, how, how long) and write nothing");
  cmd->add_option("--assume-gflops", o->assume_gflops,
                  "--dry-run's CPU throughput per core in GFLOP/s (default 11, measured here)");
  cmd->add_flag("--json", o->json, "print the summary (or the plan) as JSON on stdout");
  cmd->footer(
      "Each sample is trained once: a result file marks it done; while a worker trains it, a claim file\n"
      "(claims/NNNNNN.json, heartbeat every few seconds) keeps other workers off. Any number of `train`\n"
      "processes, on this machine or others sharing the directory, can work on one sweep at once. A claim whose\n"
      "process died (or, from another machine, whose heartbeat stopped for --claim-timeout) is taken over, and\n"
      "its model resumes from the last epoch's checkpoint. Ctrl-C or SIGTERM stops after the current step,\n"
      "keeps the checkpoint and writes nothing half-done; exit code 130 (SIGINT) or 75 (SIGTERM: SLURM requeues).\n"
      "Diverged and failed models are recorded as such and the sweep goes on; delete a result to retrain it.\n"
      "Two 1-thread workers train small models faster than one 2-thread worker: prefer --jobs = cores for\n"
      "Fashion-MNIST-sized models. Log of what happened: SWEEP/log/events.jsonl. -q/--quiet (anywhere on the\n"
      "line): no progress and no summary, errors only.\n\n"
      "Examples:\n"
      "  regnet-explore train sweeps/xe\n"
      "  regnet-explore train sweeps/xe --jobs 2 --schedule fashion-mnist-short\n"
      "  regnet-explore train sweeps/xe --dry-run\n"
      "  regnet-explore train sweeps/xe --ids 0-9,12 --schedule my-schedule.json --json\n"
      "  regnet-explore train sweeps/c10 --data cifar10 --devices cuda:0,cuda:1\n");
  cmd->callback([o, cmd] { run(*cmd, *o); });
}

}  // namespace regnet::cli
