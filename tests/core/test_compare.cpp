// The compare loop with a fake trainer (results written straight into the sweeps): it trains
// only what each look needs, stops when every pair is decided or at max-n, resumes after a
// kill at any stage without training a model twice, and refuses bad input before writing.
#include <catch2/catch.hpp>
#include <cmath>
#include <filesystem>
#include <map>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/compare/compare_run.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using regnet::testing::TempConfig;
using regnet::testing::TempSweep;
namespace fs = std::filesystem;

namespace {

// Sweeps next to each other in one temporary directory, as a user keeps them.
struct Workspace {
  std::string root;
  explicit Workspace() {
    char tmpl[] = "/tmp/regnet-compare-XXXXXX";
    root = ::mkdtemp(tmpl);
  }
  ~Workspace() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  std::string sweep(const std::string& name, int n, const nlohmann::json& window = nullptr) {
    const std::string dir = root + "/" + name;
    nlohmann::json j{{"format_version", kSweepFormatVersion}};
    if (!window.is_null()) j["window"] = window;
    create_sweep(dir, j, regnet::testing::tiny_samples(n));
    return dir;
  }
};

// Errors by sweep name and id; counts every training so that a retrained model shows.
struct FakeTrainer {
  std::map<std::string, std::function<double(int)>> error_of;
  std::map<std::pair<std::string, int>, int> trainings;
  int writes_left = -1;  // >= 0: "killed" (throws) once this many results are written
  const ComparePlan* plan = nullptr;

  BatchResult operator()(const LookBatch& b) {
    for (const auto& r : batch_requests(*plan, b)) {
      const std::string name = fs::path(r.sweep_dir).filename().string();
      for (int id : parse_id_list(r.ids, 100000)) {
        if (load_result(r.sweep_dir, id)) continue;  // train never retrains a finished model
        if (writes_left == 0) throw std::runtime_error("killed");
        if (writes_left > 0) --writes_left;
        ++trainings[{name, id}];
        TrainResult res;
        res.id = id;
        res.final_top1_err = res.best_top1_err = error_of.at(name)(id);
        write_result(r.sweep_dir, res);
      }
    }
    return {};
  }
};

CompareRequest request_for(const std::vector<std::string>& sweeps, const std::string& out) {
  CompareRequest r;
  r.sweeps = sweeps;
  r.out = out;
  r.train.threads = 1;
  r.simulations = 20000;
  return r;
}

CompareOutcome run(const ComparePlan& p, FakeTrainer& t) {
  t.plan = &p;
  return run_compare(p, [&t](const LookBatch& b) { return t(b); });
}

int trained_in(const FakeTrainer& t, const std::string& name) {
  int n = 0;
  for (const auto& [key, count] : t.trainings) n += key.first == name ? count : 0;
  return n;
}

double low(int id) { return 10 + 0.1 * id; }
double high(int id) { return 50 + 0.1 * id; }
double interleaved(int id) { return 30 + 0.2 * id; }
double shifted(int id) { return 30.1 + 0.2 * id; }

}  // namespace

TEST_CASE("compare: a large effect is decided at the first look that can reject", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 12), b = w.sweep("b", 12);
  const ComparePlan p = plan_compare(request_for({a, b}, w.root + "/cmp"));
  CHECK(p.setup.design.looks == std::vector<int>{5, 8, 12});  // default_looks(12): 5 is the first n that can reject
  CHECK_FALSE(p.resuming);
  FakeTrainer t;
  t.error_of = {{"a", low}, {"b", high}};
  const CompareOutcome out = run(p, t);
  CHECK(out.batches == 1);
  CHECK(trained_in(t, "a") == 5);
  CHECK(trained_in(t, "b") == 5);
  REQUIRE(out.state.pairs.size() == 1);
  CHECK(out.state.pairs[0].outcome.status == SequentialStatus::decided);
  CHECK(out.state.pairs[0].outcome.decided_at == 1);
  const nlohmann::json j = read_json_file(compare_json_path(w.root + "/cmp"));
  CHECK(j["status"] == "decided");
  CHECK(j["sweeps"][0]["path"] == "../a");
  CHECK(j["sweeps"][1]["trained"] == 5);
  CHECK(j["looks"].size() == 1);
  CHECK(j["looks"][0]["pairs"][0]["reject"] == true);
  CHECK(j["decision"][0].get<std::string>().rfind("a vs b: decided at look 1 (n = 5)", 0) == 0);
  CHECK(j["decision"][0].get<std::string>().find("a has the lower errors") != std::string::npos);
}

