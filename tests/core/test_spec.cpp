// Spec JSON (docs/spec-json.md): round trip, bad input, and describe's stage table and JSON.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "test_paths.hpp"

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/model/complexity.hpp"
#include "core/model/describe.hpp"
#include "core/model/model_zoo.hpp"
#include "core/model/spec.hpp"

using namespace regnet;

namespace {
nlohmann::json small_spec() {
  return nlohmann::json::parse(R"({
    "stem_type": "res_stem_cifar", "stem_width": 16,
    "depths": [1, 1, 2, 2], "widths": [16, 32, 64, 128],
    "bottleneck_ratios": [1, 1, 1, 1], "group_widths": [8, 8, 8, 8],
    "strides": [2, 2, 2, 2], "se_ratio": 0,
    "input_size": 28, "input_channels": 1, "num_classes": 10
  })");
}
std::string error_of(const nlohmann::json& j) {
  try {
    spec_from_json(j, "s.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}
}  // namespace

TEST_CASE("spec: JSON round trip and defaults", "[spec]") {
  const Spec s = spec_from_json(small_spec(), "s.json");
  CHECK(s.depth() == 6);
  CHECK(block_widths(s) == std::vector<int>{16, 32, 64, 64, 128, 128});
  CHECK(spec_from_json(to_json(s)) == s);
  // Optional fields take the documented defaults.
  const Spec d = spec_from_json(nlohmann::json::parse(R"({"depths": [1], "widths": [32], "group_widths": [8]})"));
  CHECK(d.stem_type == StemType::simple_stem_in);
  CHECK(d.stem_width == 32);
  CHECK(d.bottleneck_ratios == std::vector<double>{1.0});
  CHECK(d.strides == std::vector<int>{2});
  CHECK(d.input_size == 224);
  CHECK(d.input_channels == 3);
  CHECK(d.num_classes == 1000);
  CHECK(d.se_ratio == 0);
}

TEST_CASE("spec: inconsistent or malformed specs are errors naming file and field", "[spec]") {
  auto j = small_spec();
  j["widths"] = {16, 32, 64};
  CHECK(error_of(j) == "s.json: widths: has 3 stages, depths has 4");

  j = small_spec();
  j["depths"][1] = 1.5;
  CHECK(error_of(j) == "s.json: depths[1]: 1.5 is not an integer");

  j = small_spec();
  j["group_widths"][2] = 48;
  CHECK_THAT(error_of(j),
             Catch::StartsWith("s.json: widths[2]: 64 with bottleneck ratio 1.0 gives bottleneck width 64, "
                               "not divisible by group width 48"));
  j = small_spec();
  j["depths"][0] = 0;
  CHECK(error_of(j) == "s.json: depths[0]: 0 must be in [1, 1000]");

  j = small_spec();
  j["colour"] = "red";
  CHECK(error_of(j) ==
        "s.json: colour: unknown field (known: stem_type, stem_width, depths, widths, bottleneck_ratios, "
        "group_widths, strides, se_ratio, input_size, input_channels, num_classes, activation)");

  j = small_spec();
  j["stem_type"] = "big";
  CHECK_THAT(error_of(j), Catch::Contains("'big' is not one of simple_stem_in, res_stem_cifar"));

  j = small_spec();
  j.erase("widths");
  CHECK(error_of(j) == "s.json: widths: missing");

  // Limits that bound the work, and a ratio whose bottleneck width would not fit in an int.
  j = small_spec();
  j["depths"][0] = 1000000000;
  CHECK(error_of(j) == "s.json: depths[0]: 1000000000 must be in [1, 1000]");
  j = small_spec();
  j["bottleneck_ratios"][0] = 1e-300;
  CHECK(error_of(j) == "s.json: bottleneck_ratios[0]: 1e-300 with width 16 gives a bottleneck width above 2147483647");
  j = small_spec();
  j["bottleneck_ratios"][0] = 5e-324;  // w / b is infinite
  CHECK_THAT(error_of(j), Catch::StartsWith("s.json: bottleneck_ratios[0]: "));
  j = nlohmann::json{{"depths", std::vector<int>(65, 1)},
                     {"widths", std::vector<int>(65, 8)},
                     {"group_widths", std::vector<int>(65, 8)}};
  CHECK(error_of(j) == "s.json: depths: has 65 stages (at most 64)");
  j = small_spec();
  j["widths"][0] = 2147483648LL;
  CHECK(error_of(j) == "s.json: widths[0]: 2147483648 is out of range");

  CHECK_THROWS_WITH(parse_json_text("{\"depths\": [1,\n 2,,]}", "bad.json"),
                    Catch::StartsWith("bad.json: invalid JSON at line 2, column"));
}

TEST_CASE("describe: stage table and JSON of RegNetX-400MF against regnet_zoo.json", "[spec][describe]") {
  const auto zoo = read_json_file(std::string(REGNET_TEST_DATA) + "/regnet_zoo.json");
  nlohmann::json ref;
  for (const auto& m : zoo)
    if (m["name"] == "RegNetX-400MF") ref = m;
  REQUIRE(ref.is_object());
  const auto model = find_model("RegNetX-400MF");
  ModelDescription md{"RegNetX-400MF", "zoo", named_model_spec("RegNetX-400MF"), model->params, Rounding::pycls};

  const auto rows = stage_rows(md.spec);
  REQUIRE(rows.size() == 4);
  CHECK(stem_output_resolution(md.spec) == 112);
  const int res[] = {56, 28, 14, 7};
  for (size_t i = 0; i < 4; ++i) {
    CHECK(rows[i].width == ref["stage_widths"][i].get<int>());
    CHECK(rows[i].depth == ref["stage_depths"][i].get<int>());
    CHECK(rows[i].group_width == ref["stage_group_widths"][i].get<int>());
    CHECK(rows[i].groups == rows[i].bottleneck_width / rows[i].group_width);
    CHECK(rows[i].output_resolution == res[i]);
  }

  const nlohmann::json j = describe_json(md);
  CHECK(j["complexity"]["flops"] == ref["flops"]);
  CHECK(j["complexity"]["params"] == ref["params"]);
  CHECK(j["complexity"]["acts"] == ref["acts"]);
  CHECK(j["regnet"]["wa"] == 24.48);
  CHECK(j["depth"] == 22);
  CHECK(j["block_widths"].size() == 22);
  CHECK(j["spec"] == to_json(md.spec));
  CHECK(j["rounding"] == "pycls");
  CHECK(j["stages"][3]["output_resolution"] == 7);

  const std::string text = describe_text(md);
  CHECK_THAT(text, Catch::Contains("flops (MACs)"));
  CHECK_THAT(text, Catch::Contains("5,157,512"));
  CHECK_THAT(text, Catch::Contains("wa 24.48"));

  // A spec without RegNet parameters has "regnet": null (the key is always there).
  ModelDescription plain{"s", "spec", spec_from_json(small_spec()), std::nullopt, Rounding::pycls};
  const nlohmann::json p = describe_json(plain);
  CHECK(p["regnet"].is_null());
  CHECK(p["stem"]["stride"] == 1);
  CHECK(p["stem"]["output_resolution"] == 28);
  CHECK(p["stages"][2]["output_resolution"] == 4);
}
