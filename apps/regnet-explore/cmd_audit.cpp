// regnet-explore audit: is a sweep's short schedule faithful? Retrains k of its models, spread
// over the error quantiles, with a longer schedule into a sibling sweep and compares the rankings
// (docs/compare.md). The plan and report are core/audit.hpp, the training core/sweep_batch.hpp;
// this file binds the options and prints.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <iostream>
#include <memory>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/logging.hpp"
#include "core/base/stop_signal.hpp"
#include "core/base/text.hpp"
#include "core/compare/audit.hpp"
#include "core/run/batch_training.hpp"
#include "core/sweep/sample_states.hpp"
#include "launch_options.hpp"
#include "self_exe.hpp"
#include "train_options.hpp"

namespace regnet::cli {

namespace {

struct Options {
  AuditRequest audit;
  LaunchRequest launch;
  int resamples = 2000;
  std::uint64_t seed = 1;
  bool slurm = false, no_train = false, json = false;
};

void train(const Options& o, const AuditPlan& p) {
  BatchSettings bs;
  bs.executable = self_exe();
  bs.show_progress = logs(LogLevel::info);
  bs.poll_seconds = o.slurm ? 5 : 1;
  const BatchResult r = o.slurm ? launch_sweeps({p.train}, o.launch, bs) : train_sweeps({p.train}, bs);
  if (r.interrupted) {
    spdlog::info("interrupted: run the same command to resume (finished models are kept)");
    throw CLI::RuntimeError(stop_exit_code());
  }
  if (!r.problems.empty()) fail(p.out_dir, "", join(r.problems, "; ") + " (run audit again to resume)");
}

// Per model, by short-schedule error: the audit id, the source id, both errors.
void print_models(const AuditPlan& p, const AuditPairs& pairs) {
  std::vector<size_t> order(pairs.ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return pairs.short_errors[a] < pairs.short_errors[b]; });
  fmt::print("{:>5} {:>9} {:>9} {:>9}\n", "id", "source id", "short %", "long %");
  for (size_t i : order)
    fmt::print("{:>5} {:>9} {:>9} {:>9}\n", pairs.ids[i], p.models[static_cast<size_t>(pairs.ids[i])].source_id,
               fixed(pairs.short_errors[i], 2), fixed(pairs.long_errors[i], 2));
}

void run(const Options& o) {
  if (o.slurm) check_launch(o.launch);
  const AuditPlan p = plan_audit(o.audit);
  std::vector<int> source_ids;
  for (const auto& m : p.models) source_ids.push_back(m.source_id);
  spdlog::info("audit {}: {} over the error quantiles (ids {}), retrained with {} in {}{}", p.source_dir,
               plural(static_cast<long long>(p.models.size()), "model"), format_id_list(source_ids), p.train.schedule,
               p.out_dir, p.exists ? " (resuming)" : "");
  create_audit_sweep(p);
  if (!o.no_train) train(o, p);
  const SweepData d = load_sweep_data(p.out_dir, "", p.metric);
  const AuditPairs pairs = audit_pairs(d.sweep_json, d.models, p.metric);
  if (pairs.ids.size() < 3)
    fail(p.out_dir, "results",
         fmt::format("{} of the {} audited models trained: rank correlations need 3 (train or launch {}, then run "
                     "audit again)",
                     pairs.ids.size(), p.models.size(), p.out_dir));
  const AuditReport r = audit_report(pairs, static_cast<int>(p.models.size()), o.resamples, o.seed);
  if (o.json) {
    nlohmann::json j = to_json(r);
    j["sweep"] = p.source_dir;
    j["audit_sweep"] = p.out_dir;
    j["metric"] = to_string(p.metric);
    j["ids"] = pairs.ids;
    j["short_errors"] = pairs.short_errors;
    j["long_errors"] = pairs.long_errors;
    std::cout << j.dump(2) << "\n";
    return;
  }
  print_models(p, pairs);
  std::cout << r.verdict << std::endl;
}

}  // namespace

void add_audit_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto& a = o->audit;
  auto* cmd = app.add_subcommand("audit", command_summary("audit"));
  cmd->add_option("SWEEP", a.sweep, "a sweep trained with the short schedule")->required();
  cmd->add_option("-k", a.k, "models to retrain, spread over the error quantiles (>= 3)")->capture_default_str();
  cmd->add_option("--out,-o", a.out, "the audit sweep (default: SWEEP-audit-SCHEDULE next to SWEEP)");
  cmd->add_option("--metric", a.metric, "which top-1 error ranks the models: best (over epochs) or final")
      ->capture_default_str();
  cmd->add_option("--bootstrap", o->resamples, "bootstrap resamples for the intervals of rho and tau")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "seed of the bootstrap")->capture_default_str();
  cmd->add_flag("--no-train", o->no_train,
                "create the audit sweep (if needed) and report what is trained; train nothing");
  cmd->add_flag("--json", o->json, "print the report as JSON on stdout");
  add_train_options(cmd, a.train);
  cmd->remove_option(cmd->get_option("--ids"));
  cmd->remove_option(cmd->get_option("--schedule"));
  cmd->add_option("--schedule", a.schedule, "the longer schedule: a name in configs/schedules or a .json file")
      ->required();
  cmd->add_flag("--slurm", o->slurm, "train the audit sweep as a SLURM job array and wait for it");
  add_launch_options(cmd, o->launch);
  cmd->footer(
      "Picks k of SWEEP's trained models spread evenly over its error quantiles (the best, the worst and between;\n"
      "deterministic), copies their samples into an ordinary sibling sweep (sweep.json records the audit:\n"
      "source, ids, schedules, short errors; `train`, `launch` and `analyze` work on it, and `train` defaults to\n"
      "the longer schedule), trains it, and reports Spearman's rho and Kendall's tau between the short and the\n"
      "long errors with bootstrap 95% intervals, how many of the long schedule's top quarter are in the short\n"
      "one's, and one verdict line: faithful (rho >= 0.7, interval above 0.3, half the top quarter shared) or a\n"
      "warning naming the numbers. Resumable: run it again and it trains only what is missing.\n"
      "`analyze AUDIT_SWEEP` draws the short-vs-long scatter (figures/audit_NAME).\n\n"
      "Examples:\n"
      "  regnet-explore audit sweeps/xa --schedule fashion-mnist-short -k 16 --jobs 2\n"
      "  regnet-explore audit sweeps/xa --schedule my-long.json -k 8 --out sweeps/xa-long --json\n"
      "  regnet-explore audit sweeps/xa --schedule fashion-mnist-short --no-train   # then: launch "
      "sweeps/xa-audit-...\n");
  cmd->callback([o, cmd] {
    check_train_options(*cmd, o->audit.train);
    run(*o);
  });
}

}  // namespace regnet::cli