TEST_CASE("compare: the plan and each look's batch in one line", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 12), b = w.sweep("b", 10), c = w.sweep("c", 12);
  const ComparePlan p = plan_compare(request_for({a, b, c}, w.root + "/cmp"));
  CHECK(plan_text(p) ==
        "compare a (12 samples) vs b (10 samples) vs c (12 samples): looks at 5, 8, 12 models per "
        "sweep, alpha 0.05 (pocock, 0.0167 per pair); writing " +
            compare_json_path(w.root + "/cmp"));
  CHECK(batch_text(p, LookBatch{2, 8, {0, 2}}) == "look 2 needs 8 models per sweep: training a, c");
}

TEST_CASE("compare: equal spaces run to max-n and end undecided", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 12), b = w.sweep("b", 12);
  const ComparePlan p = plan_compare(request_for({a, b}, w.root + "/cmp"));
  FakeTrainer t;
  t.error_of = {{"a", interleaved}, {"b", shifted}};
  const CompareOutcome out = run(p, t);
  CHECK(out.batches == 3);
  CHECK(trained_in(t, "a") == 12);
  CHECK(out.state.pairs[0].outcome.status == SequentialStatus::undecided);
  CHECK(out.state.pairs[0].outcome.looks.size() == 3);
  CHECK(decision_lines(out.state)[0].rfind("a vs b: undecided at n = 12", 0) == 0);
  // Once settled, running again trains nothing and says the same.
  const CompareOutcome again = run(plan_compare(request_for({a, b}, w.root + "/cmp")), t);
  CHECK(again.batches == 0);
  CHECK(decision_lines(again.state) == decision_lines(out.state));
}

TEST_CASE("compare: killed at any point, it resumes without training a model twice", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  // The uninterrupted run on the same errors: what every resumed run must end with.
  std::vector<std::string> reference;
  {
    Workspace w;
    const auto a = w.sweep("a", 12), b = w.sweep("b", 12);
    FakeTrainer t;
    t.error_of = {{"a", interleaved}, {"b", [](int id) { return 30.5 + 0.2 * id + (id > 6 ? 3 : 0); }}};
    reference = decision_lines(run(plan_compare(request_for({a, b}, w.root + "/cmp")), t).state);
  }
  int kills = 0;
  for (int kill_at = 0; kill_at <= 24; kill_at += 3) {
    Workspace w;
    const auto a = w.sweep("a", 12), b = w.sweep("b", 12);
    FakeTrainer t;
    t.error_of = {{"a", interleaved}, {"b", [](int id) { return 30.5 + 0.2 * id + (id > 6 ? 3 : 0); }}};
    t.writes_left = kill_at;
    const CompareRequest r = request_for({a, b}, w.root + "/cmp");
    bool killed = false;
    try {
      run(plan_compare(r), t);
    } catch (const std::runtime_error& e) {
      killed = std::string(e.what()) == "killed";
    }
    INFO("killed after " << kill_at << " results");
    CHECK(is_compare_dir(w.root + "/cmp"));  // written before the first batch, whole
    t.writes_left = -1;
    const ComparePlan resumed = plan_compare(r);
    CHECK(resumed.resuming);
    const CompareOutcome out = run(resumed, t);
    CHECK(decision_lines(out.state) == reference);
    for (const auto& [key, count] : t.trainings) CHECK(count == 1);
    if (!killed) CHECK(kill_at >= 24);  // the comparison ended before the kill
    kills += killed ? 1 : 0;
  }
  CHECK(kills == 8);
  CHECK(reference[0].rfind("a vs b: undecided at n = 12", 0) == 0);
  // A kill after compare.json was written (in the printing of a look) resumes the same way.
  Workspace w;
  const auto a = w.sweep("a", 12), b = w.sweep("b", 12);
  FakeTrainer t;
  t.error_of = {{"a", interleaved}, {"b", [](int id) { return 30.5 + 0.2 * id + (id > 6 ? 3 : 0); }}};
  const CompareRequest r = request_for({a, b}, w.root + "/cmp");
  const ComparePlan p = plan_compare(r);
  t.plan = &p;
  int looks_seen = 0;
  CHECK_THROWS_WITH(run_compare(
                        p, [&t](const LookBatch& b) { return t(b); },
                        [&](const CompareState&) {
                          if (++looks_seen == 2) throw std::runtime_error("killed");
                        }),
                    "killed");
  CHECK(read_json_file(compare_json_path(w.root + "/cmp"))["sweeps"][0]["trained"] == 5);
  CHECK(decision_lines(run(plan_compare(r), t).state) == reference);
  for (const auto& [key, count] : t.trainings) CHECK(count == 1);
}

