// Critical values of the three-outcome design by simulation (docs/statistics.md, "Three
// outcomes"): per look, the KS and Mann-Whitney critical values of "different" (their union
// spends alpha(t), split by the smaller of the two tests' simulated tail counts: a min-p rule),
// and the Mann-Whitney rank of the one-sided ends of the equivalence interval.
#include "core/stats/three_way_design.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/stats/null_trajectory.hpp"

namespace regnet {

namespace {

ThreeWayBoundary plan_three_way_look(const SequentialDesign& d, const LookSize& size, size_t k) {
  ThreeWayBoundary b;
  static_cast<LookPlan&>(b) = plan_look(d, size, k);
  b.ks_h_reject = b.lcm + 1;
  b.mc_error = std::sqrt(b.alpha_spent * (1 - b.alpha_spent) / d.simulations);
  return b;
}

// The simulation of one look: every trajectory's statistics, and the crossings so far.
struct LookSample {
  std::vector<long> h, m, u;  // per trajectory: KS h, min(U, N - U), U
  std::int64_t n = 0;         // N = n_a n_b
};

LookSample look_sample(const std::vector<RankStatistics>& stats, size_t look, size_t looks, const LookSize& size) {
  LookSample s;
  s.n = std::int64_t{size.n_a} * size.n_b;
  for (size_t i = look; i < stats.size(); i += looks) {
    s.h.push_back(stats[i].h);
    s.u.push_back(stats[i].u);
    s.m.push_back(std::min<long>(stats[i].u, static_cast<long>(s.n) - stats[i].u));
  }
  return s;
}

// The largest Q with #{survivors: c <= Q} <= room, c sorted ascending; 0 when none fits.
long largest_threshold(const std::vector<long>& c, long room) {
  if (room <= 0 || c.empty()) return 0;
  if (static_cast<size_t>(room) >= c.size()) return c.back();
  return c[static_cast<size_t>(room)] - 1;
}

// "different": each surviving trajectory's smaller tail count (how many trajectories have a KS
// distance at least its own, or a Mann-Whitney count at least as extreme), and the threshold Q
// on it that spends what the look may spend. Marks the crossings; returns how many.
long choose_different(ThreeWayBoundary& b, const LookSample& s, std::vector<char>& crossed, long before, int sims) {
  std::vector<long> hs = s.h, ms = s.m;
  std::sort(hs.begin(), hs.end());
  std::sort(ms.begin(), ms.end());
  const long total = static_cast<long>(hs.size());
  auto tail_ks = [&](long h) { return total - (std::lower_bound(hs.begin(), hs.end(), h) - hs.begin()); };
  auto tail_mw = [&](long m) { return static_cast<long>(std::upper_bound(ms.begin(), ms.end(), m) - ms.begin()); };
  std::vector<long> c(crossed.size()), alive;
  for (size_t i = 0; i < crossed.size(); ++i) {
    c[i] = std::min(tail_ks(s.h[i]), tail_mw(s.m[i]));
    if (!crossed[i]) alive.push_back(c[i]);
  }
  std::sort(alive.begin(), alive.end());
  const long q = largest_threshold(alive, allowed_crossings(b.alpha_spent, sims) - before);
  if (q <= 0) return 0;
  // The smallest h with tail_ks(h) <= q, and the largest m with tail_mw(m) <= q.
  b.ks_h_reject = q >= total ? 1 : std::max(1L, hs[static_cast<size_t>(total - q - 1)] + 1);
  b.r_different = std::min<std::int64_t>(q >= total ? s.n : ms[static_cast<size_t>(q)], (s.n + 1) / 2);
  long added = 0;
  for (size_t i = 0; i < crossed.size(); ++i)
    if (!crossed[i] && c[i] <= q) crossed[i] = 1, ++added;
  return added;
}

// "equivalent": the largest r with P(U <= r - 1 at some look so far) within the spent alpha, U
// the count of one end (the other end is its mirror image: reversing the order maps U to N - U).
long choose_equivalence(ThreeWayBoundary& b, const LookSample& s, std::vector<char>& crossed, long before, int sims) {
  std::vector<long> alive;
  for (size_t i = 0; i < crossed.size(); ++i)
    if (!crossed[i]) alive.push_back(s.u[i]);
  std::sort(alive.begin(), alive.end());
  const long room = allowed_crossings(b.alpha_spent, sims) - before;
  if (room <= 0 || alive.empty()) return 0;
  const std::int64_t r =
      static_cast<size_t>(room) >= alive.size() ? alive.back() + 1 : alive[static_cast<size_t>(room)];
  b.r_equivalence = std::min<std::int64_t>(r, (s.n + 1) / 2);
  long added = 0;
  for (size_t i = 0; i < crossed.size(); ++i)
    if (!crossed[i] && s.u[i] <= b.r_equivalence - 1) crossed[i] = 1, ++added;
  return added;
}

std::vector<ThreeWayBoundary> compute(const SequentialDesign& d, const std::vector<LookSize>& sizes) {
  const std::vector<RankStatistics> stats = simulate_null(sizes, d.simulations, d.seed);
  std::vector<char> crossed_diff(static_cast<size_t>(d.simulations), 0), crossed_eq = crossed_diff;
  long diff = 0, eq = 0;
  std::vector<ThreeWayBoundary> out;
  for (size_t k = 0; k < sizes.size(); ++k) {
    ThreeWayBoundary b = plan_three_way_look(d, sizes[k], k);
    if (sizes[k].n_a > 0 && sizes[k].n_b > 0) {
      const LookSample s = look_sample(stats, k, sizes.size(), sizes[k]);
      diff += choose_different(b, s, crossed_diff, diff, d.simulations);
      eq += choose_equivalence(b, s, crossed_eq, eq, d.simulations);
    }
    b.crossing_different = double(diff) / d.simulations;
    b.crossing_equivalence = double(eq) / d.simulations;
    out.push_back(b);
  }
  return out;
}

}  // namespace

std::vector<ThreeWayBoundary> three_way_boundaries(const SequentialDesign& design, const std::vector<LookSize>& sizes) {
  return cached_boundaries(design, sizes, &compute);
}

nlohmann::json to_json(const ThreeWayBoundary& b) {
  nlohmann::json j = to_json(static_cast<const LookPlan&>(b));
  j.update({{"ks_d", b.ks_reachable() ? nlohmann::json(b.ks_d()) : nlohmann::json()},
            {"r_different", b.r_different},
            {"r_equivalence", b.r_equivalence},
            {"crossing_different", b.crossing_different},
            {"crossing_equivalence", b.crossing_equivalence},
            {"mc_error", b.mc_error}});
  return j;
}

}  // namespace regnet
