// compare with a margin (three outcomes per pair) through the look loop with a fake trainer:
// equal spaces stop early as equivalent, a large shift as different, a one-sided question as
// non-inferior; compare.json records the margin, each look's intervals and the verdicts; a
// resumed run with another margin is refused; and the planner predicts what a run then spends.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/compare/compare_planner.hpp"
#include "core/compare/compare_run.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempConfig;
namespace fs = std::filesystem;

namespace {

struct Workspace {
  std::string root;
  Workspace() {
    char tmpl[] = "/tmp/regnet-compare3-XXXXXX";
    root = ::mkdtemp(tmpl);
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  std::string sweep(const std::string& name, int n) {
    const std::string dir = root + "/" + name;
    create_sweep(dir, {{"format_version", kSweepFormatVersion}}, regnet::testing::tiny_samples(n));
    return dir;
  }
};

// A deterministic spread of about 0.3 points around `centre`, different per sweep (salt).
double noisy(int id, int salt, double centre) {
  const double x = std::sin(id * 12.9898 + salt * 78.233) * 43758.5453;
  return centre + 0.6 * (x - std::floor(x) - 0.5);
}

struct FakeTrainer {
  std::map<std::string, std::function<double(int)>> error_of;
  int trainings = 0;
  const ComparePlan* plan = nullptr;
  BatchResult operator()(const LookBatch& b) {
    for (const auto& r : batch_requests(*plan, b))
      for (int id : parse_id_list(r.ids, 100000)) {
        if (load_result(r.sweep_dir, id)) continue;
        ++trainings;
        TrainResult res;
        res.id = id;
        res.final_top1_err = res.best_top1_err = error_of.at(fs::path(r.sweep_dir).filename().string())(id);
        write_result(r.sweep_dir, res);
      }
    return {};
  }
};

CompareRequest request(const std::vector<std::string>& sweeps, const std::string& out, double margin) {
  CompareRequest r;
  r.sweeps = sweeps;
  r.out = out;
  r.train.threads = 1;
  r.simulations = 20000;
  r.margin = margin;
  return r;
}

CompareOutcome run(const ComparePlan& p, FakeTrainer& t) {
  t.plan = &p;
  return run_compare(p, [&t](const LookBatch& b) { return t(b); });
}

}  // namespace

TEST_CASE("compare three-way: equal spaces stop early as equivalent, recorded in compare.json", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto xb = w.sweep("xb", 32), xa = w.sweep("xa", 32);
  const ComparePlan p = plan_compare(request({xb, xa}, w.root + "/cmp", 1.0));
  CHECK(p.setup.design.looks == std::vector<int>{5, 8, 12, 16, 24, 32});
  FakeTrainer t;
  t.error_of = {{"xb", [](int id) { return noisy(id, 1, 30); }}, {"xa", [](int id) { return noisy(id, 2, 30); }}};
  const CompareOutcome out = run(p, t);
  REQUIRE(out.state.three_way.size() == 1);
  const ThreeWayOutcome& o = out.state.three_way[0].outcome;
  CHECK(o.status == ThreeWayStatus::equivalent);
  CHECK(t.trainings < 64);  // not max-n
  CHECK(t.trainings == 2 * o.looks.back().n);
  const std::string line = decision_lines(out.state)[0];
  CHECK(line.rfind("xb vs xa: equivalent within 1.0 at look ", 0) == 0);
  CHECK(line.find(": shift ") != std::string::npos);
  const nlohmann::json j = read_json_file(compare_json_path(w.root + "/cmp"));
  CHECK(j["format_version"] == 2);
  CHECK(j["design"]["margin"] == 1.0);
  CHECK(j["design"]["non_inferior"].is_null());
  CHECK(j["status"] == "decided");
  CHECK(j["pairs"][0]["status"] == "equivalent");
  CHECK(j["pairs"][0]["settled_at"] == o.settled_at);
  CHECK(j["looks"].back()["pairs"][0]["equivalent"] == true);
  CHECK(j["looks"].back()["pairs"][0]["interval_equivalence"].size() == 2);
  CHECK(look_header(out.state).find("interval (90%)") != std::string::npos);
  CHECK(look_row(out.state, 0, o.looks.size() - 1).find("equivalent") != std::string::npos);
  // Resuming: the same margin resumes, another is refused, --force replaces the record.
  CHECK(plan_compare(request({xb, xa}, w.root + "/cmp", 1.0)).resuming);
  CHECK_THROWS_WITH(plan_compare(request({xb, xa}, w.root + "/cmp", 0.5)),
                    Catch::Contains("holds another comparison (design.margin 1 (asked: 0.5))"));
  CHECK_THROWS_WITH(plan_compare(request({xb, xa}, w.root + "/cmp", 0)),
                    Catch::Contains("holds another comparison (design.margin 1 (asked: none))"));
  CompareRequest forced = request({xb, xa}, w.root + "/cmp", 0.5);
  forced.force = true;
  CHECK(plan_compare(forced).warnings.back().find("replaced (--force)") != std::string::npos);
  const auto setup = read_compare_setup(w.root + "/cmp");
  REQUIRE(setup);
  CHECK(setup->margin == 1.0);
  CHECK(setup->candidate == -1);
}

TEST_CASE("compare three-way: a large shift is different, a one-sided question non-inferior", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto xa = w.sweep("xa", 32), rx = w.sweep("rx", 32), xb = w.sweep("xb", 32);
  FakeTrainer t;
  t.error_of = {{"xa", [](int id) { return noisy(id, 3, 30); }},
                {"rx", [](int id) { return noisy(id, 4, 25); }},
                {"xb", [](int id) { return noisy(id, 5, 30.2); }}};
  const CompareOutcome diff = run(plan_compare(request({xa, rx}, w.root + "/c1", 1.0)), t);
  CHECK(diff.state.three_way[0].outcome.status == ThreeWayStatus::different);
  CHECK(decision_lines(diff.state)[0].rfind("xa vs rx: different at look 1 (n = 5): rx has the lower errors", 0) == 0);
  // Is xb no worse than xa and rx? Against xa yes (0.2 worse); against rx it is 5 points worse.
  CompareRequest r = request({xa, rx, xb}, w.root + "/c2", 1.0);
  r.non_inferior = "xb";
  const ComparePlan p = plan_compare(r);
  CHECK(p.setup.candidate == 2);
  CHECK(p.setup.design.pairs == 2);
  const CompareOutcome ni = run(p, t);
  REQUIRE(ni.state.three_way.size() == 2);
  CHECK(ni.state.three_way[0].outcome.status == ThreeWayStatus::non_inferior);  // (xa, xb)
  CHECK(decision_lines(ni.state)[0].find("xb's errors are at most") != std::string::npos);
  CHECK(ni.state.three_way[1].outcome.status == ThreeWayStatus::different);  // (rx, xb)
  CHECK(read_json_file(compare_json_path(w.root + "/c2"))["design"]["non_inferior"] == "xb");
  r.non_inferior = "nope\x1b[31m";
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("--non-inferior: 'nope\\x1b[31m' is none of the compared sweeps"));
  r.non_inferior = "xb";
  r.margin = 0;
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("--non-inferior: needs --margin"));
  r.margin = 200;
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("--margin: 200 must be in (0, 100]"));
}

