// How numbers and labels of an analysis read in figures, the page and the terminal.
#include <catch2/catch.hpp>
#include <cmath>

#include "core/report/report_text.hpp"

using namespace regnet;

TEST_CASE("report text: compact values, n/a for what is not a number, plain labels", "[report]") {
  CHECK(value_text(48) == "48");
  CHECK(value_text(2.4912) == "2.49");
  CHECK(value_text(36.4417) == "36.44");
  CHECK(value_text(0.000123456) == "0.000123");
  CHECK(value_text(NAN) == "n/a");
  CHECK(fixed_or_na(19.6234, 2) == "19.62");
  CHECK(fixed_or_na(INFINITY, 2) == "n/a");
  CHECK(significant_or_na(0.0016421, 3) == "0.00164");
  CHECK(significant_or_na(NAN, 3) == "n/a");
  CHECK(plain_label("w_0 (initial width)") == "w0 (initial width)");
}
