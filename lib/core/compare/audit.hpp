#pragma once
// `audit SWEEP --schedule LONGER -k 16` (docs/compare.md): is the short schedule faithful? It
// picks k trained models spread over the sweep's error quantiles (deterministically), puts them
// into an ordinary sibling sweep whose sweep.json records the audit (source, ids, schedules, the
// short errors) and the schedule `train` should default to, trains that sweep with the longer
// schedule, and compares the two rankings: Spearman's rho and Kendall's tau with bootstrap
// intervals, the overlap of the top quarter, and a verdict.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/run/batch_training.hpp"
#include "core/run/training_plan.hpp"
#include "core/stats/rank_correlation.hpp"
#include "core/sweep/error_metric.hpp"
#include "core/sweep/reader.hpp"

namespace regnet {

struct AuditRequest {
  std::string sweep;     // trained with the short schedule
  std::string schedule;  // the longer one (name or file); required
  int k = 16;
  std::string out;  // the audit sweep; "" = default_audit_dir
  std::string metric = "best";
  TrainingRequest train;   // --data, --jobs, --threads, --devices, claims (sweep_dir, ids, schedule unused)
  int resamples = 2000;    // bootstrap resamples for the intervals of rho and tau
  std::uint64_t seed = 1;  // of the bootstrap
};

// One audited model: its id in the audit sweep, its id and short-schedule errors in the source.
struct AuditModel {
  int id = 0;
  int source_id = 0;
  double short_best = 0, short_final = 0;  // top-1 errors in %
};

struct AuditPlan {
  std::string source_dir, out_dir;
  ErrorMetric metric = ErrorMetric::best;  // the picks are spread over this error
  std::string short_schedule;              // the source results' schedule name
  std::vector<AuditModel> models;          // in audit-id order (= source-id order)
  bool exists = false;                     // out_dir already is this audit: resume it
  nlohmann::json sweep_json;               // what create_audit_sweep writes
  TrainingRequest train;                   // the audit sweep's training (schedule and data set)
  int resamples = 2000;                    // the request's bootstrap
  std::uint64_t seed = 1;
};

// Indices (into errors sorted ascending) of k picks spread evenly over the quantiles:
// round(i (n - 1) / (k - 1)), i = 0..k-1: the best, the worst and evenly between (k = 1: the median).
std::vector<int> quantile_picks(int n, int k);

// UserError (one line) for an untrained sweep, k < 3 or above its trained models, a missing or
// unchanged --schedule, an --out that holds something else. Writes nothing.
AuditPlan plan_audit(const AuditRequest& request);
// The sibling sweep, all or nothing (create_sweep); nothing when it exists.
void create_audit_sweep(const AuditPlan& plan);

// SWEEP's parent / NAME-audit-SCHEDULE.
std::string default_audit_dir(const std::string& sweep, const std::string& schedule_name);

// The audit record in an audit sweep's sweep.json (null when the sweep is not an audit); a record
// or field of the wrong type is a UserError naming `where` (the sweep.json), the field and value.
const nlohmann::json* audit_record(const nlohmann::json& sweep_json, const std::string& where);
// (short, long) error pairs of the audit sweep's trained models, by `metric`, in audit-id order.
struct AuditPairs {
  std::vector<int> ids;
  std::vector<double> short_errors, long_errors;
};
AuditPairs audit_pairs(const nlohmann::json& sweep_json, const std::vector<ModelPoint>& trained, ErrorMetric metric,
                       const std::string& where);

struct Interval {
  double lo = 0, hi = 0;  // 2.5th and 97.5th percentiles
};

// The verdict's thresholds: the short schedule is faithful when rho >= 0.7 with its bootstrap
// interval above 0.3, and at least half of the long schedule's top quarter is in the short one's.
struct FaithfulRule {
  double rho = 0.7, rho_lo = 0.3, top_overlap = 0.5;
};

struct AuditReport {
  int audited = 0, trained = 0;  // models in the audit sweep, of them trained with a finite error
  RankCorrelation rho, tau;
  Interval rho_ci, tau_ci;
  int resamples = 0;            // bootstrap resamples used (those with a constant side are skipped)
  int top = 0, top_shared = 0;  // top quarter size, models in both top quarters
  bool faithful = false;
  std::string verdict;  // one line
};
// Needs at least 3 trained pairs with neither side constant (UserError otherwise).
AuditReport audit_report(const AuditPairs& pairs, int audited, int resamples = 2000, std::uint64_t seed = 1,
                         const FaithfulRule& rule = {});
nlohmann::json to_json(const AuditReport& r);

// "audit SWEEP: 16 models over the error quantiles (ids ...), retrained with S in OUT (resuming)".
std::string plan_text(const AuditPlan& plan);

struct AuditOutcome {
  AuditPlan plan;
  AuditPairs pairs;          // the audit sweep's trained models
  AuditReport report;        // not computed when interrupted
  bool interrupted = false;  // a stop signal ended the training: run the same command to resume
};

// The audit after plan_audit, as the command runs it: creates the audit sweep (or resumes it),
// trains what it lacks through `train` (child `train` processes or a SLURM job array in the
// command, a fake in tests; none given: nothing is trained), and reports the rank
// agreement of the trained pairs. UserError (after the sweep is created) when the training ends
// with problems, or fewer than 3 audited models are trained.
AuditOutcome run_audit(const AuditPlan& plan, const SweepsTrainer& train);

// The models by short-schedule error (audit id, source id, short and long error), then the verdict.
std::string to_text(const AuditOutcome& outcome);
// to_json(report) with the sweeps, the metric and the pairs.
nlohmann::json to_json(const AuditOutcome& outcome);

}  // namespace regnet
