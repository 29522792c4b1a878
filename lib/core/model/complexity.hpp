#pragma once
// Complexity by pycls's conventions (its complexity counting): flops are multiply-accumulates at batch 1
// for a square input of spec.input_size; integers throughout. Every product and sum is checked: a count
// that does not fit in 64 bits is reported as such, never wrapped (docs/reference.md §3).
#include <cstdint>
#include <limits>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/model/spec.hpp"

namespace regnet {

struct Complexity {
  std::int64_t flops = 0;  // MACs
  std::int64_t params = 0;
  std::int64_t acts = 0;
  bool operator==(const Complexity& o) const { return flops == o.flops && params == o.params && acts == o.acts; }
};

// The value of a count of 2^63 - 1 or more. Above every window bound (units.hpp reads at most 18
// digits), so a model this large lies outside any window with an upper side.
constexpr std::int64_t kCountOverflow = std::numeric_limits<std::int64_t>::max();

// Exact counts, each kCountOverflow where it does not fit in 64 bits: for loops that reject such models.
Complexity saturated_complexity(const Spec& spec);
bool overflows(const Complexity& c);
// The flops of each stage's blocks (stem and head not included), kCountOverflow once the total
// does not fit in 64 bits.
std::vector<std::int64_t> stage_flops(const Spec& spec);
// The same; a count beyond 64 bits is a UserError naming `where`, the count and the input size.
Complexity complexity(const Spec& spec, const std::string& where = "");

nlohmann::json to_json(const Complexity& c);
// UserError for a missing count, one that is not a whole number, or a negative one.
Complexity complexity_from_json(const nlohmann::json& j, const std::string& where = "");

}  // namespace regnet
