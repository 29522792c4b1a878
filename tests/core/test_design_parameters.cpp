// The design-parameter table: one row per parameter, the draw orders of both space types, values
// as JSON and text, and the bounds every value must keep.
#include <catch2/catch.hpp>
#include <cmath>
#include <set>

#include "core/model/design_parameters.hpp"

using namespace regnet;

namespace {
std::vector<std::string> names(const std::vector<const DesignParameter*>& ps) {
  std::vector<std::string> out;
  for (const auto* p : ps) out.push_back(p->name);
  return out;
}
}  // namespace

TEST_CASE("design parameters: the draw orders are the format's", "[design_parameters]") {
  // Changing an order changes every sweep's samples (docs/spaces.md): pinned here.
  CHECK(names(drawn_parameters(false)) ==
        std::vector<std::string>{"depth", "width", "bottleneck_ratio", "group_width", "se_ratio", "activation"});
  CHECK(names(drawn_parameters(true)) == std::vector<std::string>{"depth", "w0", "wa", "wm", "group_width",
                                                                  "bottleneck_ratio", "se_ratio", "activation"});
  std::set<std::string> seen, symbols;
  for (const auto& p : design_parameters()) {
    CHECK(seen.insert(p.name).second);
    CHECK(symbols.insert(p.symbol).second);
    CHECK(find_design_parameter(p.name) == &p);
    CHECK(p.model_value != nullptr);
    CHECK((p.type == ParameterType::word) == !p.words.empty());
  }
  CHECK(find_design_parameter("frobnicate") == nullptr);
}

TEST_CASE("design parameters: values as JSON and text, and their bounds", "[design_parameters]") {
  const DesignParameter& act = *find_design_parameter("activation");
  CHECK(value_json(act, 1) == "silu");
  CHECK(value_from_json(act, "relu") == 0.0);
  CHECK(!value_from_json(act, "gelu"));
  CHECK(!value_from_json(act, 1));
  CHECK(value_text(act, 1) == "silu");
  CHECK(word_list(act) == "relu, silu");
  CHECK(!act.complexity);

  const DesignParameter& depth = *find_design_parameter("depth");
  CHECK(value_json(depth, 12) == 12);
  CHECK(value_json(depth, 12).is_number_integer());
  CHECK(!value_problem(depth, 1000));
  CHECK(value_problem(depth, 1001) == std::string("must be in [1, 1000]"));
  CHECK(value_problem(depth, 2.5) == std::string("is not an integer"));
  CHECK(value_problem(*find_design_parameter("wm"), 1) == std::string("must be > 1 (and at most 100)"));
  CHECK(!value_problem(*find_design_parameter("wm"), 100));
  CHECK(value_problem(*find_design_parameter("se_ratio"), 1) == std::string("must be in [0, 1)"));
  CHECK(!value_problem(*find_design_parameter("se_ratio"), 0.25));
  CHECK(value_problem(*find_design_parameter("bottleneck_ratio"), 1e-300) == std::string("must be in [1/64, 1024]"));
}

TEST_CASE("design parameters: a spec's values per stage and per model", "[design_parameters]") {
  Spec s;
  s.depths = {1, 2};
  s.widths = {24, 56};
  s.bottleneck_ratios = {1, 2};
  s.group_widths = {8, 8};
  s.strides = {2, 2};
  s.activation = Activation::silu;
  CHECK(find_design_parameter("width")->stage_value(s, 1) == 56.0);
  CHECK(!find_design_parameter("width")->stage_value(s, 2));
  CHECK(find_design_parameter("w0")->stage_value == nullptr);
  CHECK(find_design_parameter("depth")->model_value(s, nullptr) == 3.0);
  CHECK(!find_design_parameter("w0")->model_value(s, nullptr));
  RegNetParams p;
  p.depth = 13;
  p.w0 = 24;
  CHECK(find_design_parameter("depth")->model_value(s, &p) == 13.0);
  CHECK(find_design_parameter("w0")->model_value(s, &p) == 24.0);
  CHECK(find_design_parameter("activation")->model_value(s, nullptr) == 1.0);
}
