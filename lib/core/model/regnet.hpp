#pragma once
// RegNet generation: quantized linear per-block widths (the paper's §3.3, pycls's generate_regnet).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/compatibility.hpp"
#include "core/model/spec.hpp"

namespace regnet {

struct RegNetParams {
  int depth = 0;                  // d: total blocks
  double w0 = 0;                  // initial width, multiple of q
  double wa = 0;                  // slope
  double wm = 0;                  // width multiplier between stages, > 1
  int group_width = 1;            // g
  double bottleneck_ratio = 1.0;  // b
  double se_ratio = 0.0;
  int q = 8;
};

struct RegNetWidths {
  std::vector<double> continuous;  // u_j = w0 + wa*j
  std::vector<int> block_widths;   // w_j, quantized (before compatibility)
  std::vector<int> stage_widths;   // distinct w_j, increasing
  std::vector<int> stage_depths;   // count of each
  int num_stages = 0;
  int total_stages = 0;  // max(k) + 1
};

// Bounds of generate_regnet: the depth, and every generated width stays far below 2^31.
constexpr int kMaxRegNetDepth = 1000;
constexpr double kMaxRegNetWidth = 1e9;

// Throws UserError when w0 <= 0, w0 % q != 0, wa < 0, wm <= 1, depth outside [1, kMaxRegNetDepth],
// or the widths would exceed kMaxRegNetWidth.
RegNetWidths generate_regnet(double wa, double w0, double wm, int depth, int q = 8);
// Same, without validation or the UserError path: for fitting and sampling loops.
RegNetWidths generate_regnet_unchecked(double wa, double w0, double wm, int depth, int q = 8);

// Network options a RegNet does not fix: stem, input, classes.
struct NetworkOptions {
  StemType stem_type = StemType::simple_stem_in;
  int stem_width = 32;
  int input_size = 224;
  int input_channels = 3;
  int num_classes = 1000;
  int stride = 2;  // every stage's first block

  bool operator==(const NetworkOptions& o) const {
    return stem_type == o.stem_type && stem_width == o.stem_width && input_size == o.input_size &&
           input_channels == o.input_channels && num_classes == o.num_classes && stride == o.stride;
  }
};

// The network options a spec carries (stem, input, classes, first-block stride), and the spec with
// them applied: the one Spec <-> NetworkOptions conversion (strides: every stage gets net.stride).
NetworkOptions network_options_of(const Spec& spec);
Spec with_network_options(Spec spec, const NetworkOptions& net);

// The full spec: generation, then group-width compatibility.
Spec regnet_spec(const RegNetParams& p, const NetworkOptions& net = {}, Rounding rounding = Rounding::pycls);

// The "regnet" object of sample records and describe output (docs/sweep-format.md).
nlohmann::json to_json(const RegNetParams& p);
RegNetParams regnet_params_from_json(const nlohmann::json& j, const std::string& where = "");

}  // namespace regnet
