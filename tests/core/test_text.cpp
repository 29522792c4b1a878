#include <catch2/catch.hpp>

#include "core/base/text.hpp"

using namespace regnet;

TEST_CASE("text: fixed and significant digits read as printf would", "[text]") {
  CHECK(fixed(19.6234, 2) == "19.62");
  CHECK(fixed(0.5, 0) == "0");  // round half to even, as printf
  CHECK(fixed(-3.14159, 3) == "-3.142");
  CHECK(significant(0.000123456, 3) == "0.000123");
  CHECK(significant(8.1e-11, 2) == "8.1e-11");
  CHECK(significant(12345.0, 3) == "1.23e+04");
  CHECK(shortest(0.1) == "0.1");
  CHECK(shortest(120.0) == "120");
}

TEST_CASE("text: plural and join", "[text]") {
  CHECK(plural(1, "model") == "1 model");
  CHECK(plural(0, "model") == "0 models");
  CHECK(plural(2, "process", "processes") == "2 processes");
  CHECK(join({}, ", ") == "");
  CHECK(join({"a", "b", "c"}, ", ") == "a, b, c");
}
