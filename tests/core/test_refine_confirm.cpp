// refine --confirm (core/refine/confirmation.hpp) with a trainer whose truth is known
// (simulated_trainer.hpp): a helpful tie is adopted as better, a neutral one as equivalent, a harmful
// order refused; a run stopped at any batch resumes, trains nothing twice and decides the same; the
// refined space is an ordinary space file; and over simulated refinements the false claims stay
// within alpha (the benchmark, scripts/bench-refine.sh, runs 200 and more).
#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>

#include "conditional_draws.hpp"
#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/refine/refine_record.hpp"
#include "core/space/restriction.hpp"
#include "simulated_refinement.hpp"
#include "temp_dir.hpp"
#include "test_sweep_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

namespace {

// The space before REGNET_CONFIG_DIR points at a folder of schedules only.
const DesignSpace& anynetxa() {
  static const DesignSpace s = load_space("AnyNetXA");
  return s;
}

const CandidateDecision& decision(const Refinement& r, const std::string& id) {
  for (const auto& c : r.steps.at(0).candidates)
    if (c.id == id) return c;
  FAIL("no candidate " << id);
  throw 0;
}

std::vector<std::string> adopted_ids(const Refinement& r) {
  std::vector<std::string> out;
  for (const auto& st : r.steps) out.insert(out.end(), st.adopted.begin(), st.adopted.end());
  return out;
}

}  // namespace

TEST_CASE("refine confirm: a helpful tie is better, a neutral one equivalent, a harmful order worse", "[refine]") {
  const DesignSpace space = anynetxa();
  TempConfig config({"fashion-mnist-short"});
  test::TempDir w;
  SimulatedTrainer t;
  const std::string sweep = trained_sweep(w / "xa", space, 48, 1, t);
  const Refinement r = run_refinement(simulated_request(sweep, w / "refine"), t.seam());
  INFO(to_text(r));
  CHECK(r.status == "done");
  REQUIRE(r.steps.size() == 1);
  const RefineStep& st = r.steps[0];
  REQUIRE(st.candidates.size() == 3);
  CHECK(st.pair_alpha == Approx(0.05 / 3));
  CHECK(decision(r, kHelpful[0]).adoption == Adoption::better);
  CHECK(decision(r, kNeutral[0]).adoption == Adoption::equivalent);
  CHECK(decision(r, kHarmful[0]).adoption == Adoption::worse);
  CHECK(st.adopted == std::vector<std::string>{kHelpful[0], kNeutral[0]});
  // The clear decisions stop before max-n; the parent trains as far as the longest comparison; every
  // training is counted once.
  CHECK(decision(r, kHelpful[0]).trained < 64);
  CHECK(decision(r, kHarmful[0]).trained < 64);
  int longest = 0;
  for (const auto& c : st.candidates) longest = std::max(longest, c.n);
  CHECK(st.parent_trained == longest);
  CHECK(t.trained_twice() == 0);
  CHECK(r.trainings == t.trainings - 48);
  CHECK(st.trainings == r.trainings);
  // The refined space: the parent with both ties, a file that samples as any other.
  const DesignSpace refined = load_space(st.refined_space_file);
  CHECK(refined.name == "AnyNetXA-r1");
  REQUIRE(refined.restrictions.size() == 2);
  CHECK(refined.restrictions[0].kind == RestrictionKind::tie);
  CHECK(refined.restrictions[0].quantity == "bottleneck_ratio");
  CHECK(refined.restrictions[1].quantity == "group_width");
  SampleOptions so;
  so.n = 50;
  so.threads = 1;
  for (const auto& m : sample_space(refined, so).samples)  // the draws tie (the spec's g may be cut to w_b)
    for (const char* p : {"bottleneck_ratio", "group_width"})
      for (const auto& x : m.draw[p]) CHECK(x == m.draw[p][0]);
  // The record and the text.
  const nlohmann::json j = read_json_file(refine_json_path(w / "refine"));
  CHECK(j["status"] == "done");
  CHECK(j["paper_trainings"] == 500);
  CHECK(j["steps"][0]["candidates"][0]["adoption"] == "better");
  CHECK(j["steps"][0]["refined_space_file"] == "step-1/refined-space.json");
  CHECK(j["steps"][0]["candidates"][0]["sweep"] == "step-1/01-tie-bottleneck_ratio");
  const std::string text = to_text(r);
  CHECK(text.find("adopted: tie-bottleneck_ratio, tie-group_width -> AnyNetXA-r1") != std::string::npos);
  CHECK(text.find("refine: done: 1 step, ") != std::string::npos);
  // Run again: everything is there, nothing is trained, the same record.
  const int before = t.trainings;
  const Refinement again = run_refinement(simulated_request(sweep, w / "refine"), t.seam());
  CHECK(t.trainings == before);
  CHECK(adopted_ids(again) == adopted_ids(r));
  CHECK(again.trainings == r.trainings);
}

