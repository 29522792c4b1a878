#pragma once
// The AnyNet network as built: stem, stages of identical blocks, head (the paper's Fig. 3, pycls's AnyNet).
// A Spec holds widths that are already group-compatible; generate/sample produce it.
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace regnet {

enum class StemType { simple_stem_in, res_stem_cifar };  // pycls names: stride 2 / stride 1
// After every BN and in SE, as pycls's MODEL.ACTIVATION_FUN: ReLU, or SiLU (Swish, the paper's §5).
enum class Activation { relu, silu };

struct Spec {
  StemType stem_type = StemType::simple_stem_in;
  int stem_width = 32;
  std::vector<int> depths;                // blocks per stage, d_i
  std::vector<int> widths;                // output width per stage, w_i
  std::vector<double> bottleneck_ratios;  // paper's b_i: bottleneck width w_b = round(w_i / b_i)
  std::vector<int> group_widths;          // g_i: channels per group in the 3x3 conv
  std::vector<int> strides;               // stride of each stage's first block
  double se_ratio = 0.0;                  // 0: X block; 0.25: Y block (w_se = round(se_ratio * block input width))
  Activation activation = Activation::relu;
  int input_size = 224;  // square training resolution
  int input_channels = 3;
  int num_classes = 1000;

  int num_stages() const { return static_cast<int>(depths.size()); }
  int depth() const;  // total blocks

  bool operator==(const Spec& o) const;
  bool operator!=(const Spec& o) const { return !(*this == o); }
};

int stem_stride(StemType t);
std::string to_string(StemType t);
StemType stem_type_from_string(const std::string& s, const std::string& where = "");
std::string to_string(Activation a);
Activation activation_from_string(const std::string& s, const std::string& where = "");

// Limits of a spec (docs/spec-json.md): they bound the work of counting, describing and building it.
constexpr int kMaxStages = 64;
constexpr int kMaxStageDepth = 1000;

// Bottleneck width of a stage: round_half_even(w / b). validate() checks that it fits in an int.
int bottleneck_width(int width, double bottleneck_ratio);

// Per-block output widths (length depth()), the "w_j" of the width-fit.
std::vector<int> block_widths(const Spec& spec);

// Throws UserError naming `where` (a file) and the field, e.g.
// "spec.json: widths[2]: 100 bottleneck width 100 is not divisible by group width 48".
void validate(const Spec& spec, const std::string& where = "");

// JSON form with pycls's names (see docs/spec-json.md): depths, widths, bottleneck_ratios,
// group_widths, strides, se_ratio, stem_type, stem_width, input_size, input_channels, num_classes,
// and activation when it is not relu (so specs from before it existed read and write the same).
nlohmann::json to_json(const Spec& spec);
// Parses and validates; missing optional fields take the defaults above.
Spec spec_from_json(const nlohmann::json& j, const std::string& where = "");

}  // namespace regnet
