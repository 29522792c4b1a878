// The 24 published models of regnet_zoo.json: generation, compatibility and complexity to the integer.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "test_paths.hpp"

#include <algorithm>

#include "core/base/json_io.hpp"
#include "core/model/complexity.hpp"
#include "core/model/describe.hpp"
#include "core/model/model_zoo.hpp"
#include "core/model/regnet.hpp"

using namespace regnet;

TEST_CASE("zoo: every published model matches flops, params, acts and stage shapes", "[zoo]") {
  const auto zoo = read_json_file(std::string(REGNET_TEST_DATA) + "/regnet_zoo.json");
  REQUIRE(zoo.size() == 24);
  REQUIRE(model_zoo().size() == 24);
  for (const auto& m : zoo) {
    const std::string name = m["name"];
    INFO(name);
    const auto g = generate_regnet(m["wa"].get<double>(), m["w0"].get<double>(), m["wm"].get<double>(), m["depth"]);
    CHECK(g.stage_widths == m["stage_widths_before_group_rounding"].get<std::vector<int>>());
    CHECK(g.stage_depths == m["stage_depths"].get<std::vector<int>>());
    CHECK(g.num_stages == g.total_stages);
    const Spec s = named_model_spec(name);
    CHECK(s.widths == m["stage_widths"].get<std::vector<int>>());
    CHECK(s.group_widths == m["stage_group_widths"].get<std::vector<int>>());
    CHECK(s.depths == m["stage_depths"].get<std::vector<int>>());
    const Complexity c = complexity(s);
    CHECK(c.flops == m["flops"].get<std::int64_t>());
    CHECK(c.params == m["params"].get<std::int64_t>());
    CHECK(c.acts == m["acts"].get<std::int64_t>());
  }
}

TEST_CASE("zoo: RegNetX-200MF check values (pycls model zoo)", "[zoo]") {
  const Complexity c = complexity(named_model_spec("RegNetX-200MF"));
  CHECK(c.flops == 199040872);
  CHECK(c.params == 2684792);
  CHECK(c.acts == 2164056);
}

TEST_CASE("zoo: torchvision rounding reproduces torchvision's regnet_x_400mf", "[zoo]") {
  CHECK(complexity(named_model_spec("RegNetX-400MF")).params == 5157512);
  CHECK(complexity(named_model_spec("regnet_x_400mf", {}, Rounding::torchvision)).params == 5495976);
}

TEST_CASE("zoo: names are found in pycls and torchvision spellings", "[zoo]") {
  CHECK(find_model("RegNetY-3.2GF")->name == "RegNetY-3.2GF");
  CHECK(find_model("regnety-32gf")->name == "RegNetY-32GF");
  CHECK(find_model("regnet_x_1_6gf")->name == "RegNetX-1.6GF");
  CHECK(find_model("regnet_y_400mf")->name == "RegNetY-400MF");
  CHECK_FALSE(find_model("RegNetZ-400MF"));
}

TEST_CASE("zoo: the --list table and JSON show every model", "[zoo]") {
  const std::string t = zoo_table_text();
  CHECK(t.find("model           depth    w0      wa    wm    g   se  flops (MACs)      params        acts    top1\n") ==
        0);
  CHECK(
      t.find("\nRegNetX-200MF      13    24   36.44  2.49    8    0          199M       2.68M       2.16M  31.088\n") !=
      std::string::npos);
  CHECK(std::count(t.begin(), t.end(), '\n') == 26);
  const nlohmann::json j = zoo_table_json();
  REQUIRE(j.size() == 24);
  CHECK(j[0]["name"] == "RegNetX-200MF");
  CHECK(j[0]["complexity"]["flops"] == complexity(regnet_spec(model_zoo()[0].params)).flops);
}
