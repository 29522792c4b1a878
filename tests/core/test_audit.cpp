// audit: the quantile picks, the sibling sweep (an ordinary sweep that train defaults to the
// longer schedule), the refusals, the loop with a fake trainer (results written straight into the
// audit sweep: it trains only what is missing and resumes), the rank report and its verdict, and
// the scatter analyze draws.
#include <fmt/format.h>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "core/base/error.hpp"
#include "core/compare/audit.hpp"
#include "core/report/analysis.hpp"
#include "core/report/analysis_figures.hpp"
#include "core/report/audit_figures.hpp"
#include "core/run/schedule.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempConfig;
using regnet::testing::TempSweep;
namespace fs = std::filesystem;

namespace {

// Trains samples 0..n-1 of the sweep "with the short schedule": error e(id).
void train_short(const std::string& dir, int n, const std::function<double(int)>& e) {
  const nlohmann::json shorter = to_json(load_schedule(find_schedule("fashion-mnist-short")));
  for (int id = 0; id < n; ++id) {
    TrainResult r;
    r.id = id;
    r.best_top1_err = e(id);
    r.final_top1_err = e(id) + 0.5;
    r.provenance = {{"schedule", shorter}};
    write_result(dir, r);
  }
}

struct AuditFixture {
  TempConfig config{{"fashion-mnist-short"}};
  TempSweep sweep{12};
  AuditFixture() { std::ofstream(config.path + "/schedules/long.json") << R"({"epochs": 3})"; }
  AuditRequest request(int k) const {
    AuditRequest r;
    r.sweep = sweep.path;
    r.schedule = "long";
    r.k = k;
    r.train.threads = 1;
    return r;
  }
  std::string audit_dir() const { return sweep.path + "-audit-long"; }
};

double by_id(int id) { return 40.0 - 2.0 * ((id * 7) % 12); }  // a scrambled order of the ids

// Trains the audit sweep "with the long schedule" (error: the short one less 5), at most `budget`
// models per call (then it reports an interrupt); counts every training.
struct FakeTrainer {
  const AuditPlan* plan = nullptr;
  int budget = 1000;
  std::vector<std::string> problems;
  std::map<int, int> trainings;
  BatchResult operator()(const TrainingRequest& t) {
    CHECK(t.sweep_dir == plan->out_dir);
    CHECK(fs::path(t.schedule).filename() == "long.json");
    BatchResult r;
    r.problems = problems;
    for (const auto& m : plan->models) {
      if (load_result(t.sweep_dir, m.id)) continue;  // train never retrains a finished model
      if (budget-- == 0) {
        r.interrupted = true;
        return r;
      }
      ++trainings[m.id];
      TrainResult res;
      res.id = m.id;
      res.best_top1_err = m.short_best - 5;
      res.final_top1_err = m.short_final - 5;
      write_result(t.sweep_dir, res);
    }
    return r;
  }
};

AuditOutcome run_with(const AuditPlan& p, FakeTrainer& t) {
  t.plan = &p;
  return run_audit(p, [&t](const std::vector<TrainingRequest>& r) { return t(r.at(0)); });
}

}  // namespace

