// A compare directory's record (core/compare_state.hpp): compare.json written from the outcome
// of real sequential tests on made-up errors and read back, the status over all pairs, the
// decision lines and the rows compare prints per look, and records it refuses.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/compare/compare_state.hpp"
#include "temp_dir.hpp"

using namespace regnet;
namespace fs = std::filesystem;

namespace {

std::vector<double> errors_from(double base, int n) {
  std::vector<double> e;
  for (int i = 0; i < n; ++i) e.push_back(base + 0.1 * i);
  return e;
}

PairOutcome with_status(SequentialStatus s) {
  PairOutcome p;
  p.outcome.status = s;
  return p;
}

// Two sweeps under `root`: "low" (errors 10..) clearly better than "high" (errors 50..), one of
// high's models without an error (diverged); a pocock design with looks 5 and 8.
CompareState decided_state(const std::string& root) {
  CompareState s;
  s.setup.sweeps = {{"low", root + "/sweeps/low", 8}, {"high", root + "/sweeps/high", 8}};
  s.setup.design.looks = {5, 8};
  s.setup.design.simulations = 20000;
  s.setup.metric = ErrorMetric::final;
  s.setup.training = {{"data", "fashion-mnist"}, {"schedule_name", "smoke"}};
  TrainedErrors low{errors_from(10, 8), true}, high{errors_from(50, 8), true};
  high.errors[6] = std::numeric_limits<double>::quiet_NaN();
  s.errors = {low, high};
  s.pairs = sequential_ks_pairs(s.errors, s.setup.design);
  return s;
}

}  // namespace

TEST_CASE("compare state: the status over all pairs: continuing wins, then undecided", "[compare_state]") {
  using S = SequentialStatus;
  CHECK(overall_status({}) == S::decided);
  CHECK(overall_status({with_status(S::decided), with_status(S::decided)}) == S::decided);
  CHECK(overall_status({with_status(S::decided), with_status(S::undecided)}) == S::undecided);
  CHECK(overall_status({with_status(S::undecided), with_status(S::continuing), with_status(S::decided)}) ==
        S::continuing);
}

TEST_CASE("compare state: compare.json records sweeps relative to it, the looks and the decision", "[compare_state]") {
  regnet::test::TempDir t;
  const std::string root = t.path.string();
  const CompareState s = decided_state(root);
  REQUIRE(s.pairs.size() == 1);
  const SequentialOutcome& o = s.pairs[0].outcome;
  REQUIRE(o.status == SequentialStatus::decided);  // every low error is below every high one
  CHECK(overall_status(s.pairs) == SequentialStatus::decided);
  const std::vector<std::string> lines = decision_lines(s);
  REQUIRE(lines.size() == 1);
  CHECK(lines[0] == "low vs high: " + verdict(o, "low", "high"));
  CHECK_THAT(lines[0],
             Catch::StartsWith("low vs high: decided at look ") && Catch::EndsWith("low has the lower errors"));

  const std::string dir = root + "/out/cmp";  // created with its parents
  CHECK_FALSE(is_compare_dir(dir));
  CHECK_FALSE(read_compare_setup(dir));
  write_compare_json(dir, s);
  CHECK(is_compare_dir(dir));
  CHECK(compare_json_path(dir) == dir + "/compare.json");
  const nlohmann::json j = read_json_file(compare_json_path(dir));
  CHECK(j["format_version"] == 1);  // 2 (kCompareFormatVersion) only with a margin
  CHECK(j["command"] == "compare");
  CHECK(j["sweeps"][0]["path"] == "../../sweeps/low");
  CHECK(j["sweeps"][1]["name"] == "high");
  CHECK(j["sweeps"][1]["samples"] == 8);
  CHECK(j["sweeps"][1]["trained"] == 8);
  CHECK(j["sweeps"][1]["with_error"] == 7);  // the diverged model counts as trained, without an error
  CHECK(j["sweeps"][1]["complete"] == true);
  CHECK(j["design"]["max_n"] == 8);
  CHECK(j["design"]["looks"] == nlohmann::json({5, 8}));
  CHECK(j["metric"] == "final");
  CHECK(j["training"]["schedule_name"] == "smoke");
  REQUIRE(j["looks"].size() == o.looks.size());
  CHECK(j["looks"][0]["look"] == 1);
  CHECK(j["looks"][0]["n"] == 5);
  CHECK(j["looks"][0]["pairs"][0]["a"] == "low");
  CHECK(j["pairs"][0]["status"] == "decided");
  CHECK(j["pairs"][0]["decided_at"] == o.decided_at);
  CHECK(j["status"] == "decided");
  CHECK(j["decision"] == nlohmann::json(lines));
  CHECK(j["warnings"].empty());

  // Read back: the sweeps resolved against the directory, the design and the metric as written.
  const auto setup = read_compare_setup(dir);
  REQUIRE(setup);
  REQUIRE(setup->sweeps.size() == 2);
  CHECK(setup->sweeps[0].dir == root + "/sweeps/low");
  CHECK(setup->sweeps[1].name == "high");
  CHECK(setup->sweeps[1].samples == 8);
  CHECK(to_json(setup->design) == to_json(s.setup.design));
  CHECK(setup->metric == ErrorMetric::final);
  CHECK(setup->training == s.setup.training);
  // analyze of the compare directory reads its sweeps; other directories pass through.
  CHECK(expand_compare_dirs({dir, root + "/other"}) ==
        std::vector<std::string>{root + "/sweeps/low", root + "/sweeps/high", root + "/other"});
}

