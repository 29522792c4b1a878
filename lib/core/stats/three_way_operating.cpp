#include "core/stats/three_way_operating.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/base/error.hpp"
#include "core/base/parallel.hpp"
#include "core/base/text.hpp"
#include "core/stats/edf.hpp"

namespace regnet {

namespace {

constexpr int kStatuses = 5;
constexpr int kChunks = 32;  // fixed, so the draws do not depend on the thread count

double uniform_open(SplitMix64& rng) { return (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53; }

double on_grid(double x, double grid) { return grid > 0 ? std::round(x / grid) * grid : x; }

// Sums over comparisons, merged over chunks.
struct Tally {
  double count[kStatuses] = {}, trainings[kStatuses] = {};
  double a_lower = 0;
  void add(const Tally& o) {
    for (int s = 0; s < kStatuses; ++s) count[s] += o.count[s], trainings[s] += o.trainings[s];
    a_lower += o.a_lower;
  }
};

Tally run_chunk(const ErrorDraw& a, const ErrorDraw& b, const SequentialDesign& d, const ThreeWayQuestion& q, int reps,
                std::uint64_t seed) {
  SplitMix64 rng(seed);
  Tally t;
  const int n = d.looks.back();
  for (int r = 0; r < reps; ++r) {
    const std::vector<double> xa = a(rng, n), xb = b(rng, n);
    const ThreeWayOutcome o = three_way_test(TrainedErrors{xa, false}, TrainedErrors{xb, false}, d, q);
    const int s = static_cast<int>(o.status);
    t.count[s] += 1;
    t.trainings[s] += 2.0 * o.looks.back().n;
    if (o.status == ThreeWayStatus::different && o.looks.back().direction > 0) t.a_lower += 1;
  }
  return t;
}

OperatingPoint summarize(const Tally& t, int reps) {
  OperatingPoint p;
  p.reps = reps;
  const auto frac = [&](ThreeWayStatus s) { return t.count[static_cast<int>(s)] / reps; };
  p.different_a_lower = t.a_lower / reps;
  p.different_b_lower = frac(ThreeWayStatus::different) - p.different_a_lower;
  p.equivalent = frac(ThreeWayStatus::equivalent);
  p.non_inferior = frac(ThreeWayStatus::non_inferior);
  p.undecided = frac(ThreeWayStatus::undecided);
  double all = 0;
  for (int s = 0; s < kStatuses; ++s) {
    all += t.trainings[s];
    p.trainings_by_status.push_back(t.count[s] > 0 ? t.trainings[s] / t.count[s]
                                                   : std::numeric_limits<double>::quiet_NaN());
  }
  p.mean_trainings = all / reps;
  const double settled = reps - t.count[static_cast<int>(ThreeWayStatus::undecided)];
  p.mean_trainings_settled = settled > 0 ? all / settled : std::numeric_limits<double>::infinity();
  return p;
}

}  // namespace

ErrorDraw normal_population(double mean, double sd, double grid) {
  return [=](SplitMix64& rng, int n) {
    std::vector<double> e;
    for (int i = 0; i < n; ++i) {
      const double z = std::sqrt(-2 * std::log(uniform_open(rng))) * std::cos(6.283185307179586 * uniform_open(rng));
      e.push_back(on_grid(mean + sd * z, grid));
    }
    return e;
  };
}

ErrorDraw gamma_population(double mean, double sd, int shape, double grid) {
  if (shape < 1) fail("", "shape", std::to_string(shape) + " must be >= 1");
  return [=](SplitMix64& rng, int n) {
    std::vector<double> e;
    for (int i = 0; i < n; ++i) {
      double g = 0;
      for (int k = 0; k < shape; ++k) g -= std::log(uniform_open(rng));
      e.push_back(on_grid(mean + (g - shape) * sd / std::sqrt(double(shape)), grid));
    }
    return e;
  };
}

ErrorDraw resampled_population(std::vector<double> pool) {
  std::vector<double> finite;
  for (double v : pool)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.empty()) fail("", "errors", "no finite errors to resample");
  return [finite](SplitMix64& rng, int n) {
    std::vector<double> e;
    for (int i = 0; i < n; ++i) e.push_back(finite[rng.below(finite.size())]);
    return e;
  };
}

ErrorDraw shifted(ErrorDraw draw, double shift) {
  return [draw, shift](SplitMix64& rng, int n) {
    std::vector<double> e = draw(rng, n);
    for (double& v : e) v += shift;
    return e;
  };
}

OperatingPoint simulate_operating(const ErrorDraw& a, const ErrorDraw& b, const SequentialDesign& design,
                                  const ThreeWayQuestion& question, int reps, std::uint64_t seed, int threads) {
  if (reps < 1) fail("", "reps", std::to_string(reps) + " must be >= 1");
  std::vector<LookSize> sizes;
  for (int n : design.looks) sizes.push_back({n, n});
  three_way_boundaries(design, sizes);  // validates and simulates once, before the threads look them up
  std::vector<Tally> tallies(kChunks);
  std::vector<std::function<void()>> tasks;
  for (int c = 0; c < kChunks; ++c) {
    const int count = reps * (c + 1) / kChunks - reps * c / kChunks;
    tasks.push_back([&, c, count] {
      tallies[static_cast<size_t>(c)] = run_chunk(a, b, design, question, count, mix64(seed + kGolden * (c + 1)));
    });
  }
  run_parallel(tasks, threads);
  Tally total;
  for (const Tally& t : tallies) total.add(t);
  return summarize(total, reps);
}

double true_claims(const OperatingPoint& p, const ThreeWayQuestion& q, double shift) {
  double t = shift < 0 ? p.different_a_lower : (shift > 0 ? p.different_b_lower : 0);
  if (q.non_inferior == 0 && std::abs(shift) < q.margin) t += p.equivalent;
  if (q.non_inferior != 0 && q.non_inferior * shift < q.margin) t += p.non_inferior;
  return t;
}

double false_claims(const OperatingPoint& p, const ThreeWayQuestion& q, double shift) {
  const double claims = p.different_a_lower + p.different_b_lower + p.equivalent + p.non_inferior;
  return claims - true_claims(p, q, shift);
}

SequentialDesign fixed_n_design(const SequentialDesign& d, int n) {
  SequentialDesign f = d;
  f.looks = {n};
  return f;
}

nlohmann::json to_json(const OperatingPoint& p) {
  nlohmann::json by = nlohmann::json::object();
  for (int s = 0; s < kStatuses; ++s) {
    const double v = p.trainings_by_status[static_cast<size_t>(s)];
    by[to_string(static_cast<ThreeWayStatus>(s))] = std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
  }
  return {{"reps", p.reps},
          {"different_a_lower", p.different_a_lower},
          {"different_b_lower", p.different_b_lower},
          {"equivalent", p.equivalent},
          {"non_inferior", p.non_inferior},
          {"undecided", p.undecided},
          {"mean_trainings", p.mean_trainings},
          {"mean_trainings_settled",
           std::isfinite(p.mean_trainings_settled) ? nlohmann::json(p.mean_trainings_settled) : nlohmann::json()},
          {"trainings_by_status", by}};
}

namespace {

constexpr int kMinPilot = 5;

std::vector<double> finite_values(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v)
    if (std::isfinite(x)) out.push_back(x);
  return out;
}

// Each sample minus its median, pooled, and scaled by sqrt(N / (N - 2)): residuals about two
// fitted centres, drawn with replacement, have a smaller spread than the errors they stand for
// (as in the residual bootstrap, Davison & Hinkley 1997, 6.2.3); unscaled, a pilot of 8 per sweep
// predicted about 10% fewer trainings than the comparison then spent.
std::vector<double> centred_pool(const std::vector<double>& a, const std::vector<double>& b) {
  const double n = static_cast<double>(a.size() + b.size());
  const double scale = std::sqrt(n / (n - 2));
  std::vector<double> pool;
  for (const auto* v : {&a, &b}) {
    const double med = quantile(*v, 0.5);
    for (double x : *v) pool.push_back((x - med) * scale);
  }
  return pool;
}

double standard_deviation(const std::vector<double>& v) {
  double mean = 0, ss = 0;
  for (double x : v) mean += x / static_cast<double>(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / static_cast<double>(v.size() - 1));
}

std::vector<PlanScenario> plan_scenarios(const ThreeWayQuestion& q, double pilot_shift) {
  // At the margin on the side a wrong claim would be made: the candidate worse by the margin.
  const double at = q.non_inferior < 0 ? -q.margin : q.margin;
  std::vector<PlanScenario> s{
      {"equal", 0}, {"at the margin", at}, {"half the margin", at / 2}, {"2 margins", 2 * at}, {"4 margins", 4 * at}};
  if (std::abs(pilot_shift) > 1e-9) s.push_back({"as the pilot", pilot_shift});
  return s;
}

std::string percent(double p) { return fixed(100 * p, 1); }

std::string trainings(double v) { return std::isfinite(v) ? fixed(v, 1) : std::string("-"); }

}  // namespace

