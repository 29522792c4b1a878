#pragma once
// The parameters that `analyze` relates to error: complexity (flops, params, acts, in M), and the
// design parameters of core/model/design_parameters: the RegNet parameters (d, w0, wa, wm, g, b),
// those the models differ in (act), and the per-stage structure (d_i, w_i, b_i, g_i). Keys name files and columns
// ("error_vs_w0", "xa_d2"); labels are gnuplot enhanced text ("w_0 (initial width)").
#include <optional>
#include <string>
#include <vector>

#include "core/model/design_parameters.hpp"
#include "core/sweep/reader.hpp"

namespace regnet {

enum class ParameterGroup { complexity, regnet, choice, stage };

struct Parameter {
  std::string key;         // "flops", "d", "w0", "d2", ...
  std::string label;       // axis label, e.g. "d_2 (stage 2 depth)"
  bool log_scale = false;  // drawn on a log axis when its range allows
  ParameterGroup group = ParameterGroup::complexity;
};

// The parameters every model of `models` has, in parameter_order: flops, params, acts; d, w0,
// wa, wm, g, b when every model is a RegNet; then d_i, w_i, b_i, g_i for the stages all have.
std::vector<Parameter> parameters_of(const std::vector<ModelPoint>& models);
// A model's value of parameter `key`; nullopt when the model does not have it.
std::optional<double> parameter_value(const ModelPoint& m, const std::string& key);
// Position of `key` in that order (for merging the parameters of several sweeps); unknown keys last.
int parameter_order(const std::string& key);

}  // namespace regnet
