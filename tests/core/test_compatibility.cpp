// Group-width compatibility (core/compatibility.hpp): the published models' stage widths come out
// of pycls's rounding, half-to-even and lcm cases by hand, torchvision's rounding, and the overflow
// of a tiny bottleneck ratio.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include "test_paths.hpp"

#include <string>
#include <vector>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/model/compatibility.hpp"

using namespace regnet;

namespace {

StageShape one_stage(int width, double b, int g) { return {{width}, {b}, {g}}; }

}  // namespace

TEST_CASE("compatibility: the published models' widths are pycls's rounding of the generated ones", "[compatibility]") {
  const auto zoo = read_json_file(std::string(REGNET_TEST_DATA) + "/regnet_zoo.json");
  REQUIRE(zoo.size() == 24);
  for (const auto& m : zoo) {
    INFO(m["name"].get<std::string>());
    const auto before = m["stage_widths_before_group_rounding"].get<std::vector<int>>();
    StageShape in;
    in.widths = before;
    in.bottleneck_ratios.assign(before.size(), 1.0);
    in.group_widths.assign(before.size(), m["group_w"].get<int>());
    const StageShape out = adjust_block_compatibility(in);
    CHECK(out.widths == m["stage_widths"].get<std::vector<int>>());
    CHECK(out.group_widths == m["stage_group_widths"].get<std::vector<int>>());
    CHECK(out.bottleneck_ratios == in.bottleneck_ratios);
    // Compatible widths are a fixed point.
    CHECK(adjust_block_compatibility(out).widths == out.widths);
    for (size_t i = 0; i < out.widths.size(); ++i) CHECK(out.widths[i] % out.group_widths[i] == 0);
  }
}

TEST_CASE("compatibility: pycls rounds half to even, caps the group at the width, uses the lcm for b < 1",
          "[compatibility]") {
  auto pycls = [](int w, double b, int g) {
    const StageShape s = adjust_block_compatibility(one_stage(w, b, g));
    return std::make_pair(s.widths[0], s.group_widths[0]);
  };
  CHECK(pycls(100, 1, 24) == std::make_pair(96, 24));  // 100 / 24 = 4.17 -> 4 groups
  CHECK(pycls(36, 1, 24) == std::make_pair(48, 24));   // 1.5 -> 2 (even)
  CHECK(pycls(60, 1, 24) == std::make_pair(48, 24));   // 2.5 -> 2 (even), not 3
  CHECK(pycls(20, 1, 32) == std::make_pair(20, 20));   // the group width is capped at the width
  CHECK(pycls(5, 1, 8) == std::make_pair(5, 5));
  CHECK(pycls(100, 2, 16) == std::make_pair(96, 16));  // w_b = 50 -> 48, w = 48 * 2
  CHECK(pycls(11, 0.25, 8) == std::make_pair(12, 8));  // w_b = 44, q = lcm(8, 4) = 8: 5.5 -> 6 -> 48, w = 12
  CHECK(pycls(10, 0.25, 8) == std::make_pair(10, 8));  // w_b = 40 is already a multiple of 8
}

TEST_CASE("compatibility: torchvision's rounding rounds half up and keeps 90% of the width", "[compatibility]") {
  auto tv = [](int w, double b, int g) {
    return adjust_block_compatibility(one_stage(w, b, g), Rounding::torchvision).widths[0];
  };
  CHECK(tv(60, 1, 24) == 72);  // pycls: 48
  CHECK(tv(36, 1, 24) == 48);
  CHECK(tv(100, 1, 24) == 96);
  CHECK(tv(20, 1, 32) == 20);
  CHECK(tv(13, 1, 8) == 16);  // 13 + 4 = 17 -> 16
  CHECK(tv(11, 1, 8) == 16);  // 11 + 4 = 15 -> 8, below 0.9 * 11: one more quantum
  // Several stages are adjusted independently.
  const StageShape s = adjust_block_compatibility({{60, 36}, {1, 1}, {24, 24}}, Rounding::torchvision);
  CHECK(s.widths == std::vector<int>{72, 48});
}

TEST_CASE("compatibility: a bottleneck width beyond int is an error naming the stage's ratio", "[compatibility]") {
  StageShape s{{8, 16}, {1, 1e-9}, {8, 8}};
  CHECK_THROWS_AS(adjust_block_compatibility(s), UserError);
  CHECK_THROWS_WITH(adjust_block_compatibility(s), Catch::Contains("bottleneck_ratios[1]") &&
                                                       Catch::Contains("gives a bottleneck width above 2147483647"));
  CHECK_THROWS_WITH(adjust_block_compatibility(s, Rounding::torchvision), Catch::Contains("bottleneck_ratios[1]"));
}
