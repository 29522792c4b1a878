// Spearman and Kendall against scipy 1.10.1. The data are integer formulas (written beside each
// case) so that the python that produced the expected values is one line:
//   x, y = ...; s = scipy.stats.spearmanr(x, y); k = scipy.stats.kendalltau(x, y)
//   print(s.statistic, s.pvalue, k.statistic, k.pvalue)
// tests/cli/rank_vs_scipy.py repeats the comparison on random data through `regnet-explore stats`.
#include <catch2/catch.hpp>
#include <cmath>
#include <functional>

#include "core/base/error.hpp"
#include "core/stats/rank_correlation.hpp"

using namespace regnet;

namespace {

struct Case {
  const char* name;
  int n;
  std::function<double(int)> x, y;
  double rho, rho_p, tau, tau_p;
  const char* kendall_method;
};

std::vector<double> make(int n, const std::function<double(int)>& f) {
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(f(i));
  return v;
}

bool close(double ours, double ref, double rel) { return std::abs(ours - ref) <= rel * std::abs(ref); }

const int kSmallY[] = {2, 1, 4, 3, 7, 5, 6, 9, 10, 8};
const int kTiedX[] = {1, 2, 2, 3, 4, 4, 4, 5, 6, 7};
const int kTiedY[] = {3, 1, 2, 2, 5, 6, 5, 7, 7, 8};

const Case kCases[] = {
    // x = 1..10, y = [2,1,4,3,7,5,6,9,10,8]: Kendall exact (no ties, n <= 33)
    {"small untied", 10, [](int i) { return i + 1.0; }, [](int i) { return double(kSmallY[i]); }, 0.9030303030303028,
     0.00034361219776328223, 0.7333333333333333, 0.002212852733686067, "exact"},
    // x = [1,2,2,3,4,4,4,5,6,7], y = [3,1,2,2,5,6,5,7,7,8]: ties in both, Kendall asymptotic
    {"small ties", 10, [](int i) { return double(kTiedX[i]); }, [](int i) { return double(kTiedY[i]); },
     0.903744140906165, 0.000333901781490512, 0.7952384429746019, 0.002341869240428776, "asymptotic"},
    // x = 1..40, y = 41 x mod 101: untied, n > 33, Kendall asymptotic
    {"n40 untied", 40, [](int i) { return i + 1.0; }, [](int i) { return double((41 * (i + 1)) % 101); },
     0.03395872420262664, 0.8352108281603241, 0.06153846153846154, 0.5759913465270385, "asymptotic"},
    // x = 0..49, y = x with the first two swapped: one discordant pair, Kendall exact even at n = 50
    {"n50 one swap", 50, [](int i) { return double(i); }, [](int i) { return double(i < 2 ? 1 - i : i); },
     0.9999039615846338, 7.277743227728901e-91, 0.9983673469387755, 3.287949416633158e-63, "exact"},
    // x = 0..32, y = -7x mod 34: the exact recursion at its largest n
    {"n33 untied", 33, [](int i) { return double(i); }, [](int i) { return double(((-7 * i) % 34 + 34) % 34); },
     -0.061163101604278076, 0.7352694561427336, -0.10606060606060605, 0.3970551815721359, "exact"},
    // x = i // 3, y = i^2 mod 17, i = 0..59: many ties in both
    {"n60 ties", 60, [](int i) { return double(i / 3); }, [](int i) { return double((i * i) % 17); },
     0.03283828614142898, 0.8032984297179036, 0.023607505977501594, 0.8018550974330534, "asymptotic"},
    // x = 0..49, y = x + x mod 3: ties in y, p-values deep in the tail
    {"n50 near-monotone", 50, [](int i) { return double(i); }, [](int i) { return double(i + i % 3); },
     0.9984633853541416, 5.675010868785384e-62, 0.9738775510204083, 1.8783358922011816e-23, "asymptotic"},
    // x = [1,2,3], y = [3,1,2]: the smallest n
    {"n3", 3, [](int i) { return i + 1.0; }, [](int i) { return double((i + 2) % 3 + 1); }, -0.5, 0.6666666666666667,
     -0.33333333333333337, 1.0, "exact"},
};

}  // namespace

TEST_CASE("rank correlation: Spearman and Kendall agree with scipy 1.10", "[rank]") {
  for (const Case& c : kCases) {
    INFO(c.name);
    const auto x = make(c.n, c.x), y = make(c.n, c.y);
    const RankCorrelation s = spearman(x, y), k = kendall(x, y);
    CHECK(close(s.statistic, c.rho, 1e-13));
    CHECK(close(s.p_value, c.rho_p, 1e-10));
    CHECK(close(k.statistic, c.tau, 1e-13));
    CHECK(close(k.p_value, c.tau_p, 1e-10));
    CHECK(k.method == c.kendall_method);
    // Swapping the variables changes nothing; reversing one flips the sign only.
    CHECK(spearman(y, x).statistic == Approx(s.statistic).epsilon(1e-14));
    CHECK(kendall(y, x).p_value == Approx(k.p_value).epsilon(1e-12));
    auto neg = y;
    for (double& v : neg) v = -v;
    CHECK(kendall(x, neg).statistic == Approx(-k.statistic).epsilon(1e-14));
  }
}

TEST_CASE("rank correlation: perfect agreement", "[rank]") {
  // x = 0..9, y = 2x: scipy gives rho = 0.9999999999999999 (p 6.6e-64 from rounding) and
  // tau = 0.9999999999999999 with p = 2/10! exactly.
  const auto x = make(10, [](int i) { return double(i); }), y = make(10, [](int i) { return 2.0 * i; });
  CHECK(spearman(x, y).statistic == Approx(1.0).epsilon(1e-15));
  CHECK(spearman(x, y).p_value < 1e-60);
  CHECK(kendall(x, y).p_value == Approx(5.511463844797178e-07).epsilon(1e-12));
}

TEST_CASE("rank correlation: average ranks share tied positions", "[rank]") {
  CHECK(average_ranks({10, 20, 20, 5, 20}) == std::vector<double>{2, 4, 4, 1, 4});
  CHECK(average_ranks({3, 1, 2}) == std::vector<double>{3, 1, 2});
}

TEST_CASE("rank correlation: bad input is one clear error", "[rank]") {
  CHECK_THROWS_WITH(spearman({1, 2, 3}, {1, 2}), Catch::Contains("y") && Catch::Contains("pairs"));
  CHECK_THROWS_WITH(kendall({1, 2}, {1, 2}), Catch::Contains("at least 3"));
  CHECK_THROWS_WITH(spearman({1, 1, 1}, {1, 2, 3}), Catch::Contains("constant"));
  CHECK_THROWS_WITH(kendall({1, NAN, 3}, {1, 2, 3}), Catch::Contains("NaN"));
  CHECK_THROWS_AS(kendall({1, 2, 3}, {4, 4, 4}), UserError);
}
