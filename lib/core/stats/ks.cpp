// Two-sample Kolmogorov-Smirnov test with the p-values of scipy.stats.ks_2samp (scipy 1.10,
// method "auto", two-sided) and the one-sample distribution kstwo it falls back on.
// docs/statistics.md says which method applies where; the algorithms are the published ones
// (Hodges 1958 lattice paths; Durbin 1968 / Marsaglia-Tsang-Wang 2003; Pelz-Good 1976;
// Birnbaum-Tingey 1951; Simard-L'Ecuyer 2011 for choosing between them).
#include "core/stats/ks.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <tuple>

#include "core/base/error.hpp"

namespace regnet {

namespace {

constexpr double kPi = 3.14159265358979323846;
// Scale factor for the matrix power and products that would over- or underflow.
const double kBig = std::ldexp(1.0, 128);
const double kSmall = std::ldexp(1.0, -128);

double clip01(double p) { return std::clamp(p, 0.0, 1.0); }

// ---------------------------------------------------------------------------------------------
// Exact two-sample null distribution: a random path of n1 right steps and n2 up steps; D >= h/lcm
// iff the path touches |i*n2/g - j*n1/g| >= h (i, j steps taken from each sample).

// n1 == n2 = n: P(D >= h/n) = 2 sum_{k>=1} (-1)^{k-1} C(2n, n-kh) / C(2n, n), nested so that each
// factor is a ratio of h terms (no large binomials, no subtractive cancellation).
double ks_exact_equal(long n, long h) {
  double p = 0;
  for (long k = n / h; k >= 0; --k) {
    double a = 1;
    for (long j = 0; j < h; ++j) a = static_cast<double>(n - k * h - j) * a / static_cast<double>(n + k * h + j + 1);
    p = a * (1.0 - p);
  }
  return 2 * p;
}

// General sizes: A(i, j) = probability that a uniform path from (0,0) to (i,j) has touched the
// boundary; A(i,j) = (i A(i-1,j) + j A(i,j-1)) / (i+j) inside the band, 1 outside. Values stay
// in [0, 1], so nothing overflows. Only the band |i*n2g - j*n1g| < h is computed per column.
double ks_exact_general(long n1, long n2, long h) {
  const long g = std::gcd(n1, n2);
  const long n1g = n1 / g, n2g = n2 / g;
  // i indexes sample 1 (n1 steps), j sample 2 (n2 steps); point (i, j) is at distance
  // |i*n2g - j*n1g| / lcm in D.
  std::vector<double> col(static_cast<size_t>(n2 + 1), 1.0);
  for (long j = 0; j <= n2 && j * n1g < h; ++j) col[static_cast<size_t>(j)] = 0.0;
  for (long i = 1; i <= n1; ++i) {
    const long c = i * n2g;
    // inside: c - h < j*n1g < c + h
    long lo = 0;
    if (c - h >= 0) lo = (c - h) / n1g + 1;
    long hi = std::min(n2, (c + h - 1) / n1g);
    if (lo > hi) return 1.0;
    for (long j = lo; j <= hi; ++j) {
      const double left = j == 0 ? 0.0 : (j - 1 >= lo ? col[static_cast<size_t>(j - 1)] : 1.0);
      col[static_cast<size_t>(j)] =
          (static_cast<double>(i) * col[static_cast<size_t>(j)] + static_cast<double>(j) * left) /
          static_cast<double>(i + j);
    }
  }
  return col[static_cast<size_t>(n2)];
}

// ---------------------------------------------------------------------------------------------
// One-sample distributions.

// P(D+_n >= x), the one-sided statistic: Birnbaum-Tingey
// x * sum_{j=0}^{floor(n(1-x))} C(n,j) (1-x-j/n)^(n-j) (x+j/n)^(j-1), all terms positive,
// summed in the log domain (binomials built up incrementally).
double smirnov_sf(int n, double x) {
  if (x <= 0) return 1.0;
  if (x >= 1) return 0.0;
  const double nd = n;
  const long jmax = static_cast<long>(std::floor(nd * (1 - x)));
  std::vector<double> logs;
  logs.reserve(static_cast<size_t>(jmax + 1));
  double log_binom = 0;  // log C(n, j)
  for (long j = 0; j <= jmax; ++j) {
    if (j > 0) log_binom += std::log((nd - static_cast<double>(j - 1)) / static_cast<double>(j));
    const double a = 1 - x - static_cast<double>(j) / nd;
    const double b = x + static_cast<double>(j) / nd;
    if (a <= 0) {
      if (n - j == 0) logs.push_back(log_binom + static_cast<double>(j - 1) * std::log(b));
      continue;
    }
    logs.push_back(log_binom + static_cast<double>(n - j) * std::log(a) + static_cast<double>(j - 1) * std::log(b));
  }
  if (logs.empty()) return 0.0;
  const double top = *std::max_element(logs.begin(), logs.end());
  double sum = 0;
  for (double l : logs) sum += std::exp(l - top);
  return clip01(x * std::exp(top) * sum);
}

using Matrix = std::vector<double>;  // row-major m x m

Matrix matmul(const Matrix& a, const Matrix& b, int m) {
  Matrix c(static_cast<size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i)
    for (int k = 0; k < m; ++k) {
      const double aik = a[static_cast<size_t>(i) * m + k];
      if (aik == 0) continue;
      for (int j = 0; j < m; ++j) c[static_cast<size_t>(i) * m + j] += aik * b[static_cast<size_t>(k) * m + j];
    }
  return c;
}

// P(D_n < d), exact: Durbin's matrix, evaluated as Marsaglia, Tsang and Wang (2003) do.
// d = (k - h)/n; H is (2k-1) x (2k-1); the answer is n!/n^n (H^n)[k-1][k-1].
double kolmogorov_cdf_durbin(int n, double d) {
  const double nd = n * d;
  if (d >= 1) return 1.0;
  if (nd <= 0.5) return 0.0;
  const int k = static_cast<int>(std::ceil(nd));
  const double h = k - nd;
  const int m = 2 * k - 1;
  Matrix hm(static_cast<size_t>(m) * m, 0.0);
  std::vector<double> inv_fact(static_cast<size_t>(m + 1), 1.0);  // 1/i!
  for (int i = 1; i <= m; ++i) inv_fact[static_cast<size_t>(i)] = inv_fact[static_cast<size_t>(i - 1)] / i;
  for (int i = 0; i < m; ++i)
    for (int j = 0; j < m; ++j)
      if (i - j + 1 >= 0) hm[static_cast<size_t>(i) * m + j] = inv_fact[static_cast<size_t>(i - j + 1)];
  for (int i = 0; i < m; ++i) {
    hm[static_cast<size_t>(i) * m] = (1 - std::pow(h, i + 1)) * inv_fact[static_cast<size_t>(i + 1)];
    hm[static_cast<size_t>(m - 1) * m + i] = (1 - std::pow(h, m - i)) * inv_fact[static_cast<size_t>(m - i)];
  }
  const double corner = 1 - 2 * std::pow(h, m) + (2 * h - 1 > 0 ? std::pow(2 * h - 1, m) : 0.0);
  hm[static_cast<size_t>(m - 1) * m] = corner * inv_fact[static_cast<size_t>(m)];

  // H^n by squaring; each factor carries a power-of-two exponent.
  Matrix power(static_cast<size_t>(m) * m, 0.0);
  for (int i = 0; i < m; ++i) power[static_cast<size_t>(i) * m + i] = 1.0;
  int power_exp = 0, base_exp = 0;
  const size_t center = static_cast<size_t>(k - 1) * m + (k - 1);
  for (int e = n; e > 0; e /= 2) {
    if (e % 2) {
      power = matmul(power, hm, m);
      power_exp += base_exp;
      if (std::abs(power[center]) > kBig) {
        for (double& v : power) v *= kSmall;
        power_exp += 128;
      }
    }
    if (e / 2 > 0) {
      hm = matmul(hm, hm, m);
      base_exp *= 2;
      if (std::abs(hm[center]) > kBig) {
        for (double& v : hm) v *= kSmall;
        base_exp += 128;
      }
    }
  }
  double p = power[center];
  for (int i = 1; i <= n; ++i) {  // times n!/n^n
    p = i * p / n;
    if (std::abs(p) < kSmall) {
      p *= kBig;
      power_exp -= 128;
    }
  }
  return clip01(std::ldexp(p, power_exp));
}

// Pelz-Good asymptotic series for P(D_n <= x): K0(z) + K1(z)/sqrt(n) + K2(z)/n + K3(z)/n^1.5,
// z = x sqrt(n), each K in its Jacobi-theta form for small z.
double kolmogorov_cdf_pelz_good(int n, double x) {
  if (x <= 0) return 0.0;
  if (x >= 1) return 1.0;
  const double z = std::sqrt(static_cast<double>(n)) * x;
  const double z2 = z * z, z3 = z2 * z, z4 = z2 * z2, z6 = z4 * z2;
  const double qlog = -kPi * kPi / 8 / z2;
  if (qlog < -708) return 0.0;
  const double pi2 = kPi * kPi, pi4 = pi2 * pi2, pi6 = pi4 * pi2;
  const double q = std::exp(qlog);
  const double k1a = -z2, k1b = pi2 / 4;
  const double k2a = 6 * z6 + 2 * z4, k2b = (2 * z4 - 5 * z2) * pi2 / 4, k2c = pi4 * (1 - 2 * z2) / 16;
  const double k3d = pi6 * (5 - 30 * z2) / 64, k3c = pi4 * (-60 * z2 + 212 * z4) / 16,
               k3b = pi2 * (135 * z4 - 96 * z6) / 4, k3a = -30 * z6 - 90 * z4 * z4;
  double s[4] = {0, 0, 0, 0};
  // Sums over odd m = 2k-1 of c(m) q^(m^2), Horner in q^(8k).
  const int kmax = static_cast<int>(std::ceil(16 * z / kPi));
  for (int k = kmax; k >= 1; --k) {
    const double mm = 2.0 * k - 1, m2 = mm * mm, m4 = m2 * m2, m6 = m4 * m2;
    const double qk = std::pow(q, 8.0 * k);
    const double c[4] = {1.0, k1a + k1b * m2, k2a + k2b * m2 + k2c * m4, k3a + k3b * m2 + k3c * m4 + k3d * m6};
    for (int i = 0; i < 4; ++i) s[i] = s[i] * qk + c[i];
  }
  const double sqrt2pi = std::sqrt(2 * kPi);
  const double den[4] = {z, 6 * z4, 72 * z6 * z, 6480 * z6 * z4};
  for (int i = 0; i < 4; ++i) s[i] = s[i] * q * sqrt2pi / den[i];
  // The K2 and K3 terms over all integers k.
  const double q2 = std::exp(-pi2 / 2 / z2);
  double k2extra = 0, k3extra = 0;
  const double sqrt3z = std::sqrt(3.0) * z;
  for (int k = kmax; k >= 1; --k) {
    const double kk = static_cast<double>(k) * k;
    const double qp = std::pow(q2, kk);
    k2extra += kk * qp;
    const double kpi = kPi * k;
    k3extra += (sqrt3z + kpi) * (sqrt3z - kpi) * kk * qp;
  }
  s[2] += k2extra * pi2 * sqrt2pi / (-36 * z3);
  s[3] += k3extra * pi2 * sqrt2pi / (216 * z6);
  const double rn = std::sqrt(static_cast<double>(n));
  return s[0] + s[1] / rn + s[2] / n + s[3] / (n * rn);
}

// log(n! / n^n) by Stirling's series (accurate for n > 140, where it is used).
double log_factorial_over_power(int n) {
  const double nd = n;
  return std::lgamma(nd + 1) - nd * std::log(nd);
}

}  // namespace

double kstwo_sf(int n, double x) {
  if (n < 1) fail("", "n", std::to_string(n) + " must be >= 1");
  if (std::isnan(x)) return x;
  if (x >= 1) return 0.0;
  if (x <= 0) return 1.0;
  const double t = n * x;
  if (t <= 1) {  // Ruben-Gambino: P(D_n < x) = n!/n^n (2t - 1)^n for 1/2n <= x <= 1/n
    if (t <= 0.5) return 1.0;
    double cdf;
    if (n <= 140) {
      cdf = 1;
      for (int i = 1; i <= n; ++i) cdf *= static_cast<double>(i) * (1.0 / n) * (2 * t - 1);
    } else {
      cdf = std::exp(log_factorial_over_power(n) + n * std::log(2 * t - 1));
    }
    return clip01(1 - cdf);
  }
  if (t >= n - 1) return clip01(2 * std::pow(1 - x, n));  // Ruben-Gambino
  if (x >= 0.5) return clip01(2 * smirnov_sf(n, x));      // the two one-sided events are disjoint
  const double nx2 = t * x;
  if (n <= 140) {
    // scipy uses Pomeranz's recursion for 0.754693 < n x^2 <= 4; Durbin's matrix is exact there too.
    if (nx2 <= 4) return clip01(1 - kolmogorov_cdf_durbin(n, x));
    return clip01(2 * smirnov_sf(n, x));
  }
  if (nx2 >= 370) return 0.0;
  if (nx2 >= 2.2) return clip01(2 * smirnov_sf(n, x));
  const double cdf =
      (n <= 100000 && n * std::pow(x, 1.5) <= 1.4) ? kolmogorov_cdf_durbin(n, x) : kolmogorov_cdf_pelz_good(n, x);
  return clip01(1 - cdf);
}

namespace {

// Right-continuous EDF counts of both samples at every distinct value, in increasing order.
struct Steps {
  std::vector<long> c1, c2;
};

Steps merged_counts(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  Steps s;
  size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const double v = j == b.size() ? a[i] : (i == a.size() ? b[j] : std::min(a[i], b[j]));
    while (i < a.size() && a[i] <= v) ++i;
    while (j < b.size() && b[j] <= v) ++j;
    s.c1.push_back(static_cast<long>(i));
    s.c2.push_back(static_cast<long>(j));
  }
  return s;
}

void require_sample(const std::vector<double>& v, const std::string& field) {
  if (v.empty()) fail("", field, "empty sample (the KS test needs at least one value in each)");
  for (double x : v)
    if (std::isnan(x)) fail("", field, "NaN in sample");
}

constexpr long kMaxExactN = 10000;  // scipy 1.10's MAX_AUTO_N

}  // namespace

