// Restrictions: a space with restrictions samples exactly its parent's distribution conditioned on
// them. Each case draws the parent, keeps the draws that satisfy the restriction, and tests the
// child's draws against those, quantity by quantity (chi-square on counts, pooled where sparse).
#include <catch2/catch.hpp>
#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "conditional_draws.hpp"
#include "core/base/error.hpp"
#include "core/space/distribution.hpp"
#include "core/space/restriction.hpp"
#include "core/space/sampler.hpp"
#include "core/space/space.hpp"
#include "core/stats/distributions.hpp"

using namespace regnet;
using namespace regnet::testing;

namespace {

DesignSpace with_restrictions(const DesignSpace& parent, const nlohmann::json& restrictions) {
  nlohmann::json j = to_json(parent);
  j["restrictions"] = restrictions;
  j["name"] = parent.name + "-child";
  return space_from_json(j, "child.json");
}

// AnyNetXA's four parameters on a narrower width range (8 values) and 1-4 stages: a width tie is
// frequent enough in the parent to test against, and the stage count must be reweighted.
DesignSpace small_anynet() {
  return space_from_json(nlohmann::json::parse(R"({
    "name": "small", "type": "anynet", "num_stages": {"min": 1, "max": 4},
    "parameters": {
      "depth": {"dist": "log_uniform", "low": 1, "high": 4, "q": 1},
      "width": {"dist": "log_uniform", "low": 8, "high": 64, "q": 8},
      "bottleneck_ratio": {"dist": "power2", "low": 1, "high": 4},
      "group_width": {"dist": "power2", "low": 1, "high": 8}},
    "network": {"input_size": 32, "stem_type": "res_stem_cifar", "stem_width": 16, "num_classes": 10}})"),
                         "small.json");
}