TEST_CASE("compare: a sweep with fewer samples is used whole at the later looks", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 12), b = w.sweep("b", 6);
  CompareRequest r = request_for({a, b}, w.root + "/cmp");
  r.looks = "4,8,12,16";  // 16: more than either sweep has
  const ComparePlan p = plan_compare(r);
  CHECK(p.setup.design.looks == std::vector<int>{4, 8, 12});
  REQUIRE(p.warnings.size() == 1);
  CHECK_THAT(p.warnings[0], Catch::Contains("16 is more than the 12 samples"));
  FakeTrainer t;
  t.error_of = {{"a", interleaved}, {"b", shifted}};
  const CompareOutcome out = run(p, t);
  CHECK(trained_in(t, "a") == 12);
  CHECK(trained_in(t, "b") == 6);
  const auto& looks = out.state.pairs[0].outcome.looks;
  REQUIRE(looks.size() == 3);
  CHECK(looks[1].size == LookSize{8, 6});
  CHECK(looks[2].size == LookSize{12, 6});
  CHECK(out.state.errors[1].complete);
}

TEST_CASE("compare: three sweeps, each pair at alpha / 3, a sweep stops once its pairs are decided", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 16), b = w.sweep("b", 16), c = w.sweep("c", 16);
  const ComparePlan p = plan_compare(request_for({a, b, c}, w.root + "/cmp"));
  CHECK(p.setup.design.pairs == 3);
  FakeTrainer t;
  t.error_of = {{"a", interleaved}, {"b", high}, {"c", shifted}};
  const CompareOutcome out = run(p, t);
  REQUIRE(out.state.pairs.size() == 3);
  const auto& ab = out.state.pairs[0].outcome;
  const auto& ac = out.state.pairs[1].outcome;
  const auto& bc = out.state.pairs[2].outcome;
  CHECK(ab.status == SequentialStatus::decided);
  CHECK(bc.status == SequentialStatus::decided);
  CHECK(ac.status == SequentialStatus::undecided);
  CHECK(ab.design.pairs == 3);
  CHECK(trained_in(t, "a") == 16);
  CHECK(trained_in(t, "c") == 16);
  CHECK(trained_in(t, "b") == p.setup.design.looks[static_cast<size_t>(ab.decided_at - 1)]);
  CHECK(overall_status(out.state.pairs) == SequentialStatus::undecided);
  CHECK(decision_lines(out.state).size() == 3);
}

TEST_CASE("compare: --until max-n trains every sweep to max-n, the decision stays the first rejecting look",
          "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 12), b = w.sweep("b", 12);
  CompareRequest r = request_for({a, b}, w.root + "/cmp");
  r.until = "max-n";
  FakeTrainer t;
  t.error_of = {{"a", low}, {"b", high}};
  const CompareOutcome out = run(plan_compare(r), t);
  CHECK(trained_in(t, "a") == 12);
  CHECK(trained_in(t, "b") == 12);
  CHECK(out.state.pairs[0].outcome.decided_at == 1);
}

TEST_CASE("compare: trained prefixes stop at the first untrained id, failed models are NaN", "[compare]") {
  TempSweep s(6);
  for (int id : {0, 1, 3}) {
    TrainResult r;
    r.id = id;
    r.best_top1_err = r.final_top1_err = 20 + id;
    r.status = id == 1 ? RunStatus::failed : RunStatus::done;
    write_result(s.path, r);
  }
  const TrainedErrors e = trained_prefix(s.path, 6, ErrorMetric::best);
  REQUIRE(e.errors.size() == 2);
  CHECK(e.errors[0] == 20);
  CHECK(std::isnan(e.errors[1]));
  CHECK_FALSE(e.complete);
}

