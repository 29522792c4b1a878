// Normal and Student-t distributions against scipy 1.10.1 (Debian bookworm's python3-scipy).
// Every expected value was printed by the python line in the comment above its table.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/stats/distributions.hpp"

using namespace regnet;

namespace {
bool close(double ours, double ref, double rel) { return std::abs(ours - ref) <= rel * std::abs(ref) + 1e-300; }
}  // namespace

TEST_CASE("distributions: the normal quantile matches scipy.stats.norm.ppf", "[distributions]") {
  // for p in [...]: print(p, float(scipy.stats.norm.ppf(p)))
  const double table[][2] = {{1e-300, -37.0470962993612}, {1e-10, -6.361340902404056},
                             {0.001, -3.090232306167813}, {0.025, -1.9599639845400545},
                             {0.3, -0.5244005127080409},  {0.8, 0.8416212335729143},
                             {0.975, 1.959963984540054},  {0.9999999999, 6.361340889697422}};
  for (const auto& row : table) {
    INFO("p = " << row[0]);
    CHECK(close(normal_quantile(row[0]), row[1], 1e-13));
  }
  CHECK(normal_quantile(0.5) == 0.0);
  CHECK(std::isinf(normal_quantile(0.0)));
  CHECK(std::isnan(normal_quantile(1.5)));
}

TEST_CASE("distributions: normal tails keep their digits", "[distributions]") {
  // for z in [...]: print(z, float(scipy.stats.norm.sf(z)))
  const double table[][2] = {{-3.0, 0.9986501019683699},
                             {1.96, 0.024997895148220435},
                             {5.0, 2.866515718791933e-07},
                             {12.0, 1.776482112077653e-33},
                             {37.5, 4.605353009581954e-308}};
  for (const auto& row : table) {
    INFO("z = " << row[0]);
    CHECK(close(normal_sf(row[0]), row[1], 1e-13));
    CHECK(close(normal_cdf(-row[0]), row[1], 1e-13));
  }
}

TEST_CASE("distributions: Student-t tails match scipy.special.stdtr", "[distributions]") {
  // for t, df in [...]: print(t, df, float(scipy.special.stdtr(df, -t)))
  const double table[][3] = {
      {2.0, 3, 0.06966298427942155},     {0.5, 10, 0.31394680287148646},   {10.0, 5, 8.547378787148179e-05},
      {40.0, 48, 8.072402125331163e-39}, {1.3, 1, 0.20871440016015264},    {3.0, 998, 0.0013834220060167865},
      {-1.5, 7, 0.911350756505015},      {25.0, 2, 0.0007980851057051669}, {0.01, 30, 0.49604374628658887}};
  for (const auto& row : table) {
    INFO("t = " << row[0] << ", df = " << row[1]);
    CHECK(close(student_t_sf(row[0], row[1]), row[2], 1e-12));
  }
  CHECK(student_t_sf(INFINITY, 4) == 0.0);
  CHECK(student_t_sf(0, 4) == Approx(0.5).epsilon(1e-15));
}

TEST_CASE("distributions: the regularized incomplete beta matches scipy.special.betainc", "[distributions]") {
  // for a, b, x in [...]: print(a, b, x, float(scipy.special.betainc(a, b, x)))
  const double table[][4] = {{2.0, 3.0, 0.4, 0.5247999999999999},
                             {0.5, 0.5, 0.9, 0.7951672353008662},
                             {10.0, 0.5, 0.2, 1.994982493613095e-08},
                             {50.0, 60.0, 0.45, 0.4642352914306064},
                             {1.0, 1.0, 0.3, 0.3}};
  for (const auto& row : table) {
    INFO("a = " << row[0] << ", b = " << row[1] << ", x = " << row[2]);
    CHECK(close(regularized_incomplete_beta(row[0], row[1], row[2]), row[3], 1e-12));
  }
  CHECK(regularized_incomplete_beta(2, 3, 0) == 0.0);
  CHECK(regularized_incomplete_beta(2, 3, 1) == 1.0);
  CHECK(std::isnan(regularized_incomplete_beta(-1, 3, 0.5)));
}
