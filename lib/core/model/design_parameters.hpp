#pragma once
// The design-space parameters, one row each (docs/spaces.md): the one table that space files are
// parsed and written with, that the sampler draws in order and records, and that describe and
// analyze label. A new parameter is a new row, plus its effect on the network (Spec, lib/train)
// when it is not a shape the generators already build.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/regnet.hpp"
#include "core/model/spec.hpp"

namespace regnet {

enum class ParameterType { integer, real, word };

// How `analyze` relates a parameter to error.
enum class AnalysisUse {
  none,
  regnet,       // one value per RegNet model (d, w0, wa, wm, g, b)
  when_varied,  // one value per model, shown when the models do not all share it
};

struct DesignParameter {
  const char* name;    // its key in space files, draws and sample records: "group_width"
  const char* symbol;  // the paper's letter and analyze's key: "g" (figure error_vs_g, column xa_g2)
  const char* label;   // "group width"
  ParameterType type;
  double low, high;                // bounds of every value (a word: its index)
  const char* bounds;              // "[]", "(]" or "[)": which ends are values
  const char* must;                // the bounds in an error message: "must be in [1, 1000]"
  std::vector<const char*> words;  // a word parameter's values; draws hold the index
  double fallback;                 // a space that leaves it out fixes it here; NaN: required
  int anynet_draw, regnet_draw;    // position in each space type's draw order; -1: not drawn
  bool per_stage;                  // AnyNet may draw one value per stage
  bool complexity;                 // changes flops, params or acts
  AnalysisUse analysis;
  bool log_scale;  // drawn on a log axis (when its range allows)
  // Its value in a spec at a stage (0-based), for per-stage parameters and monotonic constraints;
  // nullptr where a spec holds no such per-stage value (w0, wa, wm, se_ratio, activation).
  std::optional<double> (*stage_value)(const Spec& spec, int stage);
  // Its one value for a whole model (the RegNet parameters where the model has them).
  std::optional<double> (*model_value)(const Spec& spec, const RegNetParams* regnet);
};

// The table, in declaration order.
const std::vector<DesignParameter>& design_parameters();
// nullptr for a name that is no parameter.
const DesignParameter* find_design_parameter(const std::string& name);
// The parameters a space of this type draws, in draw order (part of the format: reordering
// changes every sweep's samples).
std::vector<const DesignParameter*> drawn_parameters(bool regnet_space);

// A value as JSON: an integer, a number, or a word.
nlohmann::json value_json(const DesignParameter& p, double value);
// A JSON value of the parameter (a word parameter takes its word); nullopt for the wrong kind.
std::optional<double> value_from_json(const DesignParameter& p, const nlohmann::json& j);
// "12", "0.25", "silu".
std::string value_text(const DesignParameter& p, double value);
// Why `value` is not a value of the parameter ("must be in [1, 1000]"); nullopt when it is.
std::optional<std::string> value_problem(const DesignParameter& p, double value);
// "relu, silu" for a word parameter.
std::string word_list(const DesignParameter& p);

}  // namespace regnet
