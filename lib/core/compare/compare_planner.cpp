#include "core/compare/compare_planner.hpp"

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/compare/compare_run.hpp"

namespace regnet {

namespace {

std::vector<double> pilot_errors(const CompareSweep& w, const TrainedErrors& e, int pilot) {
  if (pilot == 0) return e.errors;
  if (static_cast<int>(e.errors.size()) < pilot)
    fail(
        w.dir, "--pilot",
        fmt::format("{} has {} trained models in id order, fewer than the pilot's {}", w.name, e.errors.size(), pilot));
  return {e.errors.begin(), e.errors.begin() + pilot};
}

}  // namespace

CompareForecast forecast_compare(const CompareSetup& setup, int pilot, int reps, std::uint64_t seed) {
  if (setup.margin <= 0) fail("", "--plan", "needs --margin: the planner predicts the three outcomes");
  if (pilot < 0 || pilot > 10000) fail("", "--pilot", std::to_string(pilot) + " must be in 1..10000 (0: all trained)");
  if (reps < 100 || reps > 1000000) fail("", "--plan-reps", std::to_string(reps) + " must be in 100..10^6");
  std::vector<std::vector<double>> errors;
  for (const CompareSweep& w : setup.sweeps)
    errors.push_back(pilot_errors(w, trained_prefix(w.dir, w.samples, setup.metric), pilot));
  const std::vector<PairQuestion> pairs =
      pair_questions(static_cast<int>(setup.sweeps.size()), setup.margin, setup.candidate);
  SequentialDesign d = setup.design;
  d.pairs = static_cast<int>(pairs.size());
  CompareForecast f;
  f.pilot = pilot;
  f.reps = reps;
  for (const PairQuestion& p : pairs) {
    const std::string& a = setup.sweeps[static_cast<size_t>(p.a)].name;
    const std::string& b = setup.sweeps[static_cast<size_t>(p.b)].name;
    try {
      f.pairs.push_back({p.a, p.b, p.question,
                         plan_three_way(errors[static_cast<size_t>(p.a)], errors[static_cast<size_t>(p.b)], d,
                                        p.question, reps, seed)});
    } catch (const UserError& e) {
      fail("", "--plan", a + " vs " + b + ": " + e.what());
    }
  }
  return f;
}

std::string forecast_text(const CompareForecast& f, const CompareSetup& setup) {
  std::string out;
  const SequentialDesign& d = setup.design;
  for (const PairPlan& p : f.pairs) {
    const std::string& a = setup.sweeps[static_cast<size_t>(p.a)].name;
    const std::string& b = setup.sweeps[static_cast<size_t>(p.b)].name;
    const ThreeWayPlan& t = p.plan;
    const std::string question = p.question.non_inferior == 0 ? "different or equivalent"
                                                              : (p.question.non_inferior > 0 ? a : b) + " non-inferior";
    out += fmt::format(
        "{} vs {} ({}, margin {}): pilot of {} and {} models, shift {} ({} - {}), spread {} (sd) / {} (IQR/1.349): "
        "{} the margin; max-n {}, alpha {} per pair; {} simulated comparisons per row; trainings count both "
        "sweeps\n",
        a, b, question, shortest(setup.margin), t.pilot_a, t.pilot_b, fixed(t.pilot_shift, 2), a, b,
        fixed(t.spread_sd, 2), fixed(t.spread_iqr, 2), fixed(t.spread_sd / setup.margin, 2) + "x", d.looks.back(),
        significant(pair_alpha(d), 3), f.reps);
    out += plan_table(t, p.question) + "\n";
  }
  return out;
}

nlohmann::json to_json(const CompareForecast& f, const CompareSetup& setup) {
  nlohmann::json pairs = nlohmann::json::array();
  for (const PairPlan& p : f.pairs) {
    nlohmann::json j = to_json(p.plan);
    j["a"] = setup.sweeps[static_cast<size_t>(p.a)].name;
    j["b"] = setup.sweeps[static_cast<size_t>(p.b)].name;
    j["question"] = to_json(p.question);
    pairs.push_back(j);
  }
  nlohmann::json design = to_json(setup.design);
  design["margin"] = setup.margin;
  return {{"command", "compare --plan"}, {"pilot", f.pilot}, {"reps", f.reps}, {"design", design}, {"pairs", pairs}};
}

}  // namespace regnet