TEST_CASE("compare: bad input is one UserError and nothing is written", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 8), b = w.sweep("b", 8);
  const std::string out = w.root + "/cmp";
  auto refused = [&](CompareRequest r, const std::string& what) {
    CHECK_THROWS_WITH(plan_compare(r), Catch::Contains(what));
    CHECK_FALSE(fs::exists(out));
  };
  refused(request_for({a}, out), "1 sweep given: a comparison needs at least 2");
  refused(request_for({a, w.root + "/./a"}, out), "named twice");
  CompareRequest r = request_for({a, b}, out);
  r.alpha = 0.5;
  refused(r, "--alpha: 0.5 must be in (0, 0.5)");
  r = request_for({a, b}, out);
  r.looks = "6,4,8";
  refused(r, "4 after 6: looks must increase");
  r.looks = "4,x";
  refused(r, "--looks: 'x' is not a finite number");
  r.looks = "4,6";
  r.max_n = 8;
  refused(r, "the last look, 6, is not --max-n 8");
  r = request_for({a, b}, out);
  r.until = "forever";
  refused(r, "--until: 'forever'");
  r = request_for({a, b}, out);
  r.train.schedule = "no-such-schedule";
  refused(r, "--schedule");
  fs::create_directories(out);
  std::ofstream(out + "/compare.json.tmp.123") << "{\"format";   // a first write killed half-way
  CHECK_FALSE(plan_compare(request_for({a, b}, out)).resuming);  // is a fresh start
  std::ofstream(out + "/notes.txt") << "mine";
  CHECK_THROWS_WITH(plan_compare(request_for({a, b}, out)), Catch::Contains("is not a compare directory"));
  CHECK(fs::exists(out + "/notes.txt"));
}

TEST_CASE("compare: sweeps of different windows are refused, or compared with --force and a warning", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 8, {{"flops", {{"lo", 1}, {"hi", 2}}}});
  const auto b = w.sweep("b", 8, {{"flops", {{"lo", 1}, {"hi", 3}}}});
  CompareRequest r = request_for({a, b}, w.root + "/cmp");
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("window") && Catch::Contains("--force"));
  r.force = true;
  const ComparePlan p = plan_compare(r);
  REQUIRE(p.warnings.size() == 1);
  CHECK_THAT(p.warnings[0], Catch::Contains("not comparable"));
}

TEST_CASE("compare: results trained with another schedule are refused", "[compare]") {
  TempConfig config({"fashion-mnist-short", "other"});
  Workspace w;
  const auto a = w.sweep("a", 8), b = w.sweep("b", 8);
  TrainResult r0;
  r0.id = 0;
  nlohmann::json other = to_json(load_schedule(find_schedule("other")));
  other["epochs"] = 3;
  r0.provenance = {{"schedule", other}};
  write_result(b, r0);
  CHECK_THROWS_WITH(plan_compare(request_for({a, b}, w.root + "/cmp")),
                    Catch::Contains("000000.json: provenance.schedule: trained with 'other', not "));
  other["epochs"] = 1;  // the same recipe under another name is the same
  r0.provenance = {{"schedule", other}};
  write_result(b, r0);
  CHECK_NOTHROW(plan_compare(request_for({a, b}, w.root + "/cmp")));
}

TEST_CASE("compare: an existing compare directory is resumed only with the same design", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 12), b = w.sweep("b", 12);
  const std::string out = w.root + "/cmp";
  run_compare(plan_compare(request_for({a, b}, out)), {});  // evaluates, writes, trains nothing
  const std::string before = read_text_file(compare_json_path(out));
  CHECK(plan_compare(request_for({a, b}, out)).resuming);
  CompareRequest r = request_for({a, b}, out);
  r.alpha = 0.01;
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("holds another comparison (design.alpha"));
  r = request_for({b, a}, out);
  CHECK_THROWS_WITH(plan_compare(r), Catch::Contains("holds another comparison (sweeps)"));
  CHECK(read_text_file(compare_json_path(out)) == before);
  r.force = true;
  CHECK(plan_compare(r).warnings.back().find("replaced (--force)") != std::string::npos);
}

