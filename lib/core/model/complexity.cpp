#include "core/model/complexity.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"

namespace regnet {

namespace {

using Count = std::int64_t;

// The arithmetic of a count. Checked: exact, or kCountOverflow once a product or sum leaves 64
// bits; saturation is sticky without a test of its own, since every factor is >= 1 (a product or
// sum with kCountOverflow overflows again, or times 1 stays). Plain: for specs whose every count
// is known to fit (fits_plainly), as fast as the sampler's hot loop needs.
struct Checked {
  static Count mul(Count a, Count b) {
    Count r;
    return __builtin_mul_overflow(a, b, &r) ? kCountOverflow : r;
  }
  static Count add(Count a, Count b) {
    Count r;
    return __builtin_add_overflow(a, b, &r) ? kCountOverflow : r;
  }
  // floor(x * y / d) exactly, 128 bits for the product.
  static Count mul_div(Count x, Count y, Count d) {
    if (x == kCountOverflow) return kCountOverflow;
    using Wide = unsigned __int128;
    const Wide q = static_cast<Wide>(x) * static_cast<Wide>(y) / static_cast<Wide>(d);
    return q >= static_cast<Wide>(kCountOverflow) ? kCountOverflow : static_cast<Count>(q);
  }
};
struct Plain {
  static Count mul(Count a, Count b) { return a * b; }
  static Count add(Count a, Count b) { return a + b; }
  static Count mul_div(Count x, Count y, Count d) { return x * y / d; }
};

// Running totals plus the current spatial size, as pycls's cx dict.
template <typename A>
struct Counter {
  Count h, w;
  Complexity c;

  // k*k*cin*cout*area // groups, as pycls's integers. groups divides cin in every conv of a valid
  // network (w_b % g == 0), so the division can come first.
  static Count grouped(Count k, Count cin, Count cout, Count area, Count groups) {
    const Count per_input = A::mul(A::mul(A::mul(k, k), cout), area);
    return cin % groups == 0 ? A::mul(per_input, cin / groups) : A::mul_div(per_input, cin, groups);
  }
  void conv(Count cin, Count cout, Count k, Count stride, Count groups, bool bias) {
    h = (h - 1) / stride + 1;
    w = (w - 1) / stride + 1;
    const Count hw = A::mul(h, w);
    c.flops = A::add(c.flops, grouped(k, cin, cout, hw, groups));
    if (bias) c.flops = A::add(c.flops, A::mul(cout, hw));
    c.params = A::add(c.params, A::add(grouped(k, cin, cout, 1, groups), bias ? cout : 0));
    c.acts = A::add(c.acts, A::mul(cout, hw));
  }
  void bn(Count ch) { c.params = A::add(c.params, A::mul(2, ch)); }
  void linear(Count in, Count out) {
    const Count weights = A::add(A::mul(in, out), out);
    c.flops = A::add(c.flops, weights);
    c.params = A::add(c.params, weights);
    c.acts = A::add(c.acts, out);
  }