double ks_exact_sf(long n1, long n2, long h) {
  if (n1 < 1 || n2 < 1 || h < 1) fail("", "ks", "exact distribution needs n1, n2, h >= 1");
  return clip01(n1 == n2 ? ks_exact_equal(n1, h) : ks_exact_general(n1, n2, h));
}

KsResult ks_two_sample(const std::vector<double>& a, const std::vector<double>& b) {
  require_sample(a, "a");
  require_sample(b, "b");
  const long n1 = static_cast<long>(a.size()), n2 = static_cast<long>(b.size());
  const Steps s = merged_counts(a, b);
  KsResult r;
  if (std::max(n1, n2) <= kMaxExactN) {
    // D = h / lcm exactly, with h an integer: the lattice distance of the farthest point.
    const long g = std::gcd(n1, n2);
    const long lcm = (n1 / g) * n2;
    long h = 0;
    for (size_t k = 0; k < s.c1.size(); ++k) h = std::max(h, std::labs(s.c1[k] * (n2 / g) - s.c2[k] * (n1 / g)));
    r.d = static_cast<double>(h) / static_cast<double>(lcm);
    r.method = "exact";
    r.p_value = h == 0 ? 1.0 : ks_exact_sf(n1, n2, h);
    return r;
  }
  // Asymptotic: D as scipy computes it in floating point, p from kstwo at the rounded
  // effective size n1 n2 / (n1 + n2).
  double dplus = 0, dminus = 0;
  for (size_t k = 0; k < s.c1.size(); ++k) {
    const double diff = static_cast<double>(s.c1[k]) / n1 - static_cast<double>(s.c2[k]) / n2;
    dplus = std::max(dplus, diff);
    dminus = std::max(dminus, -diff);
  }
  r.d = std::max(dplus, dminus);
  r.method = "asymptotic";
  const double m = std::max(n1, n2), n = std::min(n1, n2);
  const double en = m * n / (m + n);
  r.p_value = kstwo_sf(static_cast<int>(std::nearbyint(en)), r.d);
  return r;
}

