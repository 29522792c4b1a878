#include "bench_three_way.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <iostream>
#include <map>

#include "core/stats/edf.hpp"
#include "core/stats/hodges_lehmann.hpp"
#include "core/stats/three_way_operating.hpp"

namespace regnet::bench {

namespace {

// Fixed n candidates for "the smallest fixed n with the same power".
const std::vector<int> kFixedGrid = {5, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256};

struct Scenario {
  std::string name;
  ErrorDraw a, b;
  double shift = 0;  // the true a - b, for what counts as a true claim
};

// Each sample minus its median.
std::vector<double> centred(std::vector<double> v) {
  const double m = quantile(v, 0.5);
  for (double& x : v) x -= m;
  return v;
}

double spread_iqr(const std::vector<double>& v) { return (quantile(v, 0.75) - quantile(v, 0.25)) / 1.349; }

double spread_sd(const std::vector<double>& v) {
  double mean = 0, ss = 0;
  for (double x : v) mean += x / double(v.size());
  for (double x : v) ss += (x - mean) * (x - mean);
  return std::sqrt(ss / double(v.size() - 1));
}

// The smallest fixed n (one look) whose rate of true claims reaches `target`; 0 when none does.
// The power of each n is cached per population and shift: the table asks for the same ones often.
struct FixedN {
  int n = 0;
  double power = 0;
};

class FixedSearch {
 public:
  FixedSearch(const ThreeWayBenchOptions& o) : o_(o) {}
  FixedN smallest(const std::string& key, const Scenario& s, const ThreeWayQuestion& q, double target) {
    for (int n : kFixedGrid) {
      const double p = power(key, s, q, n);
      if (p >= target - 1e-12) return {n, p};
    }
    return {0, power(key, s, q, kFixedGrid.back())};
  }
  double power(const std::string& key, const Scenario& s, const ThreeWayQuestion& q, int n) {
    const auto k = std::make_pair(key, n);
    if (auto it = cache_.find(k); it != cache_.end()) return it->second;
    const OperatingPoint p = simulate_operating(s.a, s.b, fixed_n_design(o_.design, n), q, o_.reps, o_.seed + n);
    return cache_[k] = true_claims(p, q, s.shift);
  }

