// The parameters `analyze` relates to error: one table of keys, labels, log scales and groups.
#include <algorithm>
#include <catch2/catch.hpp>

#include "core/report/analysis_parameters.hpp"
#include "test_analysis_fixtures.hpp"

using namespace regnet;
using namespace regnet::testing;

TEST_CASE("analysis: parameters of RegNet and AnyNet models", "[analysis]") {
  ModelPoint m{1, 30.0, regnet_sample(3).spec, regnet_sample(3).complexity, regnet_sample(3).regnet};
  auto keys = [](const std::vector<Parameter>& ps) {
    std::vector<std::string> k;
    for (const auto& p : ps) k.push_back(p.key);
    return k;
  };
  const auto rk = keys(parameters_of({m}));
  const int stages = m.spec.num_stages();
  CHECK(rk.size() == 9u + 4u * stages);
  CHECK(rk[0] == "flops");
  CHECK(rk[3] == "d");
  CHECK(rk[9] == "d1");
  CHECK(*parameter_value(m, "d") == m.regnet->depth);
  CHECK(*parameter_value(m, "wm") == Approx(m.regnet->wm));
  CHECK(*parameter_value(m, "w2") == m.spec.widths[1]);
  CHECK(*parameter_value(m, "flops") == Approx(m.complexity.flops / 1e6));
  CHECK_FALSE(parameter_value(m, "d9").has_value());
  ModelPoint anynet = m;
  anynet.regnet.reset();
  const auto ak = keys(parameters_of({anynet}));
  CHECK(std::find(ak.begin(), ak.end(), "w0") == ak.end());
  CHECK(ak.size() == 3u + 4u * stages);
  CHECK(parameter_order("flops") < parameter_order("d"));
  CHECK(parameter_order("b") < parameter_order("d1"));
  CHECK(parameter_order("d4") < parameter_order("w1"));
}

TEST_CASE("analysis: parameter labels, log scales and groups come from one table", "[analysis]") {
  ModelPoint m{1, 30.0, regnet_sample(3).spec, regnet_sample(3).complexity, regnet_sample(3).regnet};
  const auto ps = parameters_of({m});
  auto find = [&](const std::string& key) {
    const auto it = std::find_if(ps.begin(), ps.end(), [&](const Parameter& p) { return p.key == key; });
    REQUIRE(it != ps.end());
    return *it;
  };
  CHECK(find("flops").label == "flops (MF)");
  CHECK(find("flops").group == ParameterGroup::complexity);
  CHECK(find("w0").label == "w_0 (initial width)");
  CHECK(find("w0").log_scale);
  CHECK_FALSE(find("wm").log_scale);
  CHECK(find("g").group == ParameterGroup::regnet);
  CHECK(find("w2").label == "w_2 (stage 2 width)");
  CHECK(find("b1").label == "b_1 (stage 1 bottleneck ratio)");
  CHECK(find("g3").group == ParameterGroup::stage);
  CHECK_FALSE(find("d1").log_scale);
  CHECK(*parameter_value(m, "g1") == m.spec.group_widths[0]);
  CHECK(*parameter_value(m, "b2") == m.spec.bottleneck_ratios[1]);
  CHECK_FALSE(parameter_value(m, "d0").has_value());
  CHECK_FALSE(parameter_value(m, "x1").has_value());
  CHECK_FALSE(parameter_value(m, "w99999999999").has_value());
  CHECK(parameter_order("unknown") > parameter_order("g4"));
  for (size_t i = 1; i < ps.size(); ++i) CHECK(parameter_order(ps[i - 1].key) < parameter_order(ps[i].key));
}