TEST_CASE("compare planner: predicts the trainings a run then spends", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto xb = w.sweep("xb", 32), xa = w.sweep("xa", 32);
  FakeTrainer t;
  t.error_of = {{"xb", [](int id) { return noisy(id, 6, 30); }}, {"xa", [](int id) { return noisy(id, 7, 30); }}};
  CompareRequest r = request({xb, xa}, w.root + "/cmp", 1.0);
  r.looks = "8";  // a pilot of 8 each: a one-look comparison trains it
  run(plan_compare(r), t);
  r.looks.clear();
  r.check_out = false;
  const ComparePlan p = plan_compare(r);
  CHECK_THROWS_WITH(forecast_compare(p.setup, 12), Catch::Contains("fewer than the pilot's 12"));
  const CompareForecast f = forecast_compare(p.setup, 8, 1000);
  REQUIRE(f.pairs.size() == 1);
  const ThreeWayPlan& plan = f.pairs[0].plan;
  CHECK(plan.pilot_a == 8);
  REQUIRE(plan.rows.size() >= 5);
  CHECK(plan.rows[0].scenario.name == "equal");
  CHECK(plan.rows[1].scenario.shift == 1.0);
  CHECK(plan.rows[0].point.equivalent > 0.9);  // spread 0.17 against a margin of 1
  CHECK(plan.rows[1].false_claims <= 0.05 + 3 * std::sqrt(0.05 * 0.95 / 1000));
  CHECK(plan.rows[4].point.different_b_lower > 0.99);  // 4 margins: a worse
  const std::string text = forecast_text(f, p.setup);
  CHECK(text.find("xb vs xa (different or equivalent, margin 1)") != std::string::npos);
  CHECK(text.find("at the margin") != std::string::npos);
  CHECK(to_json(f, p.setup)["pairs"][0]["scenarios"].size() == plan.rows.size());
  // The run from here spends about what the planner said for equal spaces (which these are).
  FakeTrainer again = t;
  again.trainings = 0;
  const CompareOutcome out = run(plan_compare(request({xb, xa}, w.root + "/cmp2", 1.0)), again);
  const double spent = 2.0 * out.state.three_way[0].outcome.looks.back().n;
  INFO("predicted " << plan.rows[0].point.mean_trainings << ", spent " << spent);
  CHECK(std::abs(spent - plan.rows[0].point.mean_trainings) <= 8);
  CompareRequest none = r;
  none.margin = 0;
  CHECK_THROWS_WITH(forecast_compare(plan_compare(none).setup, 0), Catch::Contains("--plan: needs --margin"));
}