 private:
  const ThreeWayBenchOptions& o_;
  std::map<std::pair<std::string, int>, double> cache_;
};

std::string pct(double p) { return fmt::format("{:.3f}", p); }

void print_mixed_header() {
  std::cout << fmt::format("  {:<34} {:>6} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>9} {:>9}  {}\n", "scenario", "shift",
                           "diff a<", "diff b<", "equiv.", "undec.", "false", "true", "trainings", "/settled",
                           "fixed n with the same power (trainings): saving; vs max-n");
}

void print_mixed_row(const ThreeWayBenchOptions& o, const Scenario& s, const OperatingPoint& p, const FixedN& f,
                     const ThreeWayQuestion& q) {
  const double max_n = 2.0 * o.design.looks.back();
  const std::string fixed =
      f.n == 0 ? fmt::format("none up to {} ({:.3f} there)", kFixedGrid.back(), f.power)
               : fmt::format("n = {} ({}, power {:.3f}): {:.2f}x", f.n, 2 * f.n, f.power, 2 * f.n / p.mean_trainings);
  std::cout << fmt::format("  {:<34} {:>6.2f} {:>7} {:>7} {:>7} {:>6} {:>6} {:>6} {:>9.1f} {:>9.1f}  {}; {:.2f}x\n",
                           s.name, s.shift, pct(p.different_a_lower), pct(p.different_b_lower), pct(p.equivalent),
                           pct(p.undecided), pct(false_claims(p, q, s.shift)), pct(true_claims(p, q, s.shift)),
                           p.mean_trainings, p.mean_trainings_settled, fixed, max_n / p.mean_trainings);
}

std::vector<Scenario> mixed_scenarios(const ThreeWayBenchOptions& o, const ErrorDraw& base) {
  const double m = o.margin;
  std::vector<Scenario> s{{"equal spaces", base, base, 0},
                          {"shift at the margin (+)", shifted(base, m), base, m},
                          {"shift at the margin (-)", shifted(base, -m), base, -m},
                          {"half the margin", shifted(base, m / 2), base, m / 2},
                          {"two margins", shifted(base, 2 * m), base, 2 * m},
                          {"four margins", shifted(base, 4 * m), base, 4 * m}};
  if (!o.recorded_a.empty()) {
    // The recorded pair is not a pure shift: what counts as its true shift is the Hodges-Lehmann
    // shift of the two recorded samples (the pseudo-median the resampled comparisons estimate).
    const double hl = hodges_lehmann(PairwiseDifferences(o.recorded_a, o.recorded_b));
    s.push_back({fmt::format("recorded {} vs {}", o.name_a, o.name_b), resampled_population(o.recorded_a),
                 resampled_population(o.recorded_b), hl});
  }
  return s;
}

void run_mixed(ThreeWayBenchOptions o, FixedSearch& fixed, int max_n) {
  o.design.looks = default_looks(max_n, o.design.spending, o.design.alpha);
  const bool recorded = !o.recorded_b.empty();
  const std::vector<double> pool = recorded ? centred(o.recorded_b) : std::vector<double>{};
  const ErrorDraw base = recorded ? resampled_population(pool) : normal_population(0, 1.0);
  std::cout << fmt::format(
      "Mixed scenarios, margin {} error points: both sweeps drawn from {}; {} comparisons per row; trainings count "
      "both sweeps; looks {}\n",
      o.margin,
      recorded ? fmt::format("{}'s recorded errors, centred, resampled (spread: sd {:.2f}, IQR/1.349 {:.2f})", o.name_b,
                             spread_sd(pool), spread_iqr(pool))
               : "normal errors, sd 1",
      o.reps, fmt::join(o.design.looks, ", "));
  print_mixed_header();
  const ThreeWayQuestion q{o.margin, 0};
  std::uint64_t seed = o.seed * 7919;
  for (const Scenario& s : mixed_scenarios(o, base)) {
    const OperatingPoint p = simulate_operating(s.a, s.b, o.design, q, o.reps, ++seed);
    print_mixed_row(o, s, p, fixed.smallest("mixed/" + s.name, s, q, true_claims(p, q, s.shift)), q);
    if (s.shift == 0)
      std::cout << fmt::format("  {:<34} trainings by outcome: equivalent {:.1f}, different {:.1f}, undecided {:.1f}\n",
                               "", p.trainings_by_status[1], p.trainings_by_status[0], p.trainings_by_status[3]);
  }
  std::cout << "\n";
}

void print_ratio_header() {
  std::cout << fmt::format("  {:>9} {:>5} {:>7} {:>9} {:>8} {:>10} {:>11} {:>10}  {}\n", "sd/margin", "max-n", "equiv.",
                           "trainings", "x fewer", "fixed n", "fixed max-n", "false (+m)", "2x fewer than max-n?");
}

void run_ratio_row(const ThreeWayBenchOptions& o, FixedSearch& fixed, double ratio, int max_n) {
  SequentialDesign d = o.design;
  d.looks = default_looks(max_n, d.spending, d.alpha);
  const ErrorDraw base = normal_population(0, ratio * o.margin);
  const Scenario equal{"equal", base, base, 0}, at{"at", shifted(base, o.margin), base, o.margin};
  const ThreeWayQuestion q{o.margin, 0};
  const OperatingPoint p = simulate_operating(equal.a, equal.b, d, q, o.reps, o.seed + 31 * max_n);
  const OperatingPoint wrong = simulate_operating(at.a, at.b, d, q, o.reps, o.seed + 37 * max_n);
  const std::string key = fmt::format("ratio/{}", ratio);
  const FixedN f = fixed.smallest(key, equal, q, p.equivalent);
  const double at_max_n = fixed.power(key, equal, q, max_n);
  const double saving = 2.0 * max_n / p.mean_trainings, limit = o.design.alpha + 3 * std::sqrt(0.05 * 0.95 / o.reps);
  const std::string goal = at_max_n < 0.8 ? "no design can: the fixed n = max-n test has power " + pct(at_max_n)
                           : saving >= 2 && false_claims(wrong, q, o.margin) <= limit ? "yes"
                                                                                      : "no";
  std::cout << fmt::format("  {:>9.2f} {:>5} {:>7} {:>9.1f} {:>7.2f}x {:>10} {:>11} {:>10}  {}\n", ratio, max_n,
                           pct(p.equivalent), p.mean_trainings, saving,
                           p.equivalent < 0.5 ? std::string("-")
                           : f.n == 0         ? std::string(">256")
                                              : std::to_string(f.n),
                           pct(at_max_n), pct(false_claims(wrong, q, o.margin)), goal);
}

void run_ratio_table(const ThreeWayBenchOptions& o, FixedSearch& fixed) {
  std::cout << fmt::format(
      "Equal spaces over the ratio spread / margin (normal errors, margin {}; {} comparisons per row): P(equivalent),\n"
      "mean trainings and how many times fewer than max-n's; the smallest fixed n with the same P(equivalent), and "
      "the\n"
      "fixed n = max-n test's; the rate of \"equivalent\" when the shift is the margin. The quick schedule's recorded\n"
      "errors have sd/margin 1.97 (RegNetX; IQR/1.349: 1.03) and 15.0 (AnyNetXA; 4.71) at a margin of 1 point; the\n"
      "short schedule's five recorded errors (docs/training.md) have sd 1.97.\n",
      o.margin, o.reps);
  print_ratio_header();
  for (double ratio : {0.25, 0.5, 1.0, 1.5, 2.0, 3.0})
    for (int max_n : o.table_max_n) run_ratio_row(o, fixed, ratio, max_n);
  std::cout << "\n";
}

}  // namespace

void run_three_way_bench(const ThreeWayBenchOptions& o) {
  const auto t0 = std::chrono::steady_clock::now();
  FixedSearch fixed(o);
  for (int max_n : o.mixed_max_n) run_mixed(o, fixed, max_n);
  run_ratio_table(o, fixed);
  std::cout << fmt::format("three-outcome benchmark: {:.0f} s\n",
                           std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
}

}  // namespace regnet::bench
