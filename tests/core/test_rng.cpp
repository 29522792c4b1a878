// The generators: fixed streams (every sweep and resample depends on them), bounds, and the
// deterministic exp/log against libm.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstdint>

#include "core/base/rng.hpp"

using namespace regnet;

TEST_CASE("rng: SplitMix64 is Vigna's splitmix64 (reference outputs for seed 0)", "[rng]") {
  SplitMix64 r(0);
  CHECK(r.next() == 0xE220A8397B1DCDAFULL);
  CHECK(r.next() == 0x6E789E6AA1B965F4ULL);
  CHECK(r.next() == 0x06C45D188009454FULL);
}

TEST_CASE("rng: the sampler's counter stream is pinned (a change here changes every sweep)", "[rng]") {
  CounterRng a(1, 5);
  CHECK(a.next() == 12056988557360370336ULL);
  CHECK(a.next() == 13147512266494507215ULL);
  CHECK(a.next() == 10505947350119235025ULL);
  CHECK(a.uniform() == 0.44233137582616167);
}

TEST_CASE("rng: below, uniform and scaled_below stay in range and use one word per draw", "[rng]") {
  SplitMix64 r(42);
  for (int i = 0; i < 10000; ++i) {
    const std::uint64_t n = 1 + static_cast<std::uint64_t>(i % 97);
    REQUIRE(r.below(n) < n);
    const double u = r.uniform();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
    const std::int64_t k = r.scaled_below(static_cast<std::int64_t>(n));
    REQUIRE(k >= 0);
    REQUIRE(k < static_cast<std::int64_t>(n));
  }
  // scaled_below(n) == floor(uniform() * n) from the same state.
  SplitMix64 a(7), b(7);
  for (std::int64_t n = 1; n <= 1000; ++n)
    CHECK(a.scaled_below(n) == static_cast<std::int64_t>(std::floor(b.uniform() * static_cast<double>(n))));
}

TEST_CASE("rng: det_log and det_exp agree with libm to a few ulp", "[rng]") {
  for (double x = 1e-6; x < 1e7; x *= 1.37) {
    CHECK(std::fabs(det_log(x) - std::log(x)) <= 4e-16 * std::max(1.0, std::fabs(std::log(x))));
    const double y = std::log(x);
    CHECK(std::fabs(det_exp(y) - std::exp(y)) <= 4e-16 * std::exp(y));
  }
  CHECK(det_log(1.0) == 0.0);
  CHECK(det_exp(0.0) == 1.0);
}
