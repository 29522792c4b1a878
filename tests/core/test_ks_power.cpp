// The KS power estimate: models per space needed for 80% power, by resampling two EDFs.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/rng.hpp"
#include "core/stats/ks.hpp"
#include "core/stats/ks_power.hpp"

using namespace regnet;

namespace {

// n standard normal draws (Box-Muller on SplitMix64) shifted by `shift`.
std::vector<double> normal(int n, std::uint64_t seed, double shift) {
  SplitMix64 rng(seed);
  auto u = [&] { return (static_cast<double>(rng.next() >> 11) + 0.5) * 0x1.0p-53; };
  std::vector<double> v;
  for (int i = 0; i < n; ++i) v.push_back(shift + std::sqrt(-2 * std::log(u())) * std::cos(2 * M_PI * u()));
  return v;
}

}  // namespace

TEST_CASE("ks power: the grid and the exact critical distance", "[stats]") {
  CHECK(power_grid() == std::vector<int>{8, 11, 16, 23, 32, 45, 64, 91, 128, 181, 256, 362, 512, 724, 1024});
  CHECK(power_grid(20) == std::vector<int>{8, 11, 16});
  for (long n : {8L, 16L, 45L, 300L}) {
    const long h = ks_critical_h(n, 0.05);
    INFO("n = " << n << ", h = " << h);
    CHECK(ks_exact_sf(n, n, h) < 0.05);
    CHECK(ks_exact_sf(n, n, h - 1) >= 0.05);
    // The asymptotic critical D, 1.358 sqrt(2/n), is close.
    CHECK(static_cast<double>(h) / n == Approx(1.358 * std::sqrt(2.0 / n)).epsilon(0.2));
  }
  CHECK(ks_critical_h(2, 0.05) == 3);  // two models per space can never reject at 5%
}

TEST_CASE("ks power: disjoint errors need the fewest models, equal ones more than the grid holds", "[stats]") {
  std::vector<double> a, b;
  for (int i = 0; i < 50; ++i) {
    a.push_back(30 + 0.1 * i);
    b.push_back(40 + 0.1 * i);
  }
  const KsPower far = ks_power(a, b, 0.05, 0.8, 200, 1);
  CHECK(far.needed == 8);
  CHECK(far.n == std::vector<int>{8});  // stops at the first size that reaches 80%
  CHECK(far.power == std::vector<double>{1.0});
  const KsPower same = ks_power(a, a, 0.05, 0.8, 400, 1);
  CHECK(same.needed == 0);
  CHECK(same.largest == 1024);
  CHECK(same.n.size() == power_grid().size());
  for (double p : same.power) CHECK(p <= 0.1);  // about alpha (or below: the exact test is conservative)
}

TEST_CASE("ks power: half a standard deviation needs some tens of models per space", "[stats]") {
  // For continuous samples the KS test needs about 70-90 models per group for 80% power at a shift
  // of 0.5 sd; resampling EDFs of 300 models gives about the same.
  const auto a = normal(300, 11, 0), b = normal(300, 12, 0.5);
  const KsPower p = ks_power(a, b, 0.05, 0.8, 1000, 3);
  INFO("needed " << p.needed);
  CHECK(p.needed >= 45);
  CHECK(p.needed <= 128);
  CHECK(p.power.back() >= 0.8);
  CHECK(p.power[p.power.size() - 2] < 0.8);
  for (size_t k = 1; k < p.power.size(); ++k) CHECK(p.power[k] >= p.power[k - 1] - 0.05);
  // Deterministic in the seed.
  CHECK(ks_power(a, b, 0.05, 0.8, 1000, 3).power == p.power);
  CHECK_THROWS_AS(ks_power({}, b), UserError);
  CHECK_THROWS_AS(ks_power(a, b, 1.5), UserError);
}
