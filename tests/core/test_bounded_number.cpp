// Numbers a user typed: strict, bounded, and every message states the bound.
#include <catch2/catch.hpp>

#include "core/base/bounded_number.hpp"
#include "core/base/error.hpp"

using namespace regnet;

TEST_CASE("bounded numbers: whole numbers in [lo, hi], nothing octal, hex or wrapped", "[bounded_number]") {
  CHECK(bounded_integer("010", 0, 100) == 10);
  CHECK(bounded_integer("+7", 0, 100) == 7);
  CHECK(bounded_integer("-3", -5, 5) == -3);
  CHECK_THROWS_WITH(bounded_integer("0x10", 0, 100), "'0x10' is not a whole number (it must be in [0, 100])");
  CHECK_THROWS_WITH(bounded_integer("-", 0, 100), "'-' is not a whole number (it must be in [0, 100])");
  CHECK_THROWS_WITH(bounded_integer("101", 0, 100), "101 must be in [0, 100]");
  CHECK_THROWS_WITH(bounded_integer("99999999999999999999999", 0, 100), "99999999999999999999999 must be in [0, 100]");
  CHECK(interval_text(-1, 2) == "[-1, 2]");
}

TEST_CASE("bounded numbers: a seed is 0 .. 2^64 - 1", "[bounded_number]") {
  CHECK(bounded_seed("18446744073709551615") == 18446744073709551615ull);
  CHECK_THROWS_WITH(bounded_seed("-1"), Catch::Contains("(a seed is in [0, 18446744073709551615])"));
  CHECK_THROWS_WITH(bounded_seed("18446744073709551616"), Catch::Contains("too large"));
}

TEST_CASE("bounded numbers: finite plain decimals inside a closed or open interval", "[bounded_number]") {
  const RealBound open{0, 0.5, true, true};
  CHECK(open.text() == "(0, 0.5)");
  CHECK(bounded_real("0.25", open) == 0.25);
  CHECK(bounded_real("1e-3", open) == 0.001);
  CHECK_THROWS_WITH(bounded_real("0", open), "0 must be in (0, 0.5)");
  CHECK_THROWS_WITH(bounded_real("nan", open), "'nan' is not a number in (0, 0.5)");
  CHECK_THROWS_WITH(bounded_real("0x1p-2", open), "'0x1p-2' is not a number in (0, 0.5)");
  CHECK_THROWS_WITH(bounded_real("1e999", RealBound{0, 1e6}), "'1e999' is not a number in [0, 1000000]");
  CHECK(RealBound{0, 1}.contains(1));
  CHECK_FALSE((RealBound{0, 1, false, true}).contains(1));
}