ThreeWayPlan plan_three_way(const std::vector<double>& pilot_a, const std::vector<double>& pilot_b,
                            const SequentialDesign& design, const ThreeWayQuestion& question, int reps,
                            std::uint64_t seed) {
  validate(question);
  const std::vector<double> a = finite_values(pilot_a), b = finite_values(pilot_b);
  if (static_cast<int>(std::min(a.size(), b.size())) < kMinPilot)
    fail("", "pilot",
         fmt::format("{} and {} trained models with an error: the planner needs at least {} per sweep", a.size(),
                     b.size(), kMinPilot));
  ThreeWayPlan p;
  p.pilot_a = static_cast<int>(a.size());
  p.pilot_b = static_cast<int>(b.size());
  p.pilot_shift = hodges_lehmann(PairwiseDifferences(a, b));
  const std::vector<double> pool = centred_pool(a, b);
  p.spread_sd = standard_deviation(pool);
  p.spread_iqr = (quantile(pool, 0.75) - quantile(pool, 0.25)) / 1.349;
  const ErrorDraw draw = resampled_population(pool);
  std::uint64_t s = seed;
  for (const PlanScenario& sc : plan_scenarios(question, p.pilot_shift)) {
    PlanRow row{sc, simulate_operating(shifted(draw, sc.shift), draw, design, question, reps, ++s), 0, 0};
    row.true_claims = true_claims(row.point, question, sc.shift);
    row.false_claims = false_claims(row.point, question, sc.shift);
    p.rows.push_back(row);
  }
  return p;
}

