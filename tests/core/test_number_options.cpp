// lib/cli/number_options.hpp: every number bounded as it is parsed, the bound in the
// message, and the check that finds an option without one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "cli/number_options.hpp"

using namespace regnet::cli;

namespace {

// The error parsing `args` gives ("" if none).
std::string parse_error(CLI::App& app, std::vector<std::string> args) {
  std::reverse(args.begin(), args.end());
  try {
    app.parse(args);
  } catch (const CLI::ParseError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("number options: bounds and their messages", "[number_options]") {
  CLI::App app;
  int bins = 0;
  double alpha = 0.05;
  std::uint64_t seed = 0;
  app.add_option("--bins", bins)->transform(whole_number<int>(0, 10000));
  app.add_option("--alpha", alpha)->transform(real_number(0, 1, true, true));
  app.add_option("--seed", seed)->transform(seed_number());
  CHECK(parse_error(app, {"--bins", "2147483647"}) == "--bins: 2147483647 must be in [0, 10000]");
  CHECK(parse_error(app, {"--bins", "99999999999999999999999"}) ==
        "--bins: 99999999999999999999999 must be in [0, 10000]");
  CHECK_THAT(parse_error(app, {"--bins", "0x10"}), Catch::Contains("'0x10' is not a whole number"));
  CHECK(parse_error(app, {"--alpha", "nan"}) == "--alpha: 'nan' is not a number in (0, 1)");
  CHECK(parse_error(app, {"--alpha", "0"}) == "--alpha: 0 must be in (0, 1)");
  CHECK(parse_error(app, {"--alpha", "1"}) == "--alpha: 1 must be in (0, 1)");
  CHECK(parse_error(app, {"--alpha", "1e400"}) == "--alpha: '1e400' is not a number in (0, 1)");
  CHECK_THAT(parse_error(app, {"--seed", "-1"}), Catch::Contains("(a seed is in [0, 18446744073709551615])"));
  CHECK(parse_error(app, {"--bins", "010", "--alpha", "0.25", "--seed", "18446744073709551615"}).empty());
  CHECK(bins == 10);
  CHECK(alpha == 0.25);
  CHECK(seed == UINT64_MAX);
}

TEST_CASE("number options: an option that takes a number without a bound is found", "[number_options]") {
  CLI::App app;
  int bounded = 0, unbounded = 0;
  double real = 0;
  std::string text;
  bool flag = false;
  app.add_option("--bounded", bounded)->transform(whole_number<int>(1, 2));
  app.add_option("--text", text);
  app.add_flag("--flag", flag);
  auto* sub = app.add_subcommand("sub");
  sub->add_option("--unbounded", unbounded)->check(CLI::Range(0, 5));
  sub->add_option("--real", real);
  CHECK(unbounded_numbers(app) == std::vector<std::string>{"sub --unbounded", "sub --real"});
}
