// Sweep state: id lists and which samples are done, claimed, stale or pending.
#include <catch2/catch.hpp>

#include "core/base/error.hpp"
#include "core/sweep/sample_states.hpp"

using namespace regnet;
using State = ClaimObservation::State;

TEST_CASE("sweep state: id lists take ranges, singles and open ends", "[sweep_state]") {
  CHECK(parse_id_list("0-3,7", 10) == std::vector<int>{0, 1, 2, 3, 7});
  CHECK(parse_id_list("7, 2-3 ,2", 10) == std::vector<int>{2, 3, 7});  // sorted, duplicates merged
  CHECK(parse_id_list("8-", 10) == std::vector<int>{8, 9, 10});
  CHECK_THROWS_WITH(parse_id_list("3-1", 10), Catch::Contains("--ids") && Catch::Contains("empty range"));
  CHECK_THROWS_WITH(parse_id_list("11", 10), Catch::Contains("not a sample") && Catch::Contains("0-10"));
  CHECK_THROWS_AS(parse_id_list("a-b", 10), UserError);
  CHECK_THROWS_AS(parse_id_list("", 10), UserError);
  CHECK_THROWS_AS(parse_id_list("1,,2", 10), UserError);
  CHECK(format_id_list({9, 0, 1, 2, 3, 5, 7, 8}) == "0-3,5,7-9");
  CHECK(format_id_list({4}) == "4");
  CHECK(format_id_list({}).empty());
  CHECK(parse_id_list(format_id_list({0, 2, 3, 4, 10}), 10) == std::vector<int>{0, 2, 3, 4, 10});
}

TEST_CASE("sweep state: a result makes a sample done whatever its claim, stale claims come first", "[sweep_state]") {
  const SweepState s = classify({5, 0, 1, 2, 3, 4, 4}, {1, 3},
                                {{1, State::live}, {2, State::live}, {4, State::stale}, {5, State::none}});
  CHECK(s.done == std::vector<int>{1, 3});
  CHECK(s.claimed == std::vector<int>{2});
  CHECK(s.stale == std::vector<int>{4});
  CHECK(s.pending == std::vector<int>{0, 5});
  CHECK(s.total() == 6);
  CHECK(s.claimable() == std::vector<int>{4, 0, 5});
}
