// What `analyze` prints on stdout.
#include <catch2/catch.hpp>

#include "core/terminal_summary.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

TEST_CASE("report: text summary lists every sweep and the KS test", "[report]") {
  TempDir t;
  const std::string text = text_summary(two_regnet_sweeps(t));
  CHECK_THAT(text, Catch::Contains("xa") && Catch::Contains("x b") && Catch::Contains("xa vs x b: D = "));
  CHECK_THAT(text, Catch::Contains("best epoch"));
}
