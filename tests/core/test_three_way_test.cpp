// The three-outcome sequential comparison: its verdicts, and the rate of each wrong claim
// measured on simulated comparisons (each at most alpha + 3 standard errors): "different" when
// the spaces are equal, "equivalent" and "non-inferior" when the true shift is exactly at the
// margin, in both directions; on normal, skewed (gamma) and recorded errors (resampled),
// continuous and on the 0.05% grid of a 2,000-image test set, and over the pairs of 3 sweeps.
#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include "core/base/error.hpp"
#include "core/base/parallel.hpp"
#include "core/stats/three_way_operating.hpp"
#include "test_paths.hpp"

using namespace regnet;

namespace {

double three_se(double alpha, int reps) { return 3 * std::sqrt(alpha * (1 - alpha) / reps); }

// The recorded errors of one sweep of tests/data/anynetxa_vs_regnetx_errors.csv.
std::vector<double> recorded(const std::string& sweep) {
  std::ifstream in(std::string(REGNET_TEST_DATA) + "/anynetxa_vs_regnetx_errors.csv");
  std::vector<double> out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(sweep + ",", 0) != 0) continue;
    out.push_back(std::stod(line.substr(line.rfind(',') + 1)));
  }
  return out;
}

struct Population {
  std::string name;
  ErrorDraw draw;
  double margin;
  bool equivalence_reachable = true;  // by max-n 32, for equal spaces, most of the time
};

// Spread about half the margin, so that equivalence is reachable and the rates mean something;
// spread = margin, where the equivalence claims at the margin come closer to alpha; and spread 3x
// the margin, where equal spaces are rarely called equivalent and the "different" rate nears alpha.
std::vector<Population> populations() {
  return {{"normal, continuous", normal_population(30, 0.5), 1.0},
          {"normal, spread = margin", normal_population(30, 1.0), 1.0, false},
          {"normal, spread 3x margin", normal_population(30, 3.0), 1.0, false},
          {"normal, 0.05 grid", normal_population(30, 0.3, 0.05), 0.6},
          {"gamma(2), continuous", gamma_population(30, 0.5, 2), 1.0},
          {"gamma(2), 0.05 grid", gamma_population(30, 0.3, 2, 0.05), 0.6},
          {"recorded RegNetX, resampled (ties)", resampled_population(recorded("RegNetX")), 1.0}};
}

}  // namespace

TEST_CASE("three-way: verdicts name the outcome, the look, the test and the interval", "[three_way]") {
  SequentialDesign d;
  SplitMix64 rng(5);
  const ErrorDraw tight = normal_population(30, 0.1);
  const auto a = tight(rng, 32), b = tight(rng, 32);
  const ThreeWayOutcome eq = three_way_test(TrainedErrors{a, false}, TrainedErrors{b, false}, d, {1.0, 0});
  CHECK(eq.status == ThreeWayStatus::equivalent);
  CHECK(verdict(eq, "AnyNetXB", "AnyNetXA").rfind("equivalent within 1.0 at look 1 (n = 5): shift ", 0) == 0);
  CHECK(eq.looks.back().ci_equivalence.lower > -1);
  CHECK(eq.looks.back().ci_equivalence.upper < 1);
  std::vector<double> worse = b;
  for (double& v : worse) v += 5;
  const ThreeWayOutcome diff = three_way_test(TrainedErrors{a, false}, TrainedErrors{worse, false}, d, {1.0, 0});
  CHECK(diff.status == ThreeWayStatus::different);
  CHECK(decided_by(diff.looks.back()) == "KS and interval");
  CHECK(verdict(diff, "x", "y")
            .rfind("different at look 1 (n = 5): x has the lower errors (the interval excludes 0, "
                   "KS D = 1.000 >= 1.000): shift -5.",
                   0) == 0);
  // One-sided: is b no worse than a by 1 point or more?
  std::vector<double> slightly = b;
  for (double& v : slightly) v += 0.05;
  const ThreeWayOutcome ni = three_way_test(TrainedErrors{a, false}, TrainedErrors{slightly, false}, d, {1.0, -1});
  CHECK(ni.status == ThreeWayStatus::non_inferior);
  CHECK(verdict(ni, "A", "B").find("B's errors are at most") != std::string::npos);
  // Undecided at max-n: wide spread, margin small.
  const ErrorDraw wide = normal_population(30, 3);
  const auto c = wide(rng, 12), e = wide(rng, 12);
  SequentialDesign short_design;
  short_design.looks = {8, 12};
  const ThreeWayOutcome und = three_way_test(TrainedErrors{c, false}, TrainedErrors{e, false}, short_design, {0.5, 0});
  if (und.status == ThreeWayStatus::undecided) CHECK(verdict(und).rfind("undecided at n = 12: shift ", 0) == 0);
  // Not reached yet.
  const ThreeWayOutcome cont = three_way_test(TrainedErrors{{1, 2}, false}, TrainedErrors{{1, 2}, false}, d, {1.0, 0});
  CHECK(verdict(cont) == "continuing: look 1 needs 5 models per sweep (a has 2, b has 2)");
  const auto j = to_json(diff);
  CHECK(j["status"] == "different");
  CHECK(j["decided_by"] == "KS and interval");
  CHECK(j["looks"][0]["interval_equivalence"].size() == 2);
  CHECK(three_way_table(diff).find("different (KS and interval)") != std::string::npos);
  CHECK_THROWS_WITH(three_way_test(TrainedErrors{a, false}, TrainedErrors{b, false}, d, {0, 0}),
                    Catch::Contains("margin: 0 must be in (0, 100]"));
  CHECK_THROWS_AS(three_way_test(TrainedErrors{a, false}, TrainedErrors{b, false}, d, {101, 0}), UserError);
}

