#include "core/stats/ks_power.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/base/text.hpp"
#include "core/stats/edf.hpp"
#include "core/stats/ks.hpp"

namespace regnet {

std::vector<int> power_grid(int largest) {
  std::vector<int> grid;
  for (int k = 0;; ++k) {
    const int n = static_cast<int>(std::lround(8 * std::pow(2.0, k / 2.0)));
    if (n > largest) break;
    grid.push_back(n);
  }
  return grid;
}

long ks_critical_h(long n, double alpha) {
  // P(D >= h/n) falls as h grows: the first h below alpha by bisection over 1..n.
  long lo = 1, hi = n + 1;
  while (lo < hi) {
    const long mid = lo + (hi - lo) / 2;
    if (ks_exact_sf(n, n, mid) < alpha)
      hi = mid;
    else
      lo = mid + 1;
  }
  return lo;
}

namespace {

// Draws of n from each sorted sample as counts per index (a resample without its values).
struct Draws {
  std::vector<std::uint32_t> a, b;
};

void draw(Draws& d, size_t na, size_t nb, long n, SplitMix64& rng) {
  draw_counts(na, static_cast<size_t>(n), rng, d.a);
  draw_counts(nb, static_cast<size_t>(n), rng, d.b);
}

// n * D of the two resamples: the largest gap between their counts at or below any value.
long lattice_distance(const std::vector<double>& sa, const std::vector<double>& sb, const Draws& d) {
  size_t i = 0, j = 0;
  long ca = 0, cb = 0, h = 0;
  while (i < sa.size() || j < sb.size()) {
    const double v = j == sb.size() ? sa[i] : (i == sa.size() ? sb[j] : std::min(sa[i], sb[j]));
    for (; i < sa.size() && sa[i] <= v; ++i) ca += d.a[i];
    for (; j < sb.size() && sb[j] <= v; ++j) cb += d.b[j];
    h = std::max(h, std::labs(ca - cb));
  }
  return h;
}

double power_at(const std::vector<double>& sa, const std::vector<double>& sb, long n, double alpha, int repetitions,
                std::uint64_t seed) {
  const long critical = ks_critical_h(n, alpha);
  SplitMix64 rng(derive_seed(seed, static_cast<std::uint64_t>(n)));
  Draws d;
  int rejected = 0;
  for (int r = 0; r < repetitions; ++r) {
    draw(d, sa.size(), sb.size(), n, rng);
    if (lattice_distance(sa, sb, d) >= critical) ++rejected;
  }
  return static_cast<double>(rejected) / repetitions;
}

}  // namespace

KsPower ks_power(const std::vector<double>& a, const std::vector<double>& b, double alpha, double target,
                 int repetitions, std::uint64_t seed, const std::vector<int>& grid) {
  if (a.empty() || b.empty()) fail("", "errors", "an empty sample (the power estimate needs models on both sides)");
  if (!(alpha > 0 && alpha < 1)) fail("", "--alpha", significant(alpha, 6) + " must be in (0, 1)");
  if (!(target > 0 && target <= 1)) fail("", "power", significant(target, 6) + " must be in (0, 1]");
  if (repetitions < 1) fail("", "repetitions", std::to_string(repetitions) + " must be >= 1");
  const std::vector<double> sa = sorted(a), sb = sorted(b);
  KsPower p;
  p.alpha = alpha;
  p.target = target;
  p.repetitions = repetitions;
  p.largest = grid.empty() ? 0 : grid.back();
  for (int n : grid) {
    p.n.push_back(n);
    p.power.push_back(power_at(sa, sb, n, alpha, repetitions, seed));
    if (p.power.back() >= target) {
      p.needed = n;
      break;
    }
  }
  return p;
}

}  // namespace regnet
