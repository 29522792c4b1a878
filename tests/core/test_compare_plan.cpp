// What `compare` will do (core/compare_plan.hpp), decided before anything is written: the sweeps
// under their legend names, the design from the request and the sweeps' sizes, the training the
// looks will use, looks cut to the largest sweep, the compare directory, new or resumed.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/compare/compare_plan.hpp"
#include "core/sweep/directory.hpp"
#include "temp_dir.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempConfig;
namespace fs = std::filesystem;

namespace {

std::string make_sweep(const regnet::test::TempDir& t, const std::string& name, int n) {
  const std::string dir = t / name;
  fs::create_directories(fs::path(dir).parent_path());
  create_sweep(dir, {{"format_version", kSweepFormatVersion}}, regnet::testing::tiny_samples(n));
  return dir;
}

CompareRequest request(const std::vector<std::string>& sweeps) {
  CompareRequest r;
  r.sweeps = sweeps;
  r.train.threads = 1;
  r.simulations = 20000;
  return r;
}

}  // namespace

TEST_CASE("compare plan: sweeps, design and training from the request and the sweeps; nothing written",
          "[compare_plan]") {
  TempConfig config({"fashion-mnist-short"});
  regnet::test::TempDir t;
  const auto a = make_sweep(t, "x/a", 8), a2 = make_sweep(t, "y/a", 12), b = make_sweep(t, "x/b", 6);
  CompareRequest r = request({a, a2, b});
  r.seed = 3;
  r.metric = "final";
  r.until = "max-n";
  r.spending = "obrien-fleming";
  r.alpha = 0.06;
  const ComparePlan p = plan_compare(r);
  REQUIRE(p.setup.sweeps.size() == 3);
  CHECK(p.setup.sweeps[0].name == "a");
  CHECK(p.setup.sweeps[1].name == "a-2");  // the same last component, numbered
  CHECK(p.setup.sweeps[2].name == "b");
  CHECK(p.setup.sweeps[1].dir == a2);
  CHECK(p.setup.sweeps[0].samples == 8);
  CHECK(p.setup.sweeps[1].samples == 12);
  CHECK(p.setup.sweeps[2].samples == 6);
  const SequentialDesign& d = p.setup.design;
  CHECK(d.pairs == 3);  // Bonferroni over 3 pairs
  CHECK(d.alpha == 0.06);
  CHECK(pair_alpha(d) == Approx(0.02));
  CHECK(d.spending == Spending::obrien_fleming);
  CHECK(d.seed == 3);
  CHECK(d.simulations == 20000);
  CHECK(d.looks == default_looks(12, Spending::obrien_fleming, 0.02));  // max-n: the largest sweep
  CHECK(d.looks.back() == 12);
  CHECK(p.setup.metric == ErrorMetric::final);
  CHECK(p.until == CompareUntil::max_n);
  CHECK(p.setup.training["data"] == "fashion-mnist");
  CHECK(p.setup.training["schedule_name"] == "fashion-mnist-short");
  CHECK(p.setup.training["schedule"] == config.path + "/schedules/fashion-mnist-short.json");
  CHECK(p.train.threads == 1);
  CHECK(p.out_dir == default_compare_dir(r.sweeps));
  CHECK(p.out_dir == t / "x/compare-a-a-2-b");  // beside the first sweep
  CHECK_FALSE(p.resuming);
  CHECK(p.warnings.empty());
  CHECK_FALSE(fs::exists(p.out_dir));  // a plan writes nothing
}

TEST_CASE("compare plan: looks beyond the largest sweep stop at its size, with a warning", "[compare_plan]") {
  TempConfig config({"fashion-mnist-short"});
  regnet::test::TempDir t;
  const auto a = make_sweep(t, "a", 8), b = make_sweep(t, "b", 12);
  CompareRequest r = request({a, b});
  r.out = t / "cmp";
  r.looks = "4,8,16,32";
  ComparePlan p = plan_compare(r);
  CHECK(p.setup.design.looks == std::vector<int>{4, 8, 12});
  REQUIRE(p.warnings.size() == 1);
  CHECK(p.warnings[0] == "looks: 32 is more than the 12 samples of the largest sweep: the comparison stops at 12");
  CHECK(p.out_dir == t / "cmp");
  // --max-n sets the default looks; beyond the sweeps they are cut the same way.
  r.looks = "";
  r.max_n = 10;
  p = plan_compare(r);
  CHECK(p.setup.design.looks == default_looks(10, Spending::pocock, 0.05));
  CHECK(p.warnings.empty());
  r.max_n = 40;
  p = plan_compare(r);
  CHECK(p.setup.design.looks == std::vector<int>{5, 8, 12});  // of 5, 8, 12, 16, 24, 32, 40
  REQUIRE(p.warnings.size() == 1);
  CHECK_THAT(p.warnings[0], Catch::StartsWith("looks: 40 is more than the 12 samples"));
}

TEST_CASE("compare plan: --until, --metric and --spending by name, refused before anything is read", "[compare_plan]") {
  CHECK(compare_until_from_string("decided") == CompareUntil::decided);
  CHECK(compare_until_from_string("max-n") == CompareUntil::max_n);
  CHECK_THROWS_WITH(compare_until_from_string("soon"),
                    "--until: 'soon': decided (stop once every pair is decided) or max-n (train to max-n)");
  TempConfig config({"fashion-mnist-short"});
  regnet::test::TempDir t;
  const auto a = make_sweep(t, "a", 8), b = make_sweep(t, "b", 8);
  CompareRequest r = request({a, b});
  r.metric = "worst";
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("--metric: 'worst'"));
  r = request({a, b});
  r.spending = "linear";
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("--spending") && Catch::Contains("'linear'"));
  r = request({a, b});
  r.max_n = -1;
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("--max-n: -1 must be >= 1"));
  r = request({a, t / "missing"});
  CHECK_THROWS_AS(plan_compare(r), UserError);
  CHECK_FALSE(fs::exists(default_compare_dir({a, b})));
}

TEST_CASE("compare plan: a directory holding this comparison's record is resumed", "[compare_plan]") {
  TempConfig config({"fashion-mnist-short"});
  regnet::test::TempDir t;
  const auto a = make_sweep(t, "a", 8), b = make_sweep(t, "b", 8);
  CompareRequest r = request({a, b});
  r.out = t / "cmp";
  const ComparePlan first = plan_compare(r);
  CompareState s;
  s.setup = first.setup;
  write_compare_json(first.out_dir, s);  // what compare writes before its first look
  const ComparePlan again = plan_compare(r);
  CHECK(again.resuming);
  CHECK(to_json(again.setup.design) == to_json(first.setup.design));
  r.seed = 2;  // another design: not this comparison
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("holds another comparison (design.seed 1 (asked: 2))"));
}
