// regnet-explore audit: is a sweep's short schedule faithful? Retrains k of its models, spread
// over the error quantiles, with a longer schedule into a sibling sweep and compares the rankings
// (docs/compare.md). The plan, the loop and the report are core/compare/audit.hpp, the training
// core/run/batch_training.hpp; this file binds the options and prints.
#include <spdlog/spdlog.h>

#include <memory>

#include "cli/launch_options.hpp"
#include "cli/number_options.hpp"
#include "cli/output.hpp"
#include "cli/train_options.hpp"
#include "commands.hpp"
#include "core/compare/audit.hpp"
#include "core/space/sample_sweep.hpp"

namespace regnet::cli {

namespace {

struct Options {
  AuditRequest audit;
  BatchOptions batch;
  bool json = false;
};

void run(const Options& o) {
  const SweepsTrainer train = sweeps_trainer(o.batch);  // its bad SLURM options before any work
  const AuditPlan p = plan_audit(o.audit);
  spdlog::info("{}", plan_text(p));
  const AuditOutcome out = run_audit(p, train);
  if (out.interrupted) stop_interrupted("finished models are kept");
  print_result(o.json, out);
}

}  // namespace

void add_audit_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto& a = o->audit;
  auto* cmd = app.add_subcommand("audit");
  cmd->add_option("SWEEP", a.sweep, "a sweep trained with the short schedule")->required();
  cmd->add_option("-k", a.k, "models to retrain, spread over the error quantiles (>= 3)")
      ->transform(whole_number<int>(3, kMaxSamples))
      ->capture_default_str();
  cmd->add_option("--out,-o", a.out, "the audit sweep (default: SWEEP-audit-SCHEDULE next to SWEEP)");
  cmd->add_option("--metric", a.metric, "which top-1 error ranks the models: best (over epochs) or final")
      ->capture_default_str();
  cmd->add_option("--bootstrap", a.resamples, "bootstrap resamples for the intervals of rho and tau")
      ->transform(whole_number<int>(kMinResamples, kMaxResamples))
      ->capture_default_str();
  cmd->add_option("--seed", a.seed, "seed of the bootstrap")->transform(seed_number())->capture_default_str();
  cmd->add_flag("--json", o->json, "print the report as JSON on stdout");
  add_train_options(cmd, a.train);
  cmd->remove_option(cmd->get_option("--ids"));
  cmd->remove_option(cmd->get_option("--schedule"));
  cmd->add_option("--schedule", a.schedule, "the longer schedule: a name in configs/schedules or a .json file")
      ->required();
  add_batch_options(cmd, o->batch, "create the audit sweep (if needed) and report what is trained; train nothing",
                    "train the audit sweep as a SLURM job array and wait for it");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