std::string message_of(const nlohmann::json& restrictions) {
  try {
    with_restrictions(load_space("AnyNetXA"), restrictions);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST_CASE("restriction: probabilities() gives the frequencies of draw()", "[restriction]") {
  const std::vector<Distribution> dists = {
      {DistKind::log_uniform, 8, 1024, 8, {}},   {DistKind::log_uniform, 1, 16, 1, {}},
      {DistKind::power2, 1, 32, 0, {}},          {DistKind::uniform, 12, 28, 1, {}},
      {DistKind::choice, 0, 0, 0, {1, 2, 2, 4}}, {DistKind::power2_or_log_uniform, 1, 128, 8, {}},
      {DistKind::uniform, 0.25, 1.5, 0.25, {}}};
  for (const auto& d : dists) {
    INFO(to_text(d));
    const auto p = PreparedDistribution(d).probabilities();
    double total = 0;
    Counts expected;
    for (const auto& [v, pv] : p) {
      total += pv;
      expected[v] = pv * 200000;
    }
    CHECK(total == Approx(1.0).margin(1e-12));
    Counts seen;
    for (int i = 0; i < 50000; ++i) {
      CounterRng rng(3, static_cast<std::uint64_t>(i));
      const double v = draw(d, rng);
      REQUIRE(expected.count(v));  // every drawn value is in the support
      seen[v] += 1;
    }
    // The expected counts as a large sample: the test's power is that of the 50000 draws.
    CHECK(homogeneity_p(seen, expected) > 1e-4);
  }
  CHECK(PreparedDistribution(Distribution{DistKind::log_uniform, 2, 3, 0, {}}).probabilities().empty());
}

TEST_CASE("restriction: a child space samples its parent conditioned on its restrictions", "[restriction]") {
  const DesignSpace xa = load_space("AnyNetXA");
  SECTION("tie of b (exact conditional draw; 1 in 27 of the parent)") {
    check_same_distribution(draw_both(xa, with_restrictions(xa, R"([{"tie": "bottleneck_ratio"}])"_json), 60000, 3000));
  }
  SECTION("tie of g (1 in 216)") {
    check_same_distribution(draw_both(xa, with_restrictions(xa, R"([{"tie": "group_width"}])"_json), 100000, 3000));
  }
  SECTION("a set of depths and a range of total depth") {
    const auto child = with_restrictions(
        xa, R"([{"set": "depth", "values": [1, 2, 3, 5]}, {"range": "total_depth", "low": 6, "high": 12}])"_json);
    check_same_distribution(draw_both(xa, child, 20000, 5000));
  }
  SECTION("a range of stage flops") {
    const auto child = with_restrictions(xa, R"([{"range": "stage_flops", "high": 300000000}])"_json);
    check_same_distribution(draw_both(xa, child, 20000, 6000));
  }
  SECTION("tie of widths with 1 to 4 stages: the stage count is reweighted too") {
    const DesignSpace small = small_anynet();
    check_same_distribution(draw_both(small, with_restrictions(small, R"([{"tie": "width"}])"_json), 60000, 4000));
  }
  SECTION("a range of e_fit (the width fit of each model)") {
    const DesignSpace small = small_anynet();
    const auto child = with_restrictions(small, R"([{"range": "e_fit", "high": 0.05}])"_json);
    check_same_distribution(draw_both(small, child, 20000, 6000));
  }
}

TEST_CASE("restriction: a space with restrictions round-trips and prints them", "[restriction]") {
  const DesignSpace xa = load_space("AnyNetXA");
  const auto child = with_restrictions(xa, R"([{"tie": "bottleneck_ratio"}, {"range": "fit_wm", "low": 2, "high": 3},
      {"set": "group_width", "values": [16, 8, 8]}, {"range": "flops", "high": 400000000}])"_json);
  REQUIRE(child.restrictions.size() == 4);
  CHECK(child.restrictions[2].values == std::vector<double>{8, 16});  // sorted, once each
  CHECK(space_from_json(to_json(child)) == child);
  CHECK_FALSE(child == xa);
  const std::string text = to_text(child);
  CHECK(text.find("restriction: b_1 = ... = b_n (bottleneck_ratio tied)") != std::string::npos);
  CHECK(text.find("restriction: fit_wm in [2, 3]") != std::string::npos);
  CHECK(text.find("restriction: group_width in {8, 16}") != std::string::npos);
  CHECK(text.find("restriction: flops <= 400000000") != std::string::npos);
  CHECK_FALSE(to_json(xa).contains("restrictions"));  // the shipped spaces' complete form is unchanged
}

TEST_CASE("restriction: a bad restriction is one line naming the file and field", "[restriction]") {
  CHECK(message_of(R"([{"range": "w0", "low": 8}])"_json)
            .find("child.json: restrictions[0].range: 'w0' is not drawn by anynet") == 0);
  CHECK(message_of(R"([{"tie": "w0"}])"_json).find("restrictions[0].tie: 'w0' has no per-stage draws") !=
        std::string::npos);
  CHECK(message_of(R"([{"tie": "total_depth"}])"_json).find("restrictions[0].tie: 'total_depth' has no per-stage") !=
        std::string::npos);
  CHECK(
      message_of(R"([{"range": "depth", "low": 5, "high": 2}])"_json).find("restrictions[0].high: 2 is below low 5") !=
      std::string::npos);
  CHECK(message_of(R"([{"range": "depth"}])"_json).find("restrictions[0].low: missing") != std::string::npos);
  CHECK(message_of(R"([{"set": "depth", "values": []}])"_json).find("restrictions[0].values") != std::string::npos);
  CHECK(message_of(R"([{"set": "nope", "values": [1]}])"_json).find("'nope' is not one of") != std::string::npos);
  CHECK(message_of(R"([{"tie": "depth", "range": "depth"}])"_json).find("exactly one of") != std::string::npos);
  CHECK(message_of(R"([{"tie": "depth", "low": 1}])"_json).find("restrictions[0].low") != std::string::npos);
  CHECK(message_of(R"({"tie": "depth"})"_json).find("restrictions: ") != std::string::npos);
  CHECK(message_of(R"([{"range": "e_fit", "high": "x"}])"_json).find("restrictions[0].high") != std::string::npos);
  // A tie of a shared draw, or of a continuous one, cannot condition anything.
  nlohmann::json xb = to_json(load_space("AnyNetXB"));
  xb["restrictions"] = R"([{"tie": "bottleneck_ratio"}])"_json;
  CHECK_THROWS_WITH(space_from_json(xb, "xb.json"), Catch::Contains("scope shared"));
}