TEST_CASE("refine confirm: the refined space file samples its parent conditioned on what was adopted", "[refine]") {
  const DesignSpace space = anynetxa();
  TempConfig config({"fashion-mnist-short"});
  test::TempDir w;
  SimulatedTrainer t;
  const std::string sweep = trained_sweep(w / "xa", space, 48, 2, t);
  ConfirmRequest req = simulated_request(sweep, w / "refine");
  req.proposals = {kHelpful[0]};
  req.candidates = 1;
  const Refinement r = run_refinement(req, t.seam());
  REQUIRE(r.steps.at(0).adopted == std::vector<std::string>{kHelpful[0]});
  const DesignSpace refined = load_space(r.steps[0].refined_space_file);  // the file refine wrote
  check_same_distribution(draw_both(space, refined, 60000, 3000));
}

TEST_CASE("refine confirm: stopped at any batch and resumed, it trains nothing twice and decides the same",
          "[refine]") {
  const DesignSpace space = anynetxa();
  TempConfig config({"fashion-mnist-short"});
  test::TempDir w;
  SimulatedTrainer base;
  const std::string sweep = trained_sweep(w / "xa", space, 48, 3, base);
  SimulatedTrainer whole;
  const Refinement reference = run_refinement(simulated_request(sweep, w / "whole"), whole.seam());
  REQUIRE(reference.status == "done");
  for (int every : {1, 5, 13, 40}) {
    SimulatedTrainer t;
    const std::string out = w / ("stopped-" + std::to_string(every));
    Refinement r;
    int runs = 0;
    do {
      t.stop_after = t.trainings + every;
      r = run_refinement(simulated_request(sweep, out), t.seam());
      ++runs;
      if (r.interrupted) CHECK(r.status == "interrupted");
    } while (r.interrupted && runs < 500);
    INFO("stopped every " << every << " trainings, " << runs << " runs");
    CHECK(r.status == "done");
    CHECK(runs > 1);
    CHECK(t.trained_twice() == 0);
    CHECK(t.trainings == whole.trainings);
    CHECK(r.trainings == reference.trainings);
    CHECK(adopted_ids(r) == adopted_ids(reference));
  }
}

TEST_CASE("refine confirm: --no-train waits, another request is refused, bad requests are one line", "[refine]") {
  const DesignSpace space = anynetxa();
  TempConfig config({"fashion-mnist-short"});
  test::TempDir w;
  SimulatedTrainer t;
  const std::string sweep = trained_sweep(w / "xa", space, 24, 5, t);
  const Refinement waiting = run_refinement(simulated_request(sweep, w / "refine"), {});
  CHECK(waiting.status == "waiting");
  CHECK(waiting.trainings == 0);
  CHECK(load_results(w / "refine/step-1/parent").empty());
  ConfirmRequest other = simulated_request(sweep, w / "refine");
  other.margin = 0.5;
  CHECK_THROWS_WITH(run_refinement(other, t.seam()), Catch::Contains("request.margin: 1.0 (asked: 0.5)"));
  ConfirmRequest unknown = simulated_request(sweep, w / "unknown");
  unknown.proposals = {"tie-nothing"};
  unknown.candidates = 1;
  CHECK_THROWS_WITH(run_refinement(unknown, t.seam()), Catch::Contains("--proposals: tie-nothing: not among"));
  ConfirmRequest bad = simulated_request(sweep, w / "bad");
  bad.candidates = 2;
  CHECK_THROWS_WITH(run_refinement(bad, t.seam()), Catch::Contains("--confirm: 2 differs from the 3 proposals"));
  bad = simulated_request(sweep, w / "bad");
  bad.steps = 0;
  CHECK_THROWS_WITH(run_refinement(bad, t.seam()), Catch::Contains("--steps: 0 must be in [1, 20]"));
  CHECK_FALSE(std::filesystem::exists(w / "bad"));
  std::filesystem::create_directories(w / "full");
  std::ofstream(w / "full/x") << "x";
  CHECK_THROWS_WITH(run_refinement(simulated_request(sweep, w / "full"), t.seam()),
                    Catch::Contains("holds no refinement"));
}