KsResult ks_two_sample_weighted(const std::vector<double>& a, const std::vector<double>& wa,
                                const std::vector<double>& b, const std::vector<double>& wb) {
  require_sample(a, "a");
  require_sample(b, "b");
  if (wa.size() != a.size())
    fail("", "weights a", std::to_string(wa.size()) + " weights for " + std::to_string(a.size()) + " values");
  if (wb.size() != b.size())
    fail("", "weights b", std::to_string(wb.size()) + " weights for " + std::to_string(b.size()) + " values");
  auto check = [](const std::vector<double>& w, const std::string& field) {
    double sum = 0, sum2 = 0;
    bool equal = true;
    for (double v : w) {
      if (!(v >= 0) || !std::isfinite(v)) fail("", field, "weights must be finite and >= 0");
      sum += v;
      sum2 += v * v;
      equal = equal && v == w.front();
    }
    if (!(sum > 0)) fail("", field, "weights sum to 0");
    return std::make_tuple(sum, sum * sum / sum2, equal);
  };
  const auto [sa, neff_a, equal_a] = check(wa, "weights a");
  const auto [sb, neff_b, equal_b] = check(wb, "weights b");
  if (equal_a && equal_b) return ks_two_sample(a, b);

  // D of the weighted EDFs (each normalized to total weight 1) at every distinct value.
  std::vector<std::pair<double, double>> pts;  // (value, signed weight: +a, -b)
  pts.reserve(a.size() + b.size());
  for (size_t i = 0; i < a.size(); ++i) pts.emplace_back(a[i], wa[i] / sa);
  for (size_t i = 0; i < b.size(); ++i) pts.emplace_back(b[i], -wb[i] / sb);
  std::sort(pts.begin(), pts.end(), [](const auto& x, const auto& y) { return x.first < y.first; });
  double fa = 0, fb = 0, d = 0;
  for (size_t k = 0; k < pts.size(); ++k) {
    if (pts[k].second >= 0)
      fa += pts[k].second;
    else
      fb -= pts[k].second;
    if (k + 1 == pts.size() || pts[k + 1].first != pts[k].first) d = std::max(d, std::abs(fa - fb));
  }
  KsResult r;
  r.d = std::min(d, 1.0);
  r.method = "effective-n";
  const double en = neff_a * neff_b / (neff_a + neff_b);
  r.p_value = kstwo_sf(std::max(1, static_cast<int>(std::nearbyint(en))), r.d);
  return r;
}

KsLattice ks_lattice(std::vector<double> a, std::vector<double> b) {
  if (a.empty() || b.empty()) return {};
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  const long g = std::gcd(static_cast<long>(a.size()), static_cast<long>(b.size()));
  const long step_a = static_cast<long>(b.size()) / g, step_b = static_cast<long>(a.size()) / g;
  KsLattice r;
  long pos = 0;
  for (size_t i = 0, j = 0; i < a.size() || j < b.size();) {
    const double v = j == b.size() ? a[i] : (i == a.size() ? b[j] : std::min(a[i], b[j]));
    for (; i < a.size() && a[i] <= v; ++i) pos += step_a;
    for (; j < b.size() && b[j] <= v; ++j) pos -= step_b;
    r.plus = std::max(r.plus, pos);
    r.minus = std::max(r.minus, -pos);
  }
  return r;
}

}  // namespace regnet
