#pragma once
// The normal and Student-t distributions that the rank-correlation p-values and the
// O'Brien-Fleming spending function need (docs/statistics.md). Accurate to about 1e-14
// relative in the tails, where p-values live.

namespace regnet {

// P(Z <= z) and P(Z > z) for a standard normal Z (erfc, so a tail keeps its digits).
double normal_cdf(double z);
double normal_sf(double z);
// z with P(Z <= z) = p, 0 < p < 1 (Acklam's rational approximation plus one Halley step).
double normal_quantile(double p);

// The regularized incomplete beta function I_x(a, b), a, b > 0, 0 <= x <= 1
// (continued fraction, Numerical Recipes' modified Lentz evaluation).
double regularized_incomplete_beta(double a, double b, double x);

// P(T > t) for Student's t with df > 0 degrees of freedom (scipy.special.stdtr(df, -t)).
double student_t_sf(double t, double df);

}  // namespace regnet
