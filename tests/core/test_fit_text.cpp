// `fit` on the command line: parsing --widths and the text it prints.
#include <catch2/catch.hpp>
#include <regex>
#include <sstream>

#include "core/base/error.hpp"
#include "core/fit/fit_text.hpp"

using namespace regnet;

TEST_CASE("fit text: --widths takes positive integers separated by commas", "[fit]") {
  CHECK(parse_widths("48, 96,144") == std::vector<int>{48, 96, 144});
  CHECK(parse_widths(" 8 ") == std::vector<int>{8});
  CHECK_THROWS_WITH(parse_widths("8,x"), "--widths: 'x' is not a whole width in [1, 1000000]");
  CHECK_THROWS_WITH(parse_widths("8,,16"), "--widths: empty entry in '8,,16'");
  CHECK_THROWS_WITH(parse_widths("8,16,"), "--widths: empty entry in '8,16,'");  // as --ids and --devices
  CHECK_THROWS_WITH(parse_widths("0"), "--widths: '0' is not a whole width in [1, 1000000]");
  CHECK_THROWS_WITH(parse_widths("2000000"), "--widths: '2000000' is not a whole width in [1, 1000000]");
  CHECK_THROWS_WITH(parse_widths("8.5"), "--widths: '8.5' is not a whole width in [1, 1000000]");
  CHECK_THROWS_WITH(parse_widths(""), "--widths: no widths given");
}

TEST_CASE("fit text: stages as width x blocks, the lines of a width fit", "[fit]") {
  CHECK(stages_text({24, 56, 152, 368}, {1, 1, 4, 7}) == "24x1 56x1 152x4 368x7");
  // RegNetX-400MF before group rounding: 24x1, 64x2, 152x7, 392x12, recovered exactly.
  std::vector<int> observed{24, 64, 64};
  for (int i = 0; i < 7; ++i) observed.push_back(152);
  for (int i = 0; i < 12; ++i) observed.push_back(392);
  const WidthFit f = fit_widths(observed);
  REQUIRE(f.e_fit == 0.0);
  std::istringstream lines(width_fit_text(observed, f));
  std::string line;
  std::getline(lines, line);
  CHECK(std::regex_match(line, std::regex("depth 22: w0 = 24, wa = [0-9.]+, wm = [0-9.]+, e_fit = 0\\.0000")));
  std::getline(lines, line);
  CHECK(line == "fitted stages (width x blocks): 24x1 64x2 152x7 392x12");
  std::getline(lines, line);
  CHECK(line == "observed:  24,64,64,152,152,152,152,152,152,152,392,392,392,392,392,392,392,392,392,392,392,392");
  std::getline(lines, line);
  CHECK(line == "predicted: 24,64,64,152,152,152,152,152,152,152,392,392,392,392,392,392,392,392,392,392,392,392");
  CHECK_FALSE(std::getline(lines, line));
}

TEST_CASE("fit text: the table of a sweep's top models, the summary and the suggested range", "[fit]") {
  SweepFit r;
  r.dir = "sw";
  r.done = 31;
  r.samples = 40;
  r.results = 36;
  FittedModel m;
  m.id = 23;
  m.error = 30.1;
  m.fit.depth = 13;
  m.fit.w0 = 24;
  m.fit.wa = 25;
  m.fit.wm = 2.8;
  m.fit.e_fit = 0.0021;
  m.fitted.stage_widths = {24, 64, 192, 528};
  m.fitted.stage_depths = {1, 3, 8, 1};
  r.models = {m};
  r.summary = {{"d", 13, 13, 13, 13, 13}, {"wa", 25, 24.5, 25.25, 24, 26}, {"e_fit", 0.0021, 0.001, 0.003, 0, 0.00412}};
  r.suggested = {13, 13, 24, 24, 25.0, 25.0, 2.8, 2.8, 4, 4, {8, 16}, {1.0}, {0.0}};
  CHECK(sweep_fit_text(r) ==
        "fit sw: top 1 of 31 finished models by best top-1 error (40 samples, 36 results)\n"
        "      id   error   d   w0      wa     wm  e_fit  fitted stages (width x blocks)\n"
        "00000023   30.10  13   24   25.00  2.800  0.002  24x1 64x3 192x8 528x1\n"
        "\n"
        "across the top 1: median [95% bootstrap band of the median] (min..max)\n"
        "  d      13 [13, 13] (13..13)\n"
        "  wa     25.00 [24.50, 25.25] (24.00..26.00)\n"
        "  e_fit  0.0021 [0.0010, 0.0030] (0.0000..0.0041)\n"
        "\n"
        "suggested RegNet range: d 13..13, w0 24..24, wa 25.0..25.0, wm 2.800..2.800, g {8,16}, b {1}, stages 4..4\n");
}