TEST_CASE("refine confirm: two steps from the top proposals, each exploring a fresh sweep", "[refine]") {
  const DesignSpace space = anynetxa();
  TempConfig config({"fashion-mnist-short"});
  test::TempDir w;
  SimulatedTrainer t;
  const std::string sweep = trained_sweep(w / "xa", space, 64, 7, t);
  ConfirmRequest req = simulated_request(sweep, w / "refine");
  req.proposals.clear();
  req.candidates = 2;
  req.steps = 2;
  req.explore_n = 40;
  const Refinement r = run_refinement(req, t.seam());
  REQUIRE_FALSE(r.steps.empty());
  INFO(to_text(r));
  CHECK(t.trained_twice() == 0);
  if (r.steps.size() == 2) {
    CHECK(r.status == "done");
    CHECK(r.steps[1].explored == w / "refine/step-2/explore");
    CHECK(load_results(w / "refine/step-2/explore").size() == 40);
    const DesignSpace r1 = load_space(r.steps[0].refined_space_file), r2 = load_space(r.steps[1].refined_space_file);
    CHECK(r2.name == "AnyNetXA-r2");
    CHECK(r2.restrictions.size() + r2.constraints.size() >= r1.restrictions.size() + r1.constraints.size());
    CHECK(r.trainings == t.trainings - 64);
  } else {
    CHECK(r.status == "stopped");
    CHECK(r.steps[0].adopted.empty());
  }
}

TEST_CASE("refine confirm: over simulated refinements a false claim stays within alpha", "[refine]") {
  const DesignSpace space = anynetxa();
  // The truth of the three proposals, measured: the helpful one beyond -margin, the neutral near 0,
  // the harmful one beyond +margin.
  SimulatedTruth truth;
  auto child = [&](const std::string& id) {
    DesignSpace c = space;
    if (id == kHarmful[0])
      c.constraints.push_back(MonotonicConstraint{"width", Order::non_increasing});
    else
      c.restrictions.push_back(Restriction{RestrictionKind::tie, id.substr(4), -INFINITY, INFINITY, {}});
    return c;
  };
  const double helpful = true_shift(space, child(kHelpful[0]), truth, 3000);
  const double neutral = true_shift(space, child(kNeutral[0]), truth, 3000);
  const double harmful = true_shift(space, child(kHarmful[0]), truth, 3000);
  WARN("true shifts: helpful " << helpful << ", neutral " << neutral << ", harmful " << harmful);
  CHECK(helpful < -1.0);
  CHECK(std::abs(neutral) < 0.1);
  CHECK(harmful > 1.0);
  TempConfig config({"fashion-mnist-short"});
  test::TempDir w;
  const char* env = std::getenv("REGNET_REFINE_RUNS");
  const int runs = env ? std::atoi(env) : 12;
  const SimulationCounts c = simulate_refinements(space, w.path.string(), runs);
  WARN(runs << " refinements in " << c.seconds << " s: helpful adopted " << c.helpful_adopted << " (better "
            << c.helpful_better << "), neutral equivalent " << c.neutral_equivalent << " (better " << c.neutral_better
            << ", worse " << c.neutral_worse << "), harmful adopted " << c.harmful_adopted << ", a false claim in "
            << c.any_false_claim << "; " << c.trainings << " trainings");
  CHECK(c.trained_twice == 0);
  CHECK(c.any_false_claim <= rate_limit(0.05, runs) * runs);
  CHECK(c.harmful_adopted <= rate_limit(0.05, runs) * runs);
  CHECK(c.helpful_adopted >= runs * 3 / 4);
}
