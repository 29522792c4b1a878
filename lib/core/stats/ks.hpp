#pragma once
// Two-sample Kolmogorov-Smirnov tests of error distributions, with the p-values of
// scipy.stats.ks_2samp (method "auto", two-sided), and the one-sample distribution kstwo they
// fall back on. Which method applies where: docs/statistics.md.
#include <string>
#include <vector>

namespace regnet {

struct KsResult {
  double d = 0;        // sup |F1 - F2|
  double p_value = 1;  // two-sided, exact for small samples, asymptotic otherwise (as scipy's ks_2samp "auto")
  std::string method = "exact";  // "exact", "asymptotic" or "effective-n" (weighted)
};
KsResult ks_two_sample(const std::vector<double>& a, const std::vector<double>& b);
// With weights (normalized EDFs): D of the weighted EDFs; p-value from the effective sample sizes
// n_eff = (sum w)^2 / sum w^2 (docs/statistics.md). Equal weights give ks_two_sample's result.
KsResult ks_two_sample_weighted(const std::vector<double>& a, const std::vector<double>& wa,
                                const std::vector<double>& b, const std::vector<double>& wb);

// Under H0, P(D >= h / lcm(n1, n2)) for samples of n1 and n2 distinct values, exactly (the
// p-value of the "exact" method; h >= 1).
double ks_exact_sf(long n1, long n2, long h);

// D lcm(n_a, n_b) on the integer lattice, split by sign: plus where F_a > F_b (a has the lower
// errors there), minus where F_b > F_a. The EDFs are compared after each distinct value, so tied
// errors move both at once (Conover's convention, scipy's). Both 0 when a sample is empty.
struct KsLattice {
  long plus = 0, minus = 0;
};
KsLattice ks_lattice(std::vector<double> a, std::vector<double> b);

// P(D_n >= d) for the one-sample two-sided KS statistic D_n (scipy.stats.kstwo.sf(d, n)).
double kstwo_sf(int n, double d);

}  // namespace regnet