TEST_CASE("three-way: every wrong claim stays at alpha, on normal, skewed and recorded errors, with ties",
          "[three_way]") {
  SequentialDesign d;  // alpha 0.05, Pocock, looks 5, 8, 12, 16, 24, 32
  const int reps = 6000;
  const double bound = 0.05 + three_se(0.05, reps);
  std::uint64_t seed = 100;
  for (const Population& p : populations()) {
    const double m = p.margin;
    const ThreeWayQuestion two{m, 0}, a_candidate{m, 1}, b_candidate{m, -1};
    const OperatingPoint equal = simulate_operating(p.draw, p.draw, d, two, reps, ++seed);
    const OperatingPoint above = simulate_operating(shifted(p.draw, m), p.draw, d, two, reps, ++seed);
    const OperatingPoint below = simulate_operating(shifted(p.draw, -m), p.draw, d, two, reps, ++seed);
    const OperatingPoint ni_a = simulate_operating(shifted(p.draw, m), p.draw, d, a_candidate, reps, ++seed);
    const OperatingPoint ni_b = simulate_operating(shifted(p.draw, -m), p.draw, d, b_candidate, reps, ++seed);
    const double different = equal.different_a_lower + equal.different_b_lower;
    std::cout << "three-way, " << p.name << ", margin " << m << ": different when equal " << different
              << "; equivalent at +margin " << above.equivalent << ", at -margin " << below.equivalent
              << "; non-inferior at the margin " << ni_a.non_inferior << " (a), " << ni_b.non_inferior
              << " (b); equal spaces: equivalent " << equal.equivalent << " in " << equal.mean_trainings
              << " trainings of 64 (" << reps << " comparisons each)\n";
    INFO(p.name);
    CHECK(different <= bound);
    CHECK(above.equivalent <= bound);
    CHECK(below.equivalent <= bound);
    CHECK(ni_a.non_inferior <= bound);
    CHECK(ni_b.non_inferior <= bound);
    CHECK(false_claims(equal, two, 0) == Approx(different));
    if (p.equivalence_reachable)
      CHECK(equal.equivalent > 0.5);  // the design has power where it matters: these rates are not vacuous
  }
}