std::string plan_table(const ThreeWayPlan& p, const ThreeWayQuestion& q) {
  const std::string claim = q.non_inferior == 0 ? "equivalent" : "non-inf.";
  const std::string format = "{:<16} {:>7} {:>9} {:>9} {:>9} {:>9} {:>10} {:>10} {:>10}\n";
  std::string out = fmt::format(format, "scenario", "shift", "diff. a<", "diff. b<", claim, "undecided", "trainings",
                                "if diff.", "if " + claim);
  for (const PlanRow& r : p.rows) {
    const OperatingPoint& o = r.point;
    const double settled_claim = q.non_inferior == 0 ? o.equivalent : o.non_inferior;
    const int claim_status =
        static_cast<int>(q.non_inferior == 0 ? ThreeWayStatus::equivalent : ThreeWayStatus::non_inferior);
    out += fmt::format(format, r.scenario.name, fixed(r.scenario.shift, 2), percent(o.different_a_lower) + "%",
                       percent(o.different_b_lower) + "%", percent(settled_claim) + "%", percent(o.undecided) + "%",
                       trainings(o.mean_trainings), trainings(o.trainings_by_status[0]),
                       trainings(o.trainings_by_status[static_cast<size_t>(claim_status)]));
  }
  return out;
}

nlohmann::json to_json(const ThreeWayPlan& p) {
  nlohmann::json rows = nlohmann::json::array();
  for (const PlanRow& r : p.rows) {
    nlohmann::json j = to_json(r.point);
    j["scenario"] = r.scenario.name;
    j["shift"] = r.scenario.shift;
    j["true_claims"] = r.true_claims;
    j["false_claims"] = r.false_claims;
    rows.push_back(j);
  }
  return {{"pilot", {{"a", p.pilot_a}, {"b", p.pilot_b}}},
          {"pilot_shift", p.pilot_shift},
          {"spread_sd", p.spread_sd},
          {"spread_iqr", p.spread_iqr},
          {"scenarios", rows}};
}

}  // namespace regnet
