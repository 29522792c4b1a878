#include "core/complexity.hpp"

#include <cmath>
#include <nlohmann/json.hpp>

#include "core/json_io.hpp"

namespace regnet {

namespace {

// Running totals plus the current spatial size, as pycls's cx dict.
struct Counter {
  std::int64_t h, w;
  Complexity c;

  void conv(std::int64_t cin, std::int64_t cout, std::int64_t k, std::int64_t stride, std::int64_t groups, bool bias) {
    h = (h - 1) / stride + 1;
    w = (w - 1) / stride + 1;
    c.flops += k * k * cin * cout * h * w / groups + (bias ? cout * h * w : 0);
    c.params += k * k * cin * cout / groups + (bias ? cout : 0);
    c.acts += cout * h * w;
  }
  void bn(std::int64_t ch) { c.params += 2 * ch; }
  void linear(std::int64_t in, std::int64_t out) {
    c.flops += in * out + out;
    c.params += in * out + out;
    c.acts += out;
  }
};

}  // namespace

Complexity complexity(const Spec& s) {
  Counter cx{s.input_size, s.input_size, {}};
  cx.conv(s.input_channels, s.stem_width, 3, stem_stride(s.stem_type), 1, false);
  cx.bn(s.stem_width);
  std::int64_t w_in = s.stem_width;
  for (int i = 0; i < s.num_stages(); ++i) {
    const std::int64_t w_out = s.widths[i];
    const std::int64_t w_b = bottleneck_width(s.widths[i], s.bottleneck_ratios[i]);
    const std::int64_t groups = w_b / s.group_widths[i];
    for (int j = 0; j < s.depths[i]; ++j) {
      const std::int64_t stride = j == 0 ? s.strides[i] : 1;
      if (w_in != w_out || stride != 1) {
        // Counted at the downsampled size, then the size is restored for the branch.
        const auto h = cx.h, w = cx.w;
        cx.conv(w_in, w_out, 1, stride, 1, false);
        cx.bn(w_out);
        cx.h = h;
        cx.w = w;
      }
      cx.conv(w_in, w_b, 1, 1, 1, false);
      cx.bn(w_b);
      cx.conv(w_b, w_b, 3, stride, groups, false);
      cx.bn(w_b);
      if (s.se_ratio > 0) {
        const std::int64_t w_se = static_cast<std::int64_t>(std::nearbyint(s.se_ratio * w_in));
        const auto h = cx.h, w = cx.w;
        cx.h = cx.w = 1;
        cx.conv(w_b, w_se, 1, 1, 1, true);
        cx.conv(w_se, w_b, 1, 1, 1, true);
        cx.h = h;
        cx.w = w;
      }
      cx.conv(w_b, w_out, 1, 1, 1, false);
      cx.bn(w_out);
      w_in = w_out;
    }
  }
  cx.linear(w_in, s.num_classes);
  return cx.c;
}

nlohmann::json to_json(const Complexity& c) {
  return nlohmann::json{{"flops", c.flops}, {"params", c.params}, {"acts", c.acts}};
}

Complexity complexity_from_json(const nlohmann::json& j, const std::string& where) {
  Complexity c;
  c.flops = require(j, "flops", where).get<std::int64_t>();
  c.params = require(j, "params", where).get<std::int64_t>();
  c.acts = require(j, "acts", where).get<std::int64_t>();
  return c;
}

}  // namespace regnet