TEST_CASE("compare state: compare.json names the sweeps relative to it, analyze expands it", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 8), b = w.sweep("b", 8);
  const std::string out = w.root + "/deeper/cmp";
  const ComparePlan p = plan_compare(request_for({a, b}, out));
  run_compare(p, {});
  const auto setup = read_compare_setup(out);
  REQUIRE(setup);
  CHECK(to_json(setup->design) == to_json(p.setup.design));
  REQUIRE(setup->sweeps.size() == 2);
  CHECK(fs::equivalent(setup->sweeps[1].dir, b));
  CHECK(setup->sweeps[1].samples == 8);
  const auto dirs = expand_compare_dirs({out, a});
  REQUIRE(dirs.size() == 3);
  CHECK(fs::equivalent(dirs[0], a));
  CHECK(dirs[2] == a);
  CHECK(default_compare_dir({a, b}) == w.root + "/compare-a-b");
  CHECK(default_compare_dir({"a/", "b"}) == "./compare-a-b");
  nlohmann::json j = read_json_file(compare_json_path(out));
  j["format_version"] = 99;
  write_json_atomic(compare_json_path(out), j);
  CHECK_THROWS_WITH(read_compare_setup(out), Catch::Contains("format_version: 99 is newer"));
}

TEST_CASE("compare: a look's workers are shared by its sweeps", "[compare]") {
  using Waves = std::vector<std::vector<std::vector<std::string>>>;
  CHECK(share_workers(2, 2, {"cpu"}) == Waves{{{"cpu"}, {"cpu"}}});
  CHECK(share_workers(2, 1, {"cpu"}) == Waves{{{"cpu"}}, {{"cpu"}}});
  CHECK(share_workers(3, 2, {"cpu"}) == Waves{{{"cpu"}, {"cpu"}}, {{"cpu", "cpu"}}});
  CHECK(share_workers(2, 3, {"cuda:0", "cuda:1"}) == Waves{{{"cuda:0", "cuda:0"}, {"cuda:1"}}});
}

TEST_CASE("compare: a look's batch runs one train child per sweep with its share and its ids", "[compare]") {
  TempConfig config({"fashion-mnist-short"});
  Workspace w;
  const auto a = w.sweep("a", 6), b = w.sweep("b", 6), c = w.sweep("c", 6);
  // A stand-in for `regnet-explore train SWEEP --ids ... --jobs K`: logs its arguments and
  // writes a result for every id; for sweep "c" it fails as a train run with bad data would.
  const std::string exe = w.root + "/fake-train";
  std::ofstream(exe)
      << "#!/bin/sh\n"
         "echo \"$@\" >> " +
             w.root +
             "/calls.txt\n"
             "case \"$2\" in */c) exit 2;; esac\n"
             "ids=$(echo \"$@\" | sed 's/.*--ids \\([0-9-]*\\).*/\\1/')\n"
             "for i in $(seq 0 ${ids#0-}); do\n"
             "  printf '{\"id\": %d, \"status\": \"done\", \"best_top1_err\": 1, \"final_top1_err\": 1}' $i "
             "> \"$2/results/$(printf %06d $i).json\"\n"
             "done\n";
  fs::permissions(exe, fs::perms::owner_all);
  CompareRequest r = request_for({a, b}, w.root + "/cmp");
  r.train.jobs = 2;
  const ComparePlan p = plan_compare(r);
  BatchSettings s;
  s.executable = exe;
  s.show_progress = false;
  s.poll_seconds = 0.05;
  const BatchResult out = train_sweeps(batch_requests(p, LookBatch{1, 5, {0, 1}}), s);
  CHECK_FALSE(out.interrupted);
  CHECK(out.problems.empty());
  CHECK(trained_prefix(a, 6, ErrorMetric::best).errors.size() == 5);
  CHECK(trained_prefix(b, 6, ErrorMetric::best).errors.size() == 5);
  const std::string calls = read_text_file(w.root + "/calls.txt");
  CHECK_THAT(calls, Catch::Contains("train " + fs::absolute(a).lexically_normal().string()));
  CHECK_THAT(calls, Catch::Contains("--jobs 1 --threads 1 --devices auto"));
  CHECK_THAT(calls, Catch::Contains("--ids 0-4"));
  CHECK_THAT(calls, Catch::Contains(" --quiet\n"));
  // Nothing left in a and b: no child runs; c's child fails and says so.
  std::ofstream(w.root + "/calls.txt", std::ios::trunc);
  TrainingRequest tc = p.train;
  tc.sweep_dir = c;
  tc.ids = "0-2";
  const auto again = batch_requests(p, LookBatch{1, 5, {0, 1}});
  const BatchResult failed = train_sweeps({again[0], again[1], tc}, s);
  REQUIRE(failed.problems.size() == 1);
  CHECK_THAT(failed.problems[0], Catch::Contains("train c: worker 1 stopped with exit code 2"));
  CHECK(read_text_file(w.root + "/calls.txt").find("/a ") == std::string::npos);
}
