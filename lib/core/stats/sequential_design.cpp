// KS boundaries of a group-sequential design by simulation. Under H0 with continuous errors the
// trajectory (D_1, ..., D_K) depends only on how the ranks of the pooled errors interleave, a
// uniformly random order, so one simulation per design serves every error distribution
// (docs/statistics.md, "Boundaries").
#include "core/stats/sequential_design.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <climits>
#include <cmath>
#include <map>
#include <mutex>
#include <numeric>

#include "core/base/error.hpp"
#include "core/stats/null_trajectory.hpp"

namespace regnet {

namespace {

constexpr double kMonteCarloZ = 3;  // allowed_crossings: 3 standard errors below the target
constexpr int kMaxLook = 10000;     // models per sweep; keeps lcm(n_a, n_b) in an int

double effective_n(const LookSize& s) {
  return s.n_a == 0 || s.n_b == 0 ? 0.0 : double(s.n_a) * s.n_b / (double(s.n_a) + s.n_b);
}

// h_k of every trajectory, row-major (trajectory, look).
std::vector<int> simulate(const SequentialDesign& d, const std::vector<LookSize>& sizes) {
  const std::vector<RankStatistics> stats = simulate_null(sizes, d.simulations, d.seed);
  std::vector<int> h(stats.size());
  for (size_t i = 0; i < stats.size(); ++i) h[i] = static_cast<int>(stats[i].h);
  return h;
}

// The smallest h_reject such that the trajectories rejected by now stay within the target;
// marks the newly rejected ones and returns how many they are.
long choose_critical_value(KsBoundary& b, const std::vector<int>& h, size_t look, size_t looks,
                           std::vector<char>& rejected, long rejected_before, int simulations) {
  if (b.size.n_a == 0 || b.size.n_b == 0) return 0;  // no statistic: nothing to spend here
  const long allowed = allowed_crossings(b.alpha_spent, simulations);
  std::vector<long> count(static_cast<size_t>(b.lcm) + 1, 0);
  for (size_t s = 0; s < rejected.size(); ++s)
    if (!rejected[s]) ++count[static_cast<size_t>(h[s * looks + look])];
  long tail = 0;
  for (long v = b.lcm; v >= 1 && rejected_before + tail + count[static_cast<size_t>(v)] <= allowed; --v) {
    tail += count[static_cast<size_t>(v)];
    b.h_reject = v;
  }
  for (size_t s = 0; s < rejected.size(); ++s)
    if (!rejected[s] && h[s * looks + look] >= b.h_reject) rejected[s] = 1;
  return tail;
}

std::vector<KsBoundary> compute_boundaries(const SequentialDesign& d, const std::vector<LookSize>& sizes) {
  const std::vector<int> h = simulate(d, sizes);
  std::vector<char> rejected(static_cast<size_t>(d.simulations), 0);
  std::vector<KsBoundary> out;
  long rejected_so_far = 0;
  for (size_t k = 0; k < sizes.size(); ++k) {
    KsBoundary b;
    static_cast<LookPlan&>(b) = plan_look(d, sizes[k], k);
    b.h_reject = b.lcm + 1;
    rejected_so_far += choose_critical_value(b, h, k, sizes.size(), rejected, rejected_so_far, d.simulations);
    b.crossing = double(rejected_so_far) / d.simulations;
    b.mc_error = std::sqrt(b.crossing * (1 - b.crossing) / d.simulations);
    out.push_back(b);
  }
  return out;
}

}  // namespace

LookPlan plan_look(const SequentialDesign& d, const LookSize& size, size_t k) {
  LookPlan p;
  p.size = size;
  p.t = std::min(1.0, effective_n(size) / (d.looks.back() / 2.0));
  const bool last = k + 1 == d.looks.size();
  p.alpha_spent = last ? pair_alpha(d) : spent_alpha(d.spending, pair_alpha(d), p.t);
  p.lcm = size.n_a == 0 || size.n_b == 0 ? 1 : long(size.n_a) / std::gcd(size.n_a, size.n_b) * size.n_b;
  return p;
}

long allowed_crossings(double alpha_spent, int simulations) {
  const double target = alpha_spent - kMonteCarloZ * std::sqrt(alpha_spent * (1 - alpha_spent) / simulations);
  return static_cast<long>(std::floor(std::max(0.0, target) * simulations));
}

std::string design_cache_key(const SequentialDesign& d, const std::vector<LookSize>& sizes) {
  std::string key = fmt::format("{}/{}/{}/{}/{}/{}/{}:", d.alpha, d.pairs, static_cast<int>(d.spending), d.simulations,
                                d.seed, d.looks.size(), d.looks.back());
  for (const LookSize& s : sizes) key += fmt::format("{},{};", s.n_a, s.n_b);
  return key;
}

std::vector<int> default_looks(int max_n, Spending spending, double alpha) {
  if (max_n < 1) fail("", "max-n", std::to_string(max_n) + " must be >= 1");
  std::vector<int> looks;
  if (max_n > 8) {
    double central = 1;  // C(2n, n)
    for (int n = 1; n < 8; ++n) {
      central = central * (2.0 * n) * (2.0 * n - 1) / (double(n) * n);
      if (2 / central <= spent_alpha(spending, alpha, double(n) / max_n)) {
        looks.push_back(n);
        break;
      }
    }
  }
  for (long n = 8; n < max_n; n = n % 3 == 0 ? n / 3 * 4 : n / 2 * 3) looks.push_back(static_cast<int>(n));
  looks.push_back(max_n);
  return looks;
}

void validate(const SequentialDesign& d) {
  if (d.looks.empty()) fail("", "looks", "no looks planned");
  for (size_t k = 0; k < d.looks.size(); ++k) {
    if (d.looks[k] < 1 || d.looks[k] > kMaxLook)
      fail("", "looks", fmt::format("look {} at {} models: must be in 1..{}", k + 1, d.looks[k], kMaxLook));
    if (k > 0 && d.looks[k] <= d.looks[k - 1])
      fail("", "looks", fmt::format("{} after {}: looks must increase", d.looks[k], d.looks[k - 1]));
  }
  if (!(d.alpha > 0 && d.alpha < 0.5)) fail("", "alpha", fmt::format("{} must be in (0, 0.5)", d.alpha));
  if (d.pairs < 1) fail("", "pairs", fmt::format("{} must be >= 1", d.pairs));
  if (d.simulations < 1000 || d.simulations > 10000000)
    fail("", "simulations", fmt::format("{}: Monte Carlo boundaries need 1000 to 10^7", d.simulations));
}

double pair_alpha(const SequentialDesign& d) { return d.alpha / d.pairs; }

void validate_sizes(const SequentialDesign& d, const std::vector<LookSize>& sizes) {
  if (sizes.size() > d.looks.size())
    fail("", "looks", fmt::format("{} looks of data for a design of {}", sizes.size(), d.looks.size()));
  for (size_t k = 0; k < sizes.size(); ++k) {
    const LookSize& s = sizes[k];
    const bool shrinks = k > 0 && (s.n_a < sizes[k - 1].n_a || s.n_b < sizes[k - 1].n_b);
    if (s.n_a < 0 || s.n_b < 0 || s.n_a > d.looks[k] || s.n_b > d.looks[k] || shrinks)
      fail("", "looks",
           fmt::format("look {} has {} and {} models: sizes must grow and stay within the look's {}", k + 1, s.n_a,
                       s.n_b, d.looks[k]));
  }
}

std::vector<KsBoundary> ks_boundaries(const SequentialDesign& design, const std::vector<LookSize>& sizes) {
  return cached_boundaries(design, sizes, &compute_boundaries);
}

nlohmann::json to_json(const LookPlan& p) {
  return {{"n_a", p.size.n_a}, {"n_b", p.size.n_b}, {"t", p.t}, {"alpha_spent", p.alpha_spent}};
}

nlohmann::json to_json(const SequentialDesign& d) {
  return {{"looks", d.looks},
          {"alpha", d.alpha},
          {"spending", to_string(d.spending)},
          {"pairs", d.pairs},
          {"pair_alpha", pair_alpha(d)},
          {"simulations", d.simulations},
          {"seed", d.seed}};
}

nlohmann::json to_json(const KsBoundary& b) {
  nlohmann::json j = to_json(static_cast<const LookPlan&>(b));
  j.update({{"d", b.reachable() ? nlohmann::json(b.d()) : nlohmann::json()},
            {"h_reject", b.h_reject},
            {"lcm", b.lcm},
            {"crossing", b.crossing},
            {"mc_error", b.mc_error}});
  return j;
}

}  // namespace regnet
