// Samples compared at one complexity distribution: weighted EDFs, curves inside the shared range,
// and the normalized KS test of every pair.
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/stats/nds_comparison.hpp"

using namespace regnet;

TEST_CASE("nds comparison: the models outside the shared range weigh nothing", "[nds_comparison]") {
  NdsOptions o;
  o.bins = 2;
  const NdsComparison c = nds_compare({{360, 370, 380, 390}, {370, 375, 385, 400}}, {{4, 3, 2, 1}, {4, 3, 2, 1}}, o);
  CHECK(c.normalization.range.lo == 370);
  CHECK(c.normalization.range.hi == 390);
  REQUIRE(c.curves.size() == 2);
  CHECK(c.curves[0].x == std::vector<double>{1, 2, 3});  // 4 is outside: its model at 360
  CHECK(c.curves[0].y.back() == Approx(1.0));
  REQUIRE(c.pairs.size() == 1);
  CHECK(c.pairs[0].ks.d == Approx(0.25));
  const auto j = to_json(c);
  CHECK(j["samples"][1]["outside"] == 1);
  CHECK(j["ks"][0]["b"] == 1);
}

TEST_CASE("nds comparison: without errors only the normalization; mismatched errors are refused", "[nds_comparison]") {
  NdsOptions o;
  o.bins = 2;
  const NdsComparison c = nds_compare({{380, 362, 399, 371}}, {}, o);
  CHECK(c.curves.empty());
  CHECK_FALSE(to_json(c).contains("ks"));
  CHECK_FALSE(to_json(c)["samples"][0].contains("curve_x"));
  CHECK_THROWS_WITH(nds_compare({{380, 362, 399, 371}}, {{1, 2}}, o), "--errors: 2 errors for 4 models");
  CHECK_THROWS_WITH(nds_compare({{380, 362, 399, 371}}, {{1, 2, 3, 4}, {1}}, o),
                    "--errors: 2 samples of errors for 1 of complexity");
}
