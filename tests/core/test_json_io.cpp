// check_known_fields (core/base/json_io.hpp): the one unknown-field check of every JSON reader
// (spaces, schedules, specs), one message that names the field and lists the known ones.
#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/model/model_zoo.hpp"
#include "core/model/spec.hpp"
#include "core/run/schedule.hpp"
#include "core/space/space.hpp"
#include "test_paths.hpp"

using namespace regnet;

namespace {

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("json io: an unknown field names file, path and key, and lists the known fields", "[json_io]") {
  const nlohmann::json ok{{"a", 1}, {"b", {{"c", 2}}}};
  CHECK_NOTHROW(check_known_fields(ok, {"a", "b"}, "f.json"));
  CHECK_NOTHROW(check_known_fields(nlohmann::json::object(), {}, "f.json"));
  CHECK(error_of([&] { check_known_fields(ok, {"a"}, "f.json"); }) == "f.json: b: unknown field (known: a)");
  CHECK(error_of([&] {
          check_known_fields(ok["b"], {"x", "y"}, "f.json", "b.");
        }) == "f.json: b.c: unknown field (known: x, y)");
  // The key is cut in the message as every echoed name is.
  const std::string big(500, 'k');
  CHECK(error_of([&] {
          check_known_fields(nlohmann::json{{big, 1}}, {"a"}, "f.json");
        }) == "f.json: " + std::string(60, 'k') + "...: unknown field (known: a)");
  // Not an object: nothing to check here (the reader's own type check names what it should be).
  CHECK_NOTHROW(check_known_fields(nlohmann::json::array({1, 2}), {"a"}, "f.json"));
  CHECK_NOTHROW(check_known_fields(nlohmann::json(3), {"a"}, "f.json"));
}

TEST_CASE("json io: spaces, schedules and specs refuse an unknown field with the same message", "[json_io]") {
  // Real inputs: a shipped space and schedule, a published model's spec, each with one field added.
  nlohmann::json space = read_json_file(std::string(REGNET_SOURCE_DIR) + "/configs/spaces/AnyNetXA.json");
  space["colour"] = "red";
  CHECK_THAT(error_of([&] { space_from_json(space, "x.json"); }),
             Catch::StartsWith("x.json: colour: unknown field (known: name, description, type, num_stages,"));
  nlohmann::json schedule =
      read_json_file(std::string(REGNET_SOURCE_DIR) + "/configs/schedules/fashion-mnist-short.json");
  schedule["colour"] = "red";
  CHECK_THAT(error_of([&] { schedule_from_json(schedule, "s.json"); }),
             Catch::StartsWith("s.json: colour: unknown field (known: name, epochs, batch_size,") &&
                 Catch::EndsWith(", seed, comment)"));
  nlohmann::json spec = to_json(named_model_spec("RegNetX-400MF"));
  spec["colour"] = "red";
  CHECK_THAT(error_of([&] { spec_from_json(spec, "spec.json"); }),
             Catch::StartsWith("spec.json: colour: unknown field (known: stem_type, stem_width, depths,") &&
                 Catch::EndsWith(", num_classes, activation)"));
  // Without the extra field each reads.
  space.erase("colour");
  schedule.erase("colour");
  spec.erase("colour");
  CHECK_NOTHROW(space_from_json(space, "x.json"));
  CHECK_NOTHROW(schedule_from_json(schedule, "s.json"));
  CHECK_NOTHROW(spec_from_json(spec, "spec.json"));
}

TEST_CASE("json io: text that is not UTF-8 is written escaped, never thrown", "[json_io]") {
  const nlohmann::json j{{"out", std::string("s\xff") + "t"}, {std::string("k\xc3"), {"\xe2\x82\xac", "\xed\xa0\x80"}}};
  const std::string text = json_text(j, -1);
  CHECK(text == R"({"k\\xc3":["€","\\xed\\xa0\\x80"],"out":"s\\xfft"})");
  CHECK(parse_json_text(text, "t")["out"] == "s\\xfft");
  CHECK(json_text(nlohmann::json{{"a", "ok"}}) == nlohmann::json{{"a", "ok"}}.dump(2));
  CHECK(is_utf8("plain, \xc3\xa9t\xc3\xa9"));
  CHECK_FALSE(is_utf8("\xc0\xaf"));          // overlong '/'
  CHECK_FALSE(is_utf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

TEST_CASE("json io: stored_text gives back the bytes of every string json_text escaped", "[json_io]") {
  // A path to follow again (an audit's source, a schedule file) must name the same file: the text
  // \xNN in a UTF-8 name, and a backslash beside a Latin-1 byte, must not be taken for an escape.
  for (const std::string s :
       {std::string("s\xfft"), std::string("plain/caf\xc3\xa9"), std::string(R"(lit\xff)"),
        std::string("a\\b\xff\\x41"), std::string(R"(\x5c\x)"), std::string("\\"), std::string("x\\xg1\xe9")}) {
    INFO(s);
    const nlohmann::json back = parse_json_text(json_text(nlohmann::json{{"p", s}}), "t");
    CHECK(is_utf8(back["p"].get<std::string>()));
    CHECK(stored_text(back["p"].get<std::string>()) == s);
  }
  CHECK(json_text(nlohmann::json("C:\\dir")) == R"("C:\\dir")");  // nothing to escape: as it was
  CHECK(json_text(nlohmann::json(R"(a\xffb)")) == R"("a\\x5cxffb")");
}

TEST_CASE("json io: an integer beyond int is out of range, 2^64 - 1 too", "[json_io]") {
  const auto big = nlohmann::json::parse(R"({"a": 18446744073709551615, "b": 4294967302, "c": -1})");
  CHECK_THROWS_WITH(get_int(big, "a", "f"), "f: a: 18446744073709551615 is out of range");
  CHECK_THROWS_WITH(get_int(big, "b", "f"), "f: b: 4294967302 is out of range");
  CHECK(get_int(big, "c", "f") == -1);
}

TEST_CASE("json io: get_uint64, get_int64 and get_bool take their type only", "[json_io]") {
  const nlohmann::json built{{"seed", 1}, {"negative", -1}, {"text", "7"}, {"half", 2.5}, {"flag", "yes"}};
  CHECK(get_uint64(built, "seed", "f") == 1);  // built in code: a signed 1
  CHECK(get_uint64(nlohmann::json::parse(R"({"seed": 18446744073709551615})"), "seed", "f") == 18446744073709551615ull);
  CHECK_THROWS_WITH(get_uint64(built, "negative", "f"), "f: negative: -1 must be >= 0");
  CHECK_THROWS_WITH(get_uint64(built, "text", "f"), "f: text: \"7\" is not a whole number");
  CHECK(get_int64(built, "seed", "f", 0) == 1);
  CHECK(get_int64(built, "absent", "f", -3) == -3);
  CHECK_THROWS_WITH(get_int64(built, "half", "f", 0), "f: half: 2.5 is not an integer");
  CHECK_THROWS_WITH(get_int64(nlohmann::json::parse(R"({"a": 18446744073709551615})"), "a", "f", 0),
                    "f: a: 18446744073709551615 is out of range");
  CHECK(get_bool(built, "absent", "f", true));
  CHECK_THROWS_WITH(get_bool(built, "flag", "f", false), "f: flag: \"yes\" is not true or false");
}
