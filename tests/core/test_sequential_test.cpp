// The group-sequential KS comparison (docs/statistics.md): spending functions, the simulated
// boundaries against the exact fixed-n KS distribution, ties, unequal n, several pairs, and the
// type-I error under optional stopping measured on simulated null comparisons.
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/edf.hpp"
#include "core/stats/ks.hpp"
#include "core/stats/sequential_test.hpp"

using namespace regnet;

namespace {

double uniform(SplitMix64& rng) { return (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53; }

// Box-Muller; mean and sd in error percent.
double normal(SplitMix64& rng, double mean, double sd) {
  const double u = uniform(rng), v = uniform(rng);
  return mean + sd * std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
}

// n errors of a sweep; grid > 0 rounds them as top-1 errors on 100/grid test images do.
std::vector<double> errors(SplitMix64& rng, int n, double mean, double sd, double grid = 0) {
  std::vector<double> e;
  for (int i = 0; i < n; ++i) {
    const double x = normal(rng, mean, sd);
    e.push_back(grid > 0 ? std::round(x / grid) * grid : x);
  }
  return e;
}

// P_H0(D >= h/n) for two samples of n exactly: ks_two_sample of 0..n-1 against the same shifted by
// h - 1/2 (D = h/n there, and the exact p-value is this tail).
double exact_tail(int n, long h) {
  std::vector<double> a, b;
  for (int i = 0; i < n; ++i) {
    a.push_back(i);
    b.push_back(i + static_cast<double>(h) - 0.5);
  }
  return ks_two_sample(a, b).p_value;
}

struct Rates {
  double reject = 0, mean_trainings = 0;
};

// Runs `reps` sequential comparisons of fresh samples: a ~ N(30, 2), b ~ N(30 + shift * 2, 2).
Rates simulate(const SequentialDesign& d, int reps, double shift, double grid, std::uint64_t seed) {
  SplitMix64 rng(seed);
  const int n = d.looks.back();
  Rates r;
  for (int i = 0; i < reps; ++i) {
    const auto a = errors(rng, n, 30, 2, grid), b = errors(rng, n, 30 + 2 * shift, 2, grid);
    const SequentialOutcome o = sequential_ks(a, b, d);
    r.reject += o.status == SequentialStatus::decided;
    r.mean_trainings += 2.0 * o.looks.back().n;
  }
  r.reject /= reps;
  r.mean_trainings /= reps;
  return r;
}

double three_se(double alpha, int reps) { return 3 * std::sqrt(alpha * (1 - alpha) / reps); }

}  // namespace

TEST_CASE("sequential: Lan-DeMets spending functions", "[sequential]") {
  // 2 * scipy.stats.norm.sf(norm.ppf(1 - 0.05/2) / sqrt(t)), and 0.05 * log(1 + (e - 1) t)
  CHECK(spent_alpha(Spending::obrien_fleming, 0.05, 0.25) == Approx(8.85754383214038e-05).epsilon(1e-11));
  CHECK(spent_alpha(Spending::obrien_fleming, 0.05, 0.5) == Approx(0.005574596680784415).epsilon(1e-11));
  CHECK(spent_alpha(Spending::obrien_fleming, 0.05, 0.75) == Approx(0.023625121317601198).epsilon(1e-11));
  CHECK(spent_alpha(Spending::pocock, 0.05, 0.25) == Approx(0.01786870097543942).epsilon(1e-13));
  CHECK(spent_alpha(Spending::pocock, 0.05, 0.75) == Approx(0.04139944696214349).epsilon(1e-13));
  for (Spending s : {Spending::obrien_fleming, Spending::pocock}) {
    CHECK(spent_alpha(s, 0.05, 0) == 0.0);
    CHECK(spent_alpha(s, 0.05, 1) == 0.05);
    CHECK(spent_alpha(s, 0.05, 2) == 0.05);
    double before = 0;
    for (double t = 0.05; t <= 1; t += 0.05) {
      CHECK(spent_alpha(s, 0.05, t) > before);
      before = spent_alpha(s, 0.05, t);
    }
  }
  CHECK(spending_from_string("obf") == Spending::obrien_fleming);
  CHECK(spending_from_string("pocock") == Spending::pocock);
  CHECK(to_string(Spending::obrien_fleming) == "obrien-fleming");
  CHECK_THROWS_WITH(spending_from_string("linear", "--spending"),
                    Catch::Contains("'linear'") && Catch::Contains("obrien-fleming, pocock"));
}

TEST_CASE("sequential: default looks and design checks", "[sequential]") {
  // Pocock at 0.05 may spend 0.0119 at t = 5/32, and non-overlapping samples of 5 have
  // P_H0 = 2/252 = 0.0079 (of 4: 2/70 = 0.029 > 0.0097): the first look is at 5.
  CHECK(default_looks(32) == std::vector<int>{5, 8, 12, 16, 24, 32});
  CHECK(SequentialDesign{}.looks == default_looks(32));
  // At t = 6/100 Pocock spends 0.0049 >= 2/924 = 0.0022 (5 models: 0.0079 > 0.0041).
  CHECK(default_looks(100) == std::vector<int>{6, 8, 12, 16, 24, 32, 48, 64, 96, 100});
  CHECK(default_looks(40, Spending::pocock) == std::vector<int>{5, 8, 12, 16, 24, 32, 40});
  // O'Brien-Fleming spends 2.8e-5 at t = 7/32: nothing below 8 can reject.
  CHECK(default_looks(32, Spending::obrien_fleming) == std::vector<int>{8, 12, 16, 24, 32});
  CHECK(default_looks(5) == std::vector<int>{5});
  CHECK_THROWS_AS(default_looks(0), UserError);
  SequentialDesign d;
  d.looks = {8, 16, 12};
  CHECK_THROWS_WITH(validate(d), Catch::Contains("looks") && Catch::Contains("12 after 16"));
  d.looks = {0, 8};
  CHECK_THROWS_WITH(validate(d), Catch::Contains("looks") && Catch::Contains("look 1 at 0"));
  d.looks = {8, 16};
  d.alpha = 0.5;
  CHECK_THROWS_WITH(validate(d), Catch::Contains("alpha: 0.5 must be in (0, 0.5)"));
  d.alpha = 0;
  CHECK_THROWS_AS(validate(d), UserError);
  d.alpha = 0.05;
  d.pairs = 0;
  CHECK_THROWS_WITH(validate(d), Catch::Contains("pairs"));
  d.pairs = 1;
  d.simulations = 10;
  CHECK_THROWS_WITH(validate(d), Catch::Contains("simulations"));
  CHECK_THROWS_AS(sequential_ks(std::vector<double>{1, 2}, std::vector<double>{1, 2}, SequentialDesign{{}}), UserError);
}

TEST_CASE("sequential: one look is the exact fixed-n KS test", "[sequential]") {
  SequentialDesign d;
  d.looks = {20};
  const KsBoundary b = ks_boundaries(d, {{20, 20}}).at(0);
  CHECK(b.alpha_spent == 0.05);
  CHECK(b.lcm == 20);
  // The exact critical value: the smallest h with P(D >= h/20) <= alpha (margin aside).
  long exact = 1;
  while (exact_tail(20, exact) > 0.05) ++exact;
  CHECK((b.h_reject == exact || b.h_reject == exact + 1));
  // The simulated tail at the chosen boundary is the exact one within its Monte Carlo error.
  CHECK(std::abs(b.crossing - exact_tail(20, b.h_reject)) < 4 * b.mc_error + 1e-12);
  CHECK(b.crossing <= b.alpha_spent);
}

TEST_CASE("sequential: boundaries are deterministic, prefix-stable and within the spent alpha", "[sequential]") {
  SequentialDesign d;
  d.looks = {8, 12, 16, 24, 32};  // Pocock
  const std::vector<LookSize> sizes = {{8, 8}, {12, 12}, {16, 16}, {24, 24}, {32, 32}};
  const auto all = ks_boundaries(d, sizes);
  REQUIRE(all.size() == 5);
  const auto first = ks_boundaries(d, {sizes.begin(), sizes.begin() + 2});
  for (size_t k = 0; k < first.size(); ++k) CHECK(first[k].h_reject == all[k].h_reject);
  for (size_t k = 0; k < all.size(); ++k) {
    INFO("look " << k + 1);
    CHECK(all[k].t == Approx(d.looks[k] / 32.0));
    CHECK(all[k].crossing <= all[k].alpha_spent);
    CHECK(all[k].reachable());
    if (k > 0) CHECK(all[k].crossing >= all[k - 1].crossing);
  }
  CHECK(all.back().alpha_spent == 0.05);
  // Look 1 alone is a fixed-n test: its simulated rejection rate is the exact tail.
  CHECK(std::abs(all[0].crossing - exact_tail(8, all[0].h_reject)) < 4 * all[0].mc_error + 1e-12);
  // Pocock spends 0.0179 at t = 1/4, but P(D_8 >= 6/8) = 0.0186: look 1 needs D = 7/8.
  CHECK(all[0].h_reject == 7);
  // Another seed gives boundaries equal up to Monte Carlo noise (at most one lattice step).
  SequentialDesign other = d;
  other.seed = 7;
  const auto again = ks_boundaries(other, sizes);
  for (size_t k = 0; k < all.size(); ++k) CHECK(std::labs(again[k].h_reject - all[k].h_reject) <= 1);
  // O'Brien-Fleming keeps the early looks nearly closed: nothing at n = 8 can reject.
  SequentialDesign obf = d;
  obf.spending = Spending::obrien_fleming;
  const auto strict = ks_boundaries(obf, sizes);
  CHECK(!strict[0].reachable());
  CHECK(strict.back().d() <= all.back().d());
}

TEST_CASE("sequential: the KS statistic of tied errors never exceeds that of the tie-broken ones", "[sequential]") {
  // Pathwise, at every look: the basis of the claim that continuous boundaries stay valid with ties.
  SplitMix64 rng(11);
  for (int rep = 0; rep < 200; ++rep) {
    const auto a = errors(rng, 32, 30, 0.3, 0.05), b = errors(rng, 32, 30.1, 0.3, 0.05);
    auto ja = a, jb = b;  // ties broken by jitter far below the grid step
    for (double& v : ja) v += 1e-6 * uniform(rng);
    for (double& v : jb) v += 1e-6 * uniform(rng);
    SequentialDesign d;
    d.looks = {8, 16, 32};
    d.alpha = 0.49;  // evaluate every look
    d.spending = Spending::obrien_fleming;
    const auto tied = sequential_ks(a, b, d), broken = sequential_ks(ja, jb, d);
    for (size_t k = 0; k < std::min(tied.looks.size(), broken.looks.size()); ++k) {
      CHECK(tied.looks[k].d <= broken.looks[k].d);
      const int n = d.looks[k];
      const std::vector<double> pa(a.begin(), a.begin() + n), pb(b.begin(), b.begin() + n);
      CHECK(tied.looks[k].d == ks_two_sample(pa, pb).d);  // the same D as the fixed-n test
    }
  }
}

TEST_CASE("sequential: type-I error under optional stopping stays at alpha, and power under a shift", "[sequential]") {
  const int reps = 2000;
  for (Spending s : {Spending::pocock, Spending::obrien_fleming}) {
    SequentialDesign d;
    d.spending = s;
    for (double grid : {0.0, 0.05}) {
      // grid 0.05: top-1 errors on 2,000 images, sd 0.3 percentage points: 6 grid steps per sd.
      const double sd_scale = grid > 0 ? 0.15 : 1.0;
      SequentialDesign dd = d;
      SplitMix64 rng(grid > 0 ? 5 : 3);
      int rejected = 0;
      for (int i = 0; i < reps; ++i) {
        const auto a = errors(rng, 32, 30, 2 * sd_scale, grid), b = errors(rng, 32, 30, 2 * sd_scale, grid);
        rejected += sequential_ks(a, b, dd).status == SequentialStatus::decided;
      }
      const double rate = double(rejected) / reps;
      std::cout << "sequential KS, " << to_string(s) << (grid > 0 ? ", ties on a 0.05% grid" : ", continuous")
                << ": null rejection rate " << rate << " (alpha 0.05, " << reps << " comparisons)\n";
      CHECK(rate <= 0.05 + three_se(0.05, reps));
    }
    for (double shift : {0.5, 1.0, 2.56}) {
      const Rates r = simulate(d, 500, shift, 0, 17);
      std::cout << "  power at a shift of " << shift << " sd: " << r.reject << ", mean trainings " << r.mean_trainings
                << " of 64\n";
      if (shift > 2) CHECK(r.reject > 0.99);
    }
  }
}

namespace {

// a loses the models with ids 2, 9, 13 and 20 (NaN); b has only 26 samples and is complete.
double null_rate_unequal(const SequentialDesign& d, int reps, std::uint64_t seed, SequentialOutcome& last) {
  SplitMix64 rng(seed);
  int rejected = 0;
  for (int i = 0; i < reps; ++i) {
    TrainedErrors a{errors(rng, 32, 30, 2), false}, b{errors(rng, 26, 30, 2), true};
    for (int id : {2, 9, 13, 20}) a.errors[static_cast<size_t>(id)] = NAN;
    last = sequential_ks(a, b, d);
    rejected += last.status == SequentialStatus::decided;
  }
  return double(rejected) / reps;
}

}  // namespace

TEST_CASE("sequential: unequal n from failed models and a short sweep keeps alpha", "[sequential]") {
  SequentialDesign d;
  const int reps = 2000;
  SequentialOutcome last;
  const double rate = null_rate_unequal(d, reps, 23, last);
  std::cout << "sequential KS with failures and a short sweep: null rejection rate " << rate << "\n";
  CHECK(rate <= 0.05 + three_se(0.05, reps));
  if (last.status != SequentialStatus::decided) {
    REQUIRE(last.looks.size() == 6);  // at 5, 8, 12, 16, 24, 32
    CHECK(last.looks[0].size == LookSize{4, 5});
    CHECK(last.looks[1].size == LookSize{7, 8});
    CHECK(last.looks[4].size == LookSize{20, 24});
    CHECK(last.looks[5].size == LookSize{28, 26});
    CHECK(last.status == SequentialStatus::undecided);
  }
}

TEST_CASE("sequential: three sweeps share alpha over their pairs", "[sequential]") {
  SequentialDesign d;
  const int reps = 1000;
  SplitMix64 rng(29);
  int any = 0;
  for (int i = 0; i < reps; ++i) {
    std::vector<TrainedErrors> sweeps;
    for (int s = 0; s < 3; ++s) sweeps.push_back({errors(rng, 32, 30, 2), false});
    const auto pairs = sequential_ks_pairs(sweeps, d);
    REQUIRE(pairs.size() == 3);
    CHECK(pairs[0].outcome.design.pairs == 3);
    CHECK(all_settled(pairs));
    any += std::any_of(pairs.begin(), pairs.end(),
                       [](const PairOutcome& p) { return p.outcome.status == SequentialStatus::decided; });
  }
  const double rate = double(any) / reps;
  std::cout << "sequential KS, 3 sweeps: family-wise null rejection rate " << rate << "\n";
  CHECK(rate <= 0.05 + three_se(0.05, reps));
  CHECK_THROWS_AS(sequential_ks_pairs({{}}, d), UserError);
}

TEST_CASE("sequential: a clear difference is decided early, looks beyond the data wait", "[sequential]") {
  SplitMix64 rng(31);
  const auto good = errors(rng, 32, 25, 1), bad = errors(rng, 32, 32, 1);
  SequentialDesign d;
  const SequentialOutcome o = sequential_ks(good, bad, d);
  CHECK(o.status == SequentialStatus::decided);
  CHECK(o.decided_at <= 2);
  CHECK(o.looks.back().reject);
  CHECK(o.looks.back().direction == 1);
  CHECK(verdict(o, "RegNetX", "AnyNetXA").find("RegNetX has the lower errors") != std::string::npos);
  CHECK(sequential_ks(bad, good, d).looks.back().direction == -1);
  const auto j = to_json(o);
  CHECK(j["status"] == "decided");
  CHECK(j["looks"].size() == o.looks.size());
  CHECK(j["design"]["spending"] == "pocock");

  // 20 models each, looks up to 32: the looks at 24 and 32 are not reached yet.
  const auto a = errors(rng, 20, 30, 2), b = errors(rng, 20, 30, 2);
  const SequentialOutcome w = sequential_ks(a, b, d);
  if (w.status != SequentialStatus::decided) {
    CHECK(w.status == SequentialStatus::continuing);
    CHECK(w.looks.size() == 4);
    CHECK(verdict(w) == "continuing: look 5 needs 24 models per sweep (a has 20, b has 20)");
    // Both sweeps complete: the remaining looks use the 20 there are, and the last decides.
    const SequentialOutcome c = sequential_ks(TrainedErrors{a, true}, TrainedErrors{b, true}, d);
    if (c.status != SequentialStatus::decided) {
      CHECK(c.looks.size() == 6);
      CHECK(c.looks[5].size == LookSize{20, 20});
      CHECK(c.status == SequentialStatus::undecided);
      CHECK(verdict(c).rfind("undecided at n = 20: D = ", 0) == 0);
    }
  }
  // Not even the first look reached.
  const SequentialOutcome none = sequential_ks(std::vector<double>{1, 2}, std::vector<double>{3, 4}, d);
  CHECK(none.looks.empty());
  CHECK(verdict(none) == "continuing: look 1 needs 5 models per sweep (a has 2, b has 2)");
  // The table names each look's sizes, statistic, boundary and decision.
  const std::string table = looks_table(o);
  CHECK(table.find("boundary") != std::string::npos);
  CHECK(table.find("reject H0") != std::string::npos);
}

TEST_CASE("sequential: a larger null simulation of the type-I error", "[sequential][.slow]") {
  const int reps = 20000;
  for (Spending s : {Spending::pocock, Spending::obrien_fleming}) {
    SequentialDesign d;
    d.spending = s;
    const Rates r = simulate(d, reps, 0, 0.05, 41);
    std::cout << to_string(s) << ": null rejection rate " << r.reject << " over " << reps << "\n";
    CHECK(r.reject <= 0.05 + three_se(0.05, reps));
  }
  SequentialOutcome last;
  const double unequal = null_rate_unequal(SequentialDesign{}, reps, 43, last);
  std::cout << "pocock with failures and a short sweep: null rejection rate " << unequal << " over " << reps << "\n";
  CHECK(unequal <= 0.05 + three_se(0.05, reps));
}
