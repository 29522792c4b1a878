#pragma once
// A model as a stage table and as stable JSON (docs/spec-json.md): what `describe` prints.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/compatibility.hpp"
#include "core/model/complexity.hpp"
#include "core/model/regnet.hpp"
#include "core/model/spec.hpp"

namespace regnet {

struct StageRow {
  int stage = 0;  // 1-based
  int depth = 0;
  int width = 0;
  double bottleneck_ratio = 1;
  int bottleneck_width = 0;
  int group_width = 0;
  int groups = 0;  // bottleneck width / group width
  int stride = 0;
  int input_resolution = 0;   // h = w entering the stage
  int output_resolution = 0;  // after the first block's stride: (h - 1) // s + 1
};

std::vector<StageRow> stage_rows(const Spec& spec);
// Resolution after the stem.
int stem_output_resolution(const Spec& spec);

struct ModelDescription {
  std::string name;    // "RegNetX-400MF", "spec.json", "sweeps/xa#12"
  std::string source;  // "zoo", "spec", "sweep"
  Spec spec;
  std::optional<RegNetParams> regnet;  // when the model comes from RegNet parameters
  Rounding rounding = Rounding::pycls;
};

nlohmann::json describe_json(const ModelDescription& m);
std::string describe_text(const ModelDescription& m);

// `describe --list`: the zoo's RegNet parameters, complexity and published errors.
std::string zoo_table_text();
nlohmann::json zoo_table_json();

}  // namespace regnet