  // One block (pycls's ResBottleneckBlock, X or Y), entered at the block's input size.
  void block(const Spec& s, Count w_in, int stage, int index) {
    const Count w_out = s.widths[stage];
    const Count w_b = bottleneck_width(s.widths[stage], s.bottleneck_ratios[stage]);
    const Count groups = w_b / s.group_widths[stage];
    const Count stride = index == 0 ? s.strides[stage] : 1;
    if (w_in != w_out || stride != 1) {
      // Counted at the downsampled size, then the size is restored for the branch.
      const auto h0 = h, w0 = w;
      conv(w_in, w_out, 1, stride, 1, false);
      bn(w_out);
      h = h0;
      w = w0;
    }
    conv(w_in, w_b, 1, 1, 1, false);
    bn(w_b);
    conv(w_b, w_b, 3, stride, groups, false);
    bn(w_b);
    if (s.se_ratio > 0) {
      const Count w_se = static_cast<Count>(std::nearbyint(s.se_ratio * w_in));
      const auto h0 = h, w0 = w;
      h = w = 1;
      conv(w_b, w_se, 1, 1, 1, true);
      conv(w_se, w_b, 1, 1, 1, true);
      h = h0;
      w = w0;
    }
    conv(w_b, w_out, 1, 1, 1, false);
    bn(w_out);
  }
};

// stage_flops: each stage's share of the flops (kCountOverflow once the total saturates).
template <typename A>
Complexity count(const Spec& s, std::vector<Count>* stage_flops = nullptr) {
  Counter<A> cx{s.input_size, s.input_size, {}};
  cx.conv(s.input_channels, s.stem_width, 3, stem_stride(s.stem_type), 1, false);
  cx.bn(s.stem_width);
  Count w_in = s.stem_width;
  for (int i = 0; i < s.num_stages(); ++i) {
    const Count before = cx.c.flops;
    for (int j = 0; j < s.depths[i]; ++j) {
      cx.block(s, w_in, i, j);
      w_in = s.widths[i];
    }
    if (stage_flops) stage_flops->push_back(cx.c.flops == kCountOverflow ? kCountOverflow : cx.c.flops - before);
  }
  cx.linear(w_in, s.num_classes);
  return cx.c;
}

// True when no sum or product can exceed 2^62: with C the widest channel count and H the input
// size, each layer (at most 10 per block, with the SE convs and batch norms; 3 for stem and head)
// adds at most 10 C^2 (H^2 + 1) to any count.
bool fits_plainly(const Spec& s) {
  double c = std::max({s.stem_width, s.input_channels, s.num_classes, 1});
  double layers = 3;
  for (int i = 0; i < s.num_stages(); ++i) {
    c = std::max({c, static_cast<double>(s.widths[i]), std::nearbyint(s.widths[i] / s.bottleneck_ratios[i])});
    layers += 10.0 * s.depths[i];
  }
  const double h = s.input_size;
  return layers * 10 * c * c * (h * h + 1) < 0x1p62;
}

}  // namespace

Complexity saturated_complexity(const Spec& s) { return fits_plainly(s) ? count<Plain>(s) : count<Checked>(s); }

std::vector<std::int64_t> stage_flops(const Spec& s) {
  std::vector<Count> out;
  count<Checked>(s, &out);
  return out;
}

bool overflows(const Complexity& c) {
  return c.flops == kCountOverflow || c.params == kCountOverflow || c.acts == kCountOverflow;
}

Complexity complexity(const Spec& spec, const std::string& where) {
  const Complexity c = saturated_complexity(spec);
  const char* field = c.flops == kCountOverflow ? "flops" : c.params == kCountOverflow ? "params" : "acts";
  if (overflows(c))
    fail(where, field,
         fmt::format("more than 2^63 - 1 (input_size {}, widest stage {}): too large to count in 64 bits",
                     spec.input_size,
                     spec.widths.empty() ? 0 : *std::max_element(spec.widths.begin(), spec.widths.end())));
  return c;
}

nlohmann::json to_json(const Complexity& c) {
  return nlohmann::json{{"flops", c.flops}, {"params", c.params}, {"acts", c.acts}};
}

namespace {
std::int64_t count_from_json(const nlohmann::json& j, const char* field, const std::string& where) {
  const nlohmann::json& v = require(j, field, where);
  const std::string path = std::string("complexity.") + field;
  if (!v.is_number_integer()) fail(where, path, excerpt(v) + " is not a whole number");
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(kCountOverflow))
    fail(where, path, excerpt(v) + " does not fit in 64 bits");
  const std::int64_t x = v.get<std::int64_t>();
  if (x < 0) fail(where, path, excerpt(v) + " must be >= 0");
  return x;
}
}  // namespace

Complexity complexity_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "complexity", excerpt(j) + " is not an object");
  return {count_from_json(j, "flops", where), count_from_json(j, "params", where), count_from_json(j, "acts", where)};
}

}  // namespace regnet
