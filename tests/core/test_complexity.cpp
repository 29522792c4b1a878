// Complexity arithmetic that cannot wrap: a count beyond 64 bits is reported, never a negative number.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/model/complexity.hpp"
#include "core/model/model_zoo.hpp"

using namespace regnet;

namespace {
Spec at_input_size(int px) {
  NetworkOptions net;
  net.input_size = px;
  return named_model_spec("RegNetX-400MF", net);
}
}  // namespace

TEST_CASE("complexity: counts beyond 64 bits saturate, the others stay exact", "[complexity]") {
  const Complexity at224 = complexity(at_input_size(224));
  // 2e9 px: flops and acts (per pixel) exceed 2^63; params do not depend on the input size.
  const Complexity big = saturated_complexity(at_input_size(2000000000));
  CHECK(big.flops == kCountOverflow);
  CHECK(big.acts == kCountOverflow);
  CHECK(big.params == at224.params);
  CHECK(overflows(big));
  CHECK_FALSE(overflows(at224));
  // Large but representable: exact, and larger than at 224 px (no wrap to a small or negative number).
  const Complexity c = complexity(at_input_size(100000));
  CHECK(c.flops > at224.flops * 100000);
  CHECK(c.acts > 0);
}

TEST_CASE("complexity: an overflow is one error naming the model, the count and the input size", "[complexity]") {
  CHECK_THROWS_WITH(complexity(at_input_size(2000000000), "RegNetX-400MF"),
                    "RegNetX-400MF: flops: more than 2^63 - 1 (input_size 2000000000, widest stage 384): too large to "
                    "count in 64 bits");
  // A wide spec: 9 * (2^31 - 1)^2 multiply-accumulates per pixel already exceed 64 bits.
  Spec s;
  s.depths = {1};
  s.widths = {2147483647};
  s.bottleneck_ratios = {1};
  s.group_widths = {2147483647};
  s.strides = {1};
  s.stem_width = 2147483647;
  s.input_size = 1;
  validate(s);
  CHECK(saturated_complexity(s).flops == kCountOverflow);
  CHECK_THROWS_AS(complexity(s), UserError);
}

TEST_CASE("complexity: stored counts must be whole, non-negative 64-bit numbers", "[complexity]") {
  const auto parse = [](const char* text) { return complexity_from_json(nlohmann::json::parse(text), "r.json"); };
  CHECK(parse(R"({"flops": 5, "params": 6, "acts": 7})") == Complexity{5, 6, 7});
  CHECK_THROWS_WITH(parse(R"({"flops": "5", "params": 6, "acts": 7})"),
                    "r.json: complexity.flops: \"5\" is not a whole number");
  CHECK_THROWS_WITH(parse(R"({"flops": 5, "params": -6, "acts": 7})"), "r.json: complexity.params: -6 must be >= 0");
  CHECK_THROWS_WITH(parse(R"({"flops": 5, "params": 6, "acts": 18446744073709551615})"),
                    "r.json: complexity.acts: 18446744073709551615 does not fit in 64 bits");
  CHECK_THROWS_WITH(parse(R"({"flops": 5, "params": 6})"), "r.json: acts: missing");
}