namespace {

// Fraction of comparisons of 3 sweeps (errors + shifts[i]) where `wrong` holds for some pair.
double family_rate(const std::vector<double>& shifts, double margin, int candidate, int reps, std::uint64_t seed,
                   const std::function<bool(const ThreeWayPair&, const std::vector<double>&)>& wrong) {
  const ErrorDraw draw = normal_population(30, 0.5);
  constexpr int kChunks = 16;
  std::vector<int> hits(kChunks, 0);
  std::vector<std::function<void()>> tasks;
  for (int c = 0; c < kChunks; ++c)
    tasks.push_back([&, c] {
      SplitMix64 rng(seed * 1000 + static_cast<std::uint64_t>(c));
      for (int r = c; r < reps; r += kChunks) {
        std::vector<TrainedErrors> sweeps;
        for (double s : shifts) sweeps.push_back({shifted(draw, s)(rng, 32), false});
        const auto pairs = three_way_pairs(sweeps, SequentialDesign{}, margin, candidate);
        hits[static_cast<size_t>(c)] +=
            std::any_of(pairs.begin(), pairs.end(), [&](const ThreeWayPair& p) { return wrong(p, shifts); });
      }
    });
  run_parallel(tasks, 0);
  double total = 0;
  for (int h : hits) total += h;
  return total / reps;
}

}  // namespace

TEST_CASE("three-way: three sweeps keep the family-wise rate of each wrong claim", "[three_way]") {
  const int reps = 3000;
  const double bound = 0.05 + three_se(0.05, reps);
  // Equal spaces: any "different".
  const double different = family_rate({0, 0, 0}, 1.0, -1, reps, 1, [](const ThreeWayPair& p, const auto&) {
    return p.outcome.status == ThreeWayStatus::different;
  });
  // Shifts 0, 1, 2 with margin 1: no pair is inside the margin; any "equivalent".
  const double equivalent = family_rate({0, 1, 2}, 1.0, -1, reps, 2, [](const ThreeWayPair& p, const auto&) {
    return p.outcome.status == ThreeWayStatus::equivalent;
  });
  // Candidate sweep 1 is worse than 0 and 2 by exactly the margin: any "non-inferior".
  const double non_inferior = family_rate({0, 1, 0}, 1.0, 1, reps, 3, [](const ThreeWayPair& p, const auto&) {
    return p.outcome.status == ThreeWayStatus::non_inferior;
  });
  std::cout << "three-way, 3 sweeps (" << reps << " comparisons each): family-wise different when equal " << different
            << ", equivalent at the margin " << equivalent << ", non-inferior at the margin " << non_inferior << "\n";
  CHECK(different <= bound);
  CHECK(equivalent <= bound);
  CHECK(non_inferior <= bound);
  SplitMix64 rng(4);
  const ErrorDraw draw = normal_population(30, 0.5);
  const auto pairs = three_way_pairs({{draw(rng, 32), false}, {draw(rng, 32), false}, {draw(rng, 32), false}},
                                     SequentialDesign{}, 1.0, 1);
  REQUIRE(pairs.size() == 2);  // the candidate against each other sweep
  CHECK(pairs[0].outcome.design.pairs == 2);
  CHECK(pairs[0].outcome.question.non_inferior == -1);  // (0, 1): the candidate is b
  CHECK(pairs[1].outcome.question.non_inferior == 1);   // (1, 2): the candidate is a
}

TEST_CASE("three-way: failed models and a short sweep keep the rates", "[three_way]") {
  // a loses ids 2, 9, 13, 20; b has 26 samples and is complete: the critical values are
  // simulated for the sizes the looks have.
  const int reps = 3000;
  SplitMix64 rng(61);
  const ErrorDraw draw = normal_population(30, 0.5);
  int different = 0, equivalent_at_margin = 0;
  ThreeWayOutcome last;
  for (int i = 0; i < reps; ++i) {
    for (double shift : {0.0, 1.0}) {
      TrainedErrors a{shifted(draw, shift)(rng, 32), false}, b{draw(rng, 26), true};
      for (int id : {2, 9, 13, 20}) a.errors[static_cast<size_t>(id)] = NAN;
      last = three_way_test(a, b, SequentialDesign{}, {1.0, 0});
      if (shift == 0)
        different += last.status == ThreeWayStatus::different;
      else
        equivalent_at_margin += last.status == ThreeWayStatus::equivalent;
    }
  }
  std::cout << "three-way with failures and a short sweep: different when equal " << double(different) / reps
            << ", equivalent at the margin " << double(equivalent_at_margin) / reps << "\n";
  CHECK(double(different) / reps <= 0.05 + three_se(0.05, reps));
  CHECK(double(equivalent_at_margin) / reps <= 0.05 + three_se(0.05, reps));
}
