#pragma once
// The plan of a group-sequential comparison of two sweeps (docs/statistics.md): the looks
// (trained models per sweep at which the two-sample KS test is applied), the family-wise alpha,
// how it is spent over the looks, and the KS rejection boundaries that keep the type-I error of
// the whole sequence of looks at most alpha under H0 (both sweeps' errors from one distribution).
#include <cstdint>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/stats/spending.hpp"

namespace regnet {

// The default looks up to max_n models per sweep: 8, 12, 16, 24, 32, 48, 64, 96, ... (2^k and
// 1.5 * 2^k) below max_n, then max_n; before 8, the first n at which a look can reject at all
// under the spending (D = 1, P_H0 = 2 / C(2n, n) <= alpha(n / max_n)), if there is one: 5 for
// Pocock at alpha 0.05 and max_n 32. Such a look stops the largest effects early and costs nothing
// otherwise (alpha a look does not use passes to the next). max_n <= 8: just max_n. alpha is the
// pair's (alpha / pairs when several sweeps are compared).
std::vector<int> default_looks(int max_n, Spending spending = Spending::pocock, double alpha = 0.05);

struct SequentialDesign {
  std::vector<int> looks = default_looks(32);  // models per sweep at each look, increasing; the last is max-n
  double alpha = 0.05;                         // family-wise, over all looks and pairs
  Spending spending = Spending::pocock;
  int pairs = 1;             // sweep pairs compared at once; Bonferroni: each is tested at alpha / pairs
  int simulations = 100000;  // Monte Carlo H0 trajectories behind the boundaries
  std::uint64_t seed = 1;    // of the simulation: the boundaries are a deterministic function of the design
};

// UserError naming the field and value: no looks, a look < 1 or not above the one before,
// alpha outside (0, 0.5), pairs < 1, simulations outside 1000..10^7.
void validate(const SequentialDesign& d);
// alpha / pairs.
double pair_alpha(const SequentialDesign& d);

// Models with an error at a look, per sweep (smaller than the look when models failed or a
// sweep ran out of samples).
struct LookSize {
  int n_a = 0, n_b = 0;
  bool operator==(const LookSize& o) const { return n_a == o.n_a && n_b == o.n_b; }
};

// UserError unless sizes has at most one entry per planned look, each within its look's n and
// none smaller than the one before.
void validate_sizes(const SequentialDesign& d, const std::vector<LookSize>& sizes);

// The key of a design and look sizes in the boundary caches.
std::string design_cache_key(const SequentialDesign& d, const std::vector<LookSize>& sizes);

// What a look's boundary knows before its critical values, for the KS and three-way designs alike.
struct LookPlan {
  LookSize size;
  double t = 0;            // information fraction n_eff / n_eff at the last planned look, n_eff = n_a n_b / (n_a + n_b)
  double alpha_spent = 0;  // cumulative target: spent_alpha(spending, alpha / pairs, t); the last look spends it all
  long lcm = 1;            // lcm(n_a, n_b): KS distances are D = h / lcm with h an integer
};
// Look k (0-based) at `size` models with an error.
LookPlan plan_look(const SequentialDesign& d, const LookSize& size, size_t k);
// How many of `simulations` H0 trajectories may cross by a look that spends alpha_spent: the
// target less 3 Monte Carlo standard errors, so that the true crossing probability stays below it.
long allowed_crossings(double alpha_spent, int simulations);

// The KS rejection boundary of one look: the look rejects H0 when h >= h_reject.
struct KsBoundary : LookPlan {
  long h_reject = 2;    // > lcm: this look cannot reject (too few models for the alpha it may spend)
  double crossing = 0;  // Monte Carlo P_H0(rejected at this look or before)
  double mc_error = 0;  // standard error of `crossing`
  bool reachable() const { return h_reject <= lcm; }
  double d() const { return static_cast<double>(h_reject) / static_cast<double>(lcm); }
};

// Boundaries of looks 1..sizes.size() (sizes non-decreasing, at most one per planned look), from
// design.simulations H0 trajectories of the KS statistic over the looks. Look k's boundary depends
// only on sizes[0..k], so adding looks never moves an earlier one. Cached per design and sizes.
std::vector<KsBoundary> ks_boundaries(const SequentialDesign& design, const std::vector<LookSize>& sizes);

// The boundaries of `design` at `sizes` (validated), computed once by compute(design, sizes) and
// cached per boundary kind, design and sizes (at most 256 entries a kind, so that a bench trying
// many sizes does not grow it without end).
template <class Boundary>
std::vector<Boundary> cached_boundaries(const SequentialDesign& design, const std::vector<LookSize>& sizes,
                                        std::vector<Boundary> (*compute)(const SequentialDesign&,
                                                                         const std::vector<LookSize>&)) {
  validate(design);
  validate_sizes(design, sizes);
  if (sizes.empty()) return {};
  static std::mutex mutex;
  static std::map<std::string, std::vector<Boundary>> cache;
  const std::string key = design_cache_key(design, sizes);
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (auto it = cache.find(key); it != cache.end()) return it->second;
  }
  std::vector<Boundary> b = compute(design, sizes);
  std::lock_guard<std::mutex> lock(mutex);
  if (cache.size() >= 256) cache.clear();
  cache.emplace(key, b);
  return b;
}

nlohmann::json to_json(const LookPlan& p);
nlohmann::json to_json(const SequentialDesign& d);
nlohmann::json to_json(const KsBoundary& b);

}  // namespace regnet
