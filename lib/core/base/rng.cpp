#include "core/base/rng.hpp"

// Bit-identical on every machine: lib/core compiles with -ffp-contract=off (no fused multiply-add).

#include <cmath>

namespace regnet {

namespace {
constexpr double kLn2Hi = 6.93147180369123816490e-01;  // fdlibm's split of ln 2: k*hi is exact
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kLn2 = 0.69314718055994530942;
constexpr double kSqrtHalf = 0.70710678118654752440;

constexpr double kInv[] = {0,        1.0 / 1,  1.0 / 2,  1.0 / 3,  1.0 / 4,  1.0 / 5,  1.0 / 6,
                           1.0 / 7,  1.0 / 8,  1.0 / 9,  1.0 / 10, 1.0 / 11, 1.0 / 12, 1.0 / 13,
                           1.0 / 14, 1.0 / 15, 1.0 / 16, 1.0 / 17, 1.0 / 18};
}  // namespace

double det_log(double x) {
  int e = 0;
  double m = std::frexp(x, &e);  // x = m * 2^e, m in [0.5, 1)
  if (m < kSqrtHalf) {
    m *= 2.0;
    --e;
  }
  // ln m = 2 atanh(s), s = (m-1)/(m+1), |s| < 0.172: the series converges by 0.03 per term.
  const double s = (m - 1.0) / (m + 1.0), s2 = s * s;
  double term = s, sum = 0.0;
  for (int k = 1; k <= 27; k += 2) {
    sum += term / k;
    term *= s2;
  }
  return 2.0 * sum + e * kLn2Lo + e * kLn2Hi;
}

double det_exp(double y) {
  const double k = std::nearbyint(y / kLn2);
  const double r = (y - k * kLn2Hi) - k * kLn2Lo;  // |r| <= 0.35: r^18/18! < 1e-24
  double p = 1.0;
  for (int n = 18; n >= 1; --n) p = 1.0 + p * r * kInv[n];  // Horner form of sum r^n/n!
  return std::ldexp(p, static_cast<int>(k));
}

}  // namespace regnet
