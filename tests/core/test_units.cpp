// Counts with SI suffixes and complexity windows.
#include <catch2/catch.hpp>

#include <cstdint>

#include "core/base/error.hpp"
#include "core/base/units.hpp"

using namespace regnet;

TEST_CASE("units: counts with suffixes parse exactly", "[units]") {
  CHECK(parse_count("360M") == 360000000);
  CHECK(parse_count("1.6G") == 1600000000);
  CHECK(parse_count("0.4G") == 400000000);
  CHECK(parse_count("400000000") == 400000000);
  CHECK(parse_count("400MF") == 400000000);
  CHECK(parse_count("12k") == 12000);
  CHECK(parse_count("4e8") == 400000000);
  CHECK(parse_count("3.25e2") == 325);
  CHECK(parse_count("0.001G") == 1000000);
  CHECK(parse_count("0") == 0);
  CHECK(parse_count("1.5T") == 1500000000000LL);
  // 0.1 + 0.2 style rounding cannot creep in: 1.1G is exactly 1,100,000,000.
  CHECK(parse_count("1.1G") == 1100000000);
}

TEST_CASE("units: bad counts name the option and the text", "[units]") {
  CHECK_THROWS_WITH(parse_count("1.5", "--flops"), "--flops: '1.5' is not a whole number");
  CHECK_THROWS_WITH(parse_count("abc", "--flops"), Catch::Contains("--flops: 'abc' is not a count"));
  CHECK_THROWS_WITH(parse_count("-5M", "--params"), "--params: '-5M' is negative");
  CHECK_THROWS_AS(parse_count(""), UserError);
  CHECK_THROWS_AS(parse_count("400X"), UserError);
  CHECK_THROWS_AS(parse_count("4e"), UserError);
  CHECK_THROWS_WITH(parse_count("1e30"), Catch::Contains("too large"));
}

TEST_CASE("units: windows with open sides", "[units]") {
  const Window w = parse_window("360M:400M");
  CHECK(*w.lo == 360000000);
  CHECK(*w.hi == 400000000);
  CHECK(w.contains(360000000));
  CHECK(w.contains(400000000));
  CHECK_FALSE(w.contains(359999999));
  CHECK_FALSE(w.contains(400000001));

  const Window hi_only = parse_window(":400M");
  CHECK_FALSE(hi_only.lo);
  CHECK(*hi_only.hi == 400000000);
  CHECK(hi_only.contains(0));

  const Window lo_only = parse_window("2M:");
  CHECK(*lo_only.lo == 2000000);
  CHECK_FALSE(lo_only.hi);
  CHECK(lo_only.contains(std::int64_t(1) << 50));

  CHECK(parse_window(":").unbounded());
  CHECK_THROWS_WITH(parse_window("400M:360M", "--flops"), Catch::Contains("--flops: '400M:360M' is empty"));
  CHECK_THROWS_WITH(parse_window("400M", "--flops"), Catch::Contains("is not a window LO:HI"));
  CHECK_THROWS_AS(parse_window("1:2:3"), UserError);
  CHECK_THROWS_AS(parse_window("x:2"), UserError);
}

TEST_CASE("units: formatting", "[units]") {
  CHECK(format_count(397678568) == "398M");
  CHECK(format_count(5157512) == "5.16M");
  CHECK(format_count(1600000000) == "1.60G");
  CHECK(format_count(19900000) == "19.9M");
  CHECK(format_count(999) == "999");
  CHECK(format_count(999600) == "1.00M");
  CHECK(format_thousands(397678568) == "397,678,568");
  CHECK(format_thousands(12) == "12");
  CHECK(format_thousands(-1234) == "-1,234");
  CHECK(format_count_exact(360000000) == "360M");
  CHECK(format_count_exact(360500000) == "360500k");
  CHECK(format_count_exact(123) == "123");
  // Windows print exactly and parse back.
  for (const char* text : {"360M:400M", ":400M", "2M:", "1234567:7654321"}) {
    const Window w = parse_window(text);
    CHECK(parse_window(to_string(w)) == w);
  }
  CHECK(to_string(Window{}) == "any");
}

TEST_CASE("units: integer options are plain decimals and never wrap", "[units]") {
  CHECK(parse_integer("42", "-n", 1, 100) == 42);
  CHECK(parse_integer("007", "-n", 1, 100) == 7);  // decimal, not octal
  CHECK(parse_integer("-5", "--x", -10, 10) == -5);
  CHECK(parse_integer("+5", "--x", -10, 10) == 5);
  CHECK(parse_integer("-9223372036854775808", "", INT64_MIN, INT64_MAX) == INT64_MIN);
  CHECK_THROWS_WITH(parse_integer("2.5", "-n", 1, 100), "-n: '2.5' is not a whole number");
  CHECK_THROWS_WITH(parse_integer("0x10", "-n", 1, 100), "-n: '0x10' is not a whole number");
  CHECK_THROWS_WITH(parse_integer(" 5", "-n", 1, 100), "-n: ' 5' is not a whole number");
  CHECK_THROWS_WITH(parse_integer("", "-n", 1, 100), "-n: '' is not a whole number");
  CHECK_THROWS_WITH(parse_integer("0", "-n", 1, 100), "-n: 0 must be >= 1");
  CHECK_THROWS_WITH(parse_integer("101", "-n", 1, 100), "-n: 101 must be <= 100");
  CHECK_THROWS_WITH(parse_integer("99999999999999999999999", "-n", 1, 100),
                    "-n: 99999999999999999999999 must be <= 100");
  CHECK_THROWS_WITH(parse_integer("-99999999999999999999999", "-n", 1, 100), Catch::Contains("must be >= 1"));

  CHECK(parse_unsigned("18446744073709551615") == UINT64_MAX);
  CHECK(parse_unsigned("0") == 0);
  CHECK_THROWS_WITH(parse_unsigned("-1", "--seed"), "--seed: '-1' must be >= 0");
  CHECK_THROWS_WITH(parse_unsigned("18446744073709551616", "--seed"),
                    "--seed: '18446744073709551616' is too large (at most 18446744073709551615)");
  CHECK_THROWS_WITH(parse_unsigned("abc", "--seed"), "--seed: 'abc' is not a whole number");
}

TEST_CASE("units: counts with big suffixes stay within 64 bits", "[units]") {
  CHECK(parse_count("999999T") == 999999000000000000LL);  // 18 digits: the largest that is read
  CHECK_THROWS_WITH(parse_count("10000000T", "--flops"), "--flops: '10000000T' is too large");
  CHECK_THROWS_WITH(parse_count("1e400", "--flops"), "--flops: '1e400' is too large");
  CHECK_THROWS_WITH(parse_count("9999999999999999999", "--flops"), Catch::Contains("is too large"));
  // Every count read stays below kCountOverflow, so an overflowed model is outside every window.
  CHECK(parse_window(":999999T").contains(999999000000000000LL));
  CHECK_FALSE(parse_window(":999999T").contains(INT64_MAX));
}
