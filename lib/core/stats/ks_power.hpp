#pragma once
// How many models per design space a KS test needs to tell two error distributions apart: draw
// n errors from each EDF with replacement, test at alpha (two-sided, exact critical D for n vs
// n), repeat; the power at n is the fraction of rejections. Deterministic in the seed.
#include <cstdint>
#include <vector>

namespace regnet {

struct KsPower {
  double alpha = 0.05;
  double target = 0.8;
  int repetitions = 0;
  std::vector<int> n;         // the sizes tried, in increasing order, up to the first that reaches target
  std::vector<double> power;  // the fraction of rejections at each
  int needed = 0;             // the smallest n tried with power >= target; 0 when none reaches it
  int largest = 0;            // the largest size of the grid ("more than largest" when needed == 0)
};

// 8, 11, 16, 23, 32, ... up to `largest`: a factor sqrt(2) apart.
std::vector<int> power_grid(int largest = 1024);

// The smallest lattice distance h (D = h/n) with P(D_{n,n} >= h/n) < alpha under H0; n + 1 when
// no D of n vs n reaches it.
long ks_critical_h(long n, double alpha);

// UserError for an empty sample, alpha outside (0, 1), target outside (0, 1] or repetitions < 1.
KsPower ks_power(const std::vector<double>& a, const std::vector<double>& b, double alpha = 0.05, double target = 0.8,
                 int repetitions = 1000, std::uint64_t seed = 0, const std::vector<int>& grid = power_grid());

}  // namespace regnet
