#pragma once
// Complexity by pycls's conventions (its complexity counting): flops are multiply-accumulates at batch 1
// for a square input of spec.input_size; integers throughout.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>

#include "core/spec.hpp"

namespace regnet {

struct Complexity {
  std::int64_t flops = 0;  // MACs
  std::int64_t params = 0;
  std::int64_t acts = 0;
  bool operator==(const Complexity& o) const { return flops == o.flops && params == o.params && acts == o.acts; }
};

Complexity complexity(const Spec& spec);

nlohmann::json to_json(const Complexity& c);
Complexity complexity_from_json(const nlohmann::json& j, const std::string& where = "");

}  // namespace regnet
