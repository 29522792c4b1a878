// Lists a user writes in one option value.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>

#include "core/base/error.hpp"
#include "core/base/lists.hpp"

using namespace regnet;

TEST_CASE("lists: numbers separated by commas or white space, or read from @FILE", "[lists]") {
  CHECK(parse_numbers("1,2.5 3\n-4e1", "--a") == std::vector<double>{1, 2.5, 3, -40});
  CHECK(parse_numbers(" , ", "--a").empty());
  CHECK_THROWS_WITH(parse_numbers("1,x", "--a"), "--a: 'x' is not a finite number");
  CHECK_THROWS_WITH(parse_numbers("inf", "--b"), "--b: 'inf' is not a finite number");
  const auto file =
      std::filesystem::temp_directory_path() / ("regnet-stats-ops-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(file) << "30 31\n35,nan\n";
  CHECK_THROWS_WITH(parse_numbers("@" + file.string(), "--a"), file.string() + ": --a: 'nan' is not a finite number");
  std::ofstream(file) << "30 31\n35\n";
  CHECK(parse_numbers("@" + file.string(), "--a") == std::vector<double>{30, 31, 35});
  std::filesystem::remove(file);
  CHECK_THROWS_AS(parse_numbers("@" + file.string(), "--a"), UserError);
}

TEST_CASE("lists: split_list keeps every item as written, empty ones too unless asked", "[lists]") {
  using V = std::vector<std::string>;
  CHECK(split_list("a,b,c") == V{"a", "b", "c"});
  CHECK(split_list(" a , b") == V{" a ", " b"});  // no trimming: the caller decides
  CHECK(split_list("a,,b") == V{"a", "", "b"});
  CHECK(split_list("a,") == V{"a", ""});
  CHECK(split_list(",") == V{"", ""});
  CHECK(split_list("") == V{""});
  CHECK(split_list("cuda:0,cuda:1") == V{"cuda:0", "cuda:1"});
  CHECK(split_list("a,,b,", ",", EmptyItems::skip) == V{"a", "b"});
  CHECK(split_list("", ",", EmptyItems::skip).empty());
  CHECK(split_list("1, 2\t3\n", ", \t\n", EmptyItems::skip) == V{"1", "2", "3"});
  CHECK(split_list("a:b,c", ":,") == V{"a", "b", "c"});
}