TEST_CASE("compare state: the per-look rows line up under the header and say what the look decided",
          "[compare_state]") {
  CompareState s;
  s.setup.sweeps = {{"A", "/a", 16}, {"B", "/b", 16}};
  s.setup.design.looks = {8, 16};
  PairOutcome p;
  p.a = 0;
  p.b = 1;
  LookResult r;
  r.look = 1;
  r.n = 8;
  r.size = {8, 8};
  r.d = 0.75;
  r.boundary = 0.625;
  r.p_nominal = 0.0014;
  r.reject = true;
  r.direction = 1;
  const std::string header = look_header(), row = look_row(s, p, r);
  CHECK_THAT(row, Catch::StartsWith("   1     8  A vs B ") && Catch::EndsWith("  reject H0: A has the lower errors"));
  CHECK(row.find("A vs B") == header.find("pair"));
  CHECK(row.find(" 0.750 ") != std::string::npos);
  CHECK(row.find(" 0.625 ") != std::string::npos);
  r.reject = false;
  r.direction = -1;
  CHECK_THAT(look_row(s, p, r), Catch::EndsWith("  continue"));
  r.boundary = 1.5;  // this look cannot reject: no boundary shown
  CHECK_THAT(look_row(s, p, r), Catch::EndsWith("  cannot reject yet"));
  CHECK(look_row(s, p, r).find("         -") != std::string::npos);
  r.look = 2;  // the last look, not rejecting
  r.boundary = 0.5;
  CHECK_THAT(look_row(s, p, r), Catch::EndsWith("  undecided"));
  r.reject = true;
  CHECK_THAT(look_row(s, p, r), Catch::EndsWith("reject H0: B has the lower errors"));
  r.direction = 0;
  CHECK_THAT(look_row(s, p, r), Catch::EndsWith("reject H0: the EDFs cross"));
}

TEST_CASE("compare state: a record that is newer, short of sweeps or of a bad design is refused", "[compare_state]") {
  regnet::test::TempDir t;
  const std::string dir = t.path.string() + "/cmp";
  const CompareState s = decided_state(t.path.string());
  write_compare_json(dir, s);
  const nlohmann::json good = read_json_file(compare_json_path(dir));
  auto refused = [&](nlohmann::json j, const std::string& what) {
    write_json_atomic(compare_json_path(dir), j);
    CHECK_THROWS_AS(read_compare_setup(dir), UserError);
    CHECK_THROWS_WITH(read_compare_setup(dir), Catch::Contains(what));
  };
  nlohmann::json j = good;
  j["format_version"] = kCompareFormatVersion + 1;
  refused(j, compare_json_path(dir) + ": format_version: " + std::to_string(kCompareFormatVersion + 1) +
                 " is newer than this tool's " + std::to_string(kCompareFormatVersion) + " (update regnet-explore)");
  j = good;
  j["sweeps"].erase(1);
  refused(j, compare_json_path(dir) + ": sweeps: expected an array of at least 2 sweeps");
  j = good;
  j["design"]["alpha"] = 0.7;
  refused(j, "alpha: 0.7 must be in (0, 0.5)");  // (validate() names the field, not the file)
  j = good;
  j["design"]["spending"] = "linear";
  refused(j, compare_json_path(dir) + ": design: spending: spending: 'linear' is not a spending function");
  j = good;
  j["metric"] = "worst";
  refused(j, compare_json_path(dir) + ": metric: --metric: 'worst' is not one of final, best");
  // An old record without a metric compared by the best epoch.
  j = good;
  j.erase("metric");
  write_json_atomic(compare_json_path(dir), j);
  CHECK(read_compare_setup(dir)->metric == ErrorMetric::best);
}