TEST_CASE("audit: picks spread evenly over the quantiles, best and worst included", "[audit]") {
  CHECK(quantile_picks(10, 4) == std::vector<int>{0, 3, 6, 9});
  CHECK(quantile_picks(5, 5) == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(quantile_picks(7, 1) == std::vector<int>{3});
  CHECK(quantile_picks(32, 3) == std::vector<int>{0, 16, 31});
  for (int n = 3; n <= 40; ++n)
    for (int k = 3; k <= n; ++k) {
      const auto p = quantile_picks(n, k);
      CHECK(std::set<int>(p.begin(), p.end()).size() == static_cast<size_t>(k));
      CHECK(p.front() == 0);
      CHECK(p.back() == n - 1);
    }
}

TEST_CASE("audit: the sibling sweep holds the picked samples and records the audit", "[audit]") {
  AuditFixture f;
  train_short(f.sweep.path, 12, by_id);
  const AuditPlan p = plan_audit(f.request(4));
  CHECK(p.out_dir == f.audit_dir());
  CHECK_FALSE(p.exists);
  CHECK(p.short_schedule == "fashion-mnist-short");
  // Errors by rank: ids sorted by by_id(id); the picks are ranks 0, 4 (round(3.67)), 7, 11.
  std::vector<int> ranked(12);
  for (int i = 0; i < 12; ++i) ranked[static_cast<size_t>(i)] = i;
  std::sort(ranked.begin(), ranked.end(), [](int a, int b) { return by_id(a) < by_id(b); });
  std::vector<int> want{ranked[0], ranked[4], ranked[7], ranked[11]};
  std::sort(want.begin(), want.end());
  std::vector<int> got;
  for (const auto& m : p.models) got.push_back(m.source_id);
  CHECK(got == want);
  CHECK(fs::path(p.train.schedule).filename() == "long.json");
  CHECK_FALSE(fs::exists(p.out_dir));  // planning writes nothing
  create_audit_sweep(p);
  const auto samples = load_samples(p.out_dir);
  REQUIRE(samples.size() == 4);
  for (size_t i = 0; i < 4; ++i) {
    CHECK(samples[i].id == static_cast<int>(i));
    CHECK(samples[i].spec == load_sample(f.sweep.path, want[i]).spec);
  }
  const nlohmann::json j = read_sweep_json(p.out_dir);
  CHECK(j["command"] == "audit");
  CHECK(j["audit"]["source_ids"] == want);
  CHECK(j["audit"]["of"] == "../sweep");
  CHECK(j["audit"]["short_errors"]["best"][1] == by_id(want[1]));
  CHECK(j["audit"]["short_errors"]["final"][1] == by_id(want[1]) + 0.5);
  // An ordinary sweep: train plans it with the longer schedule by default.
  TrainingRequest t;
  t.sweep_dir = p.out_dir;
  const TrainingPlan tp = plan_training(t);
  CHECK(tp.schedule.epochs == 3);
  CHECK(tp.data_source == "fashion-mnist");
  // Planned again: this very audit, resumed, with its picks even when the source has more
  // trained models now; another k is another audit.
  train_short(f.sweep.path, 12, [](int id) { return 60.0 - id; });
  const AuditPlan again = plan_audit(f.request(4));
  CHECK(again.exists);
  CHECK(again.models[1].source_id == want[1]);
  CHECK(again.models[1].short_best == by_id(want[1]));
  CHECK_THROWS_WITH(plan_audit(f.request(5)), Catch::Contains("is not an audit of"));
}

TEST_CASE("audit: bad input is one UserError and nothing is written", "[audit]") {
  AuditFixture f;
  auto refused = [&](const AuditRequest& r, const std::string& what) {
    CHECK_THROWS_WITH(plan_audit(r), Catch::Contains(what));
    CHECK_FALSE(fs::exists(f.audit_dir()));
  };
  refused(f.request(4), "no trained model");
  train_short(f.sweep.path, 6, by_id);
  refused(f.request(7), "-k: 7 is more than the 6 trained models");
  refused(f.request(2), "-k: 2 must be >= 3");
  AuditRequest r = f.request(4);
  r.schedule = "fashion-mnist-short";
  refused(r, "is the schedule " + f.sweep.path + " was trained with");
  r.schedule = "";
  refused(r, "--schedule: give the longer schedule");
  r.schedule = "nope";
  refused(r, "--schedule");
}

TEST_CASE("audit: the loop trains what the audit sweep lacks, resumes after an interrupt, and reports", "[audit]") {
  AuditFixture f;
  train_short(f.sweep.path, 12, by_id);
  FakeTrainer t;
  t.budget = 2;
  const AuditOutcome first = run_with(plan_audit(f.request(5)), t);
  CHECK(first.interrupted);
  CHECK(load_samples(f.audit_dir()).size() == 5);
  CHECK(t.trainings.size() == 2);

  const AuditPlan p = plan_audit(f.request(5));
  CHECK(p.exists);
  CHECK_THAT(plan_text(p), Catch::Contains("5 models over the error quantiles") && Catch::EndsWith("(resuming)"));
  t.budget = 1000;
  const AuditOutcome out = run_with(p, t);
  CHECK_FALSE(out.interrupted);
  CHECK(t.trainings.size() == 5);
  for (const auto& [id, n] : t.trainings) CHECK(n == 1);  // nothing trained twice
  CHECK(out.pairs.ids == std::vector<int>{0, 1, 2, 3, 4});
  CHECK(out.report.trained == 5);
  CHECK(out.report.rho.statistic == Approx(1.0));
  CHECK(out.report.faithful);
  const nlohmann::json j = to_json(out);
  CHECK(j["audit_sweep"] == f.audit_dir());
  CHECK(j["metric"] == "best");
  CHECK(j["long_errors"][0] == p.models[0].short_best - 5);
  CHECK(j["spearman"]["rho"] == out.report.rho.statistic);
  const std::string text = to_text(out);
  CHECK_THAT(text, Catch::StartsWith("   id source id") && Catch::Contains("\nfaithful: ") && Catch::EndsWith("\n"));
  // The table lists the models by short-schedule error: the first row is the best model.
  const auto best = std::min_element(p.models.begin(), p.models.end(), [](const AuditModel& a, const AuditModel& b) {
    return a.short_best < b.short_best;
  });
  CHECK_THAT(text, Catch::Contains(fmt::format("\n{:>5} {:>9}", best->id, best->source_id)));
}

TEST_CASE("audit: the loop without a trainer, or whose training has problems, is one UserError", "[audit]") {
  AuditFixture f;
  train_short(f.sweep.path, 12, by_id);
  const AuditPlan p = plan_audit(f.request(4));
  CHECK_THROWS_WITH(run_audit(p, {}),
                    Catch::Contains("0 of the 4 audited models trained") && Catch::Contains("then run audit again"));
  CHECK(load_samples(p.out_dir).size() == 4);  // --no-train still creates the audit sweep
  FakeTrainer t;
  t.problems = {"train exited with status 3"};
  CHECK_THROWS_WITH(run_with(plan_audit(f.request(4)), t),
                    Catch::Contains("train exited with status 3 (run audit again to resume)"));
}

TEST_CASE("audit: the report's correlations, intervals, top quarter and verdict", "[audit]") {
  AuditPairs p;
  for (int i = 0; i < 16; ++i) {
    p.ids.push_back(i);
    p.short_errors.push_back(30 + i);
    p.long_errors.push_back(20 + i + (i % 3 == 0 ? 1.5 : 0));  // nearly the same order
  }
  const AuditReport r = audit_report(p, 16, 500, 7);
  CHECK(r.rho.statistic == spearman(p.short_errors, p.long_errors).statistic);
  CHECK(r.tau.p_value == kendall(p.short_errors, p.long_errors).p_value);
  CHECK(r.rho.statistic > 0.9);
  CHECK(r.rho_ci.lo <= r.rho.statistic);
  CHECK(r.rho_ci.hi <= 1.0);
  CHECK(r.resamples == 500);
  CHECK(r.top == 4);
  CHECK(r.top_shared >= 3);
  CHECK(r.faithful);
  CHECK(r.verdict.rfind("faithful: ", 0) == 0);
  CHECK(audit_report(p, 16, 500, 7).rho_ci.lo == r.rho_ci.lo);  // deterministic in the seed

  std::reverse(p.long_errors.begin(), p.long_errors.end());  // the long schedule turns the order around
  const AuditReport bad = audit_report(p, 16, 500, 7);
  CHECK_FALSE(bad.faithful);
  CHECK(bad.top_shared == 0);
  CHECK_THAT(bad.verdict, Catch::StartsWith("warning: ") && Catch::Contains("rho -") &&
                              Catch::Contains("0 of the long schedule's top 4"));
  AuditPairs two;
  two.ids = {0, 1};
  two.short_errors = {1, 2};
  two.long_errors = {1, 2};
  CHECK_THROWS_WITH(audit_report(two, 16), Catch::Contains("2 of the 16 audited models trained"));
}

TEST_CASE("audit: analyze draws the short-vs-long scatter of an audit sweep", "[audit]") {
  AuditFixture f;
  train_short(f.sweep.path, 12, by_id);
  const AuditPlan p = plan_audit(f.request(5));
  create_audit_sweep(p);
  for (const auto& m : p.models) {
    TrainResult r;
    r.id = m.id;
    r.best_top1_err = r.final_top1_err = m.short_best - 5;
    write_result(p.out_dir, r);
  }
  AnalyzeOptions o;
  o.resamples = 10;
  o.normalization = Normalization::none;
  const Analysis a = analyze_sweeps({p.out_dir}, {}, o);
  const auto figs = audit_figures(a);
  REQUIRE(figs.size() == 1);
  CHECK(figs[0].name == "audit_sweep_audit_long");
  REQUIRE(figs[0].columns.size() == 4);
  CHECK(figs[0].columns[0].values.size() == 5);
  CHECK(figs[0].columns[1].values[0] == figs[0].columns[0].values[0] - 5);
  CHECK_THAT(figs[0].caption, Catch::Contains("Spearman rho 1.00"));
  const auto all = analysis_figures(a);
  CHECK(std::any_of(all.begin(), all.end(), [](const Figure& g) { return g.name == "audit_sweep_audit_long"; }));
  // A sweep that is not an audit has no such figure.
  CHECK(audit_figures(analyze_sweeps({f.sweep.path}, {}, o)).empty());
}
