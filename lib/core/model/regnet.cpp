#include "core/model/regnet.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"

namespace regnet {

RegNetWidths generate_regnet_unchecked(double wa, double w0, double wm, int depth, int q) {
  RegNetWidths r;
  std::vector<double> ks(depth);
  double kmax = 0;
  for (int j = 0; j < depth; ++j) {
    const double u = j * wa + w0;
    r.continuous.push_back(u);
    // Same double operations as numpy: log(u/w0)/log(wm), round half to even.
    const double k = std::nearbyint(std::log(u / w0) / std::log(wm));
    ks[j] = k;
    kmax = std::max(kmax, k);
    const double w = w0 * std::pow(wm, k);
    r.block_widths.push_back(static_cast<int>(std::nearbyint(w / q)) * q);
  }
  std::vector<int> sorted = r.block_widths;
  std::sort(sorted.begin(), sorted.end());
  for (int w : sorted) {
    if (r.stage_widths.empty() || r.stage_widths.back() != w) {
      r.stage_widths.push_back(w);
      r.stage_depths.push_back(1);
    } else {
      ++r.stage_depths.back();
    }
  }
  r.num_stages = static_cast<int>(r.stage_widths.size());
  r.total_stages = static_cast<int>(kmax) + 1;
  return r;
}

RegNetWidths generate_regnet(double wa, double w0, double wm, int depth, int q) {
  if (depth < 1 || depth > kMaxRegNetDepth)
    fail("", "depth", std::to_string(depth) + " must be in [1, " + std::to_string(kMaxRegNetDepth) + "]");
  if (q < 1) fail("", "q", std::to_string(q) + " must be >= 1");
  if (!(w0 > 0) || !std::isfinite(w0) || std::fmod(w0, q) != 0)
    fail("", "w0", fmt::format("{} must be a positive multiple of {}", w0, q));
  if (!(wa >= 0) || !std::isfinite(wa)) fail("", "wa", fmt::format("{} must be >= 0", wa));
  if (!(wm > 1) || !std::isfinite(wm)) fail("", "wm", fmt::format("{} must be > 1", wm));
  // Every quantized width is within a factor sqrt(wm) of u_j <= w0 + wa (depth - 1): keep it an int.
  const double widest = (w0 + wa * (depth - 1)) * std::sqrt(wm) + q;
  if (!(widest < kMaxRegNetWidth))
    fail("", wa > 0 ? "wa" : "w0",
         fmt::format("w0 {} + wa {} x (depth {} - 1) gives widths near {:.3g}, above {:.3g}", w0, wa, depth, widest,
                     kMaxRegNetWidth));
  return generate_regnet_unchecked(wa, w0, wm, depth, q);
}

Spec regnet_spec(const RegNetParams& p, const NetworkOptions& net, Rounding rounding) {
  const RegNetWidths g = generate_regnet(p.wa, p.w0, p.wm, p.depth, p.q);
  const size_t n = g.stage_widths.size();
  StageShape shape{g.stage_widths, std::vector<double>(n, p.bottleneck_ratio), std::vector<int>(n, p.group_width)};
  shape = adjust_block_compatibility(shape, rounding);
  Spec s;
  s.depths = g.stage_depths;
  s.widths = shape.widths;
  s.bottleneck_ratios = shape.bottleneck_ratios;
  s.group_widths = shape.group_widths;
  s.se_ratio = p.se_ratio;
  return with_network_options(std::move(s), net);  // stem, input, classes and every stage's stride
}

NetworkOptions network_options_of(const Spec& s) {
  NetworkOptions n;
  n.stem_type = s.stem_type;
  n.stem_width = s.stem_width;
  n.input_size = s.input_size;
  n.input_channels = s.input_channels;
  n.num_classes = s.num_classes;
  n.stride = s.strides.empty() ? 2 : s.strides.front();
  return n;
}

Spec with_network_options(Spec s, const NetworkOptions& net) {
  s.stem_type = net.stem_type;
  s.stem_width = net.stem_width;
  s.input_size = net.input_size;
  s.input_channels = net.input_channels;
  s.num_classes = net.num_classes;
  s.strides.assign(s.depths.size(), net.stride);
  return s;
}

nlohmann::json to_json(const RegNetParams& p) {
  return nlohmann::json{{"depth", p.depth},
                        {"w0", p.w0},
                        {"wa", p.wa},
                        {"wm", p.wm},
                        {"group_width", p.group_width},
                        {"bottleneck_ratio", p.bottleneck_ratio},
                        {"se_ratio", p.se_ratio},
                        {"q", p.q}};
}

RegNetParams regnet_params_from_json(const nlohmann::json& j, const std::string& where) {
  RegNetParams p;
  p.depth = get_int(j, "depth", where);
  p.w0 = get_double(j, "w0", where);
  p.wa = get_double(j, "wa", where);
  p.wm = get_double(j, "wm", where);
  p.group_width = get_int(j, "group_width", where);
  p.bottleneck_ratio = get_double(j, "bottleneck_ratio", where, 1.0);
  p.se_ratio = get_double(j, "se_ratio", where, 0.0);
  p.q = get_int(j, "q", where, 8);
  return p;
}

}  // namespace regnet
