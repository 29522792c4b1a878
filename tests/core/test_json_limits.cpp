// Reading hostile JSON: nesting is bounded, echoed values are short, numbers beyond double range
// are user errors naming the field. Each was a crash or an internal error once.
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/model/spec.hpp"
#include "core/run/schedule.hpp"
#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"

using namespace regnet;

namespace {

std::string nested(const std::string& field, int levels) {
  return "{\"" + field + "\": " + std::string(static_cast<size_t>(levels), '[') +
         std::string(static_cast<size_t>(levels), ']') + "}";
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("json limits: nesting deeper than kMaxJsonDepth is one error line, not a crash", "[json]") {
  // kMaxJsonDepth levels in all, the outer object included.
  CHECK_NOTHROW(parse_json_text(nested("x", kMaxJsonDepth - 1), "ok.json"));
  CHECK_THROWS_WITH(parse_json_text(nested("x", kMaxJsonDepth), "deep.json"),
                    "deep.json: invalid JSON at line 1, column " + std::to_string(kMaxJsonDepth + 6) +
                        ": arrays/objects nested deeper than 256 levels");
  // 100,000 levels (200 KB): every reader says so; none recurses.
  const std::string deep = nested("depths", 100000);
  CHECK_THAT(error_of([&] { spec_from_json(parse_json_text(deep, "spec.json"), "spec.json"); }),
             Catch::StartsWith("spec.json: invalid JSON at line 1, column 267: arrays/objects nested deeper"));
  CHECK_THAT(error_of([&] { space_from_json(parse_json_text(deep, "space.json"), "space.json"); }),
             Catch::Contains("nested deeper than 256 levels"));
  const auto path = std::filesystem::temp_directory_path() / ("deep-" + std::to_string(::getpid()) + ".json");
  std::ofstream(path) << "{\"epochs\":\n  " << std::string(100000, '[');
  CHECK_THAT(error_of([&] { load_schedule(path.string()); }),
             Catch::StartsWith(path.string() + ": invalid JSON at line 2, column 258: arrays/objects nested"));
  std::filesystem::remove(path);
}

TEST_CASE("json limits: brackets inside strings do not count as nesting", "[json]") {
  const std::string text = "[\"" + std::string(1000, '[') + "\\\"" + std::string(1000, '{') + "\"]";
  const auto j = parse_json_text(text, "s.json");
  REQUIRE(j.is_array());
  CHECK(j[0].get<std::string>().size() == 2001);
}

TEST_CASE("json limits: an echoed value is cut to 60 bytes with an ellipsis", "[json]") {
  const std::string big(3'000'000, 'a');
  const std::string e = error_of([&] { spec_from_json(nlohmann::json{{"depths", big}}, "spec.json"); });
  CHECK(e == "spec.json: depths: \"" + std::string(59, 'a') + "... is not an array");
  CHECK(excerpt(nlohmann::json{1, 2, 3}) == "[1,2,3]");
  // Never half a UTF-8 character: byte 60 is the second half of the fourth two-byte "é".
  const std::string e4 = "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9";
  CHECK(excerpt(nlohmann::json(std::string(52, 'a') + e4)) == "\"" + std::string(52, 'a') + e4.substr(0, 6) + "...");
  // Wide values in the other readers are cut too.
  CHECK(error_of([&] { get_int(nlohmann::json{{"n", big}}, "n", "f.json"); }).size() < 160);
  CHECK(error_of([&] { require(nlohmann::json(big), "n", "f.json"); }).size() < 160);
  CHECK(error_of([&] { schedule_from_json(nlohmann::json{{"nesterov", big}}, "s.json"); }).size() < 160);
  CHECK(error_of([&] {
          space_from_json(nlohmann::json{{"name", "x"}, {"type", "anynet"}, {"network", big}}, "x.json");
        }).size() < 160);
}

TEST_CASE("json limits: names and strings in error lines are cut too", "[json]") {
  const std::string big(100'000, 'k');
  const std::string cut = std::string(60, 'k') + "...";
  CHECK(shorten("short") == "short");
  CHECK(shorten(big) == cut);
  CHECK(shorten(big, 3) == "kkk...");
  CHECK_THAT(error_of([&] {
               schedule_from_json(nlohmann::json{{big, 1}}, "s.json");
             }),
             Catch::StartsWith("s.json: " + cut + ": unknown field (known: name, epochs,"));
  CHECK_THAT(error_of([&] {
               spec_from_json(nlohmann::json{{big, 1}}, "spec.json");
             }),
             Catch::StartsWith("spec.json: " + cut + ": unknown field (known: stem_type,"));
  CHECK_THAT(error_of([&] {
               space_from_json(nlohmann::json{{"name", "x"}, {"type", big}}, "x.json");
             }),
             Catch::StartsWith("x.json: type: '" + cut + "' is not one of"));
  CHECK_THAT(error_of([&] { run_status_from_string(big, "r.json"); }),
             Catch::StartsWith("r.json: status: '" + cut + "'"));
  CHECK_THAT(error_of([&] { parse_count(big, "--flops"); }), Catch::StartsWith("--flops: '" + cut + "' is"));
  CHECK(error_of([&] { parse_json_text("{\"" + big + "\": 1e400}", "x.json"); }) ==
        "x.json: " + cut + ": number 1e400 is out of range (beyond +-1.8e308)");
}

TEST_CASE("json limits: a syntax error inside a long string shows 60 bytes of it", "[json]") {
  const std::string text = "{\"name\": \"" + std::string(100000, 'a') + "\x01\"}";
  CHECK_THROWS_WITH(parse_json_text(text, "s.json"),
                    "s.json: invalid JSON at line 1, column 100011: syntax error while parsing value - invalid "
                    "string: control character U+0001 (SOH) must be escaped to \\u0001; last read: '\"" +
                        std::string(59, 'a') + "...'");
}

TEST_CASE("json limits: a number beyond double range names the file and field", "[json]") {
  CHECK_THROWS_AS(parse_json_text(R"({"base_lr": 1e400})", "s.json"), UserError);
  CHECK_THROWS_WITH(parse_json_text(R"({"epochs": 1, "base_lr": 1e400})", "s.json"),
                    "s.json: base_lr: number 1e400 is out of range (beyond +-1.8e308)");
  CHECK_THROWS_WITH(parse_json_text(R"({"parameters": {"w0": {"values": [8, -2E+999]}}})", "x.json"),
                    "x.json: parameters.w0.values[1]: number -2E+999 is out of range (beyond +-1.8e308)");
  CHECK_THROWS_WITH(parse_json_text("1e400", "x.json"), "x.json: number 1e400 is out of range (beyond +-1.8e308)");
  // Underflow is not an error (it reads as 0), and large integers become doubles as before.
  CHECK(parse_json_text("[1e-400]", "x.json")[0].get<double>() == 0.0);
  CHECK(parse_json_text("123456789012345678901234567890", "x.json").is_number_float());
}

TEST_CASE("json limits: the reader builds the same values as nlohmann's parser", "[json]") {
  const std::string text =
      R"({"a": [1, -2, 3.5, true, null, "s\u00e9", {"b": [], "c": {}}], "a2": 18446744073709551615, "d": {"d": 1, "d": 2}})";
  CHECK(parse_json_text(text, "x.json") == nlohmann::json::parse(text));
  CHECK(parse_json_text(" [ ] ", "x.json") == nlohmann::json::array());
  CHECK_THROWS_WITH(parse_json_text("{\"a\": 1} x", "x.json"),
                    Catch::StartsWith("x.json: invalid JSON at line 1, column 10"));
}
