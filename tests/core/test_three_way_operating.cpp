// The planner (`compare --plan`, plan_three_way) against what the design then spends: pilots drawn
// from a population are planned, and the same population's comparisons simulated.
#include <catch2/catch.hpp>
#include <cmath>
#include <iostream>

#include "core/stats/three_way_operating.hpp"

using namespace regnet;

namespace {

struct Spend {
  double trainings = 0, equivalent = 0, different = 0;
};

Spend spend_of(const OperatingPoint& p) {
  return {p.mean_trainings, p.equivalent, p.different_a_lower + p.different_b_lower};
}

// The planner's rows "equal" (0) and "at the margin" (1), averaged over `pilots` pilots of k
// models per sweep drawn from `draw`.
std::vector<Spend> mean_prediction(const ErrorDraw& draw, int k, int pilots, std::uint64_t seed) {
  const SequentialDesign d;
  SplitMix64 rng(seed);
  std::vector<Spend> mean(2);
  for (int i = 0; i < pilots; ++i) {
    const std::vector<double> a = draw(rng, k), b = draw(rng, k);
    const ThreeWayPlan plan = plan_three_way(a, b, d, ThreeWayQuestion{1.0, 0}, 300, seed + 1 + i);
    for (size_t r = 0; r < 2; ++r) {
      const Spend s = spend_of(plan.rows[r].point);
      mean[r].trainings += s.trainings / pilots;
      mean[r].equivalent += s.equivalent / pilots;
      mean[r].different += s.different / pilots;
    }
  }
  return mean;
}

}  // namespace

// Averaged over 60 pilots the planner is within 15% (or 2 trainings) of the mean trainings the
// comparison spends, and within 0.05 of the outcomes' probabilities, for equal spaces and a true
// shift at the margin. One pilot's prediction varies by its spread's error (8 models: sd of the
// prediction 5 to 11 trainings here).
TEST_CASE("three-way planner: the predicted trainings are what the design then spends", "[three_way]") {
  struct Case {
    const char* name;
    ErrorDraw draw;
  };
  const std::vector<Case> cases = {{"normal, sd 0.5", normal_population(25, 0.5)},
                                   {"normal, sd 1", normal_population(25, 1.0)},
                                   {"gamma(2), sd 1, 0.05 grid", gamma_population(25, 1.0, 2, 0.05)}};
  const SequentialDesign d;
  const ThreeWayQuestion two{1.0, 0};
  std::uint64_t seed = 40;
  for (const Case& c : cases)
    for (int k : {8, 16}) {
      const std::vector<Spend> predicted = mean_prediction(c.draw, k, 60, seed += 100);
      for (size_t r = 0; r < 2; ++r) {
        const double shift = r == 0 ? 0 : 1.0;
        const Spend actual = spend_of(simulate_operating(shifted(c.draw, shift), c.draw, d, two, 4000, ++seed));
        const Spend& p = predicted[r];
        std::cout << "planner, " << c.name << ", pilot " << k << ", shift " << shift << ": predicted " << p.trainings
                  << " trainings (equivalent " << p.equivalent << ", different " << p.different << "), spent "
                  << actual.trainings << " (equivalent " << actual.equivalent << ", different " << actual.different
                  << ")\n";
        INFO(c.name << ", pilot " << k << ", shift " << shift);
        CHECK(std::abs(p.trainings - actual.trainings) <= std::max(0.15 * actual.trainings, 2.0));
        CHECK(std::abs(p.equivalent - actual.equivalent) <= 0.05);
        CHECK(std::abs(p.different - actual.different) <= 0.05);
      }
    }
}
