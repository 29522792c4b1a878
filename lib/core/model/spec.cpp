#include "core/model/spec.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"

namespace regnet {

int Spec::depth() const { return std::accumulate(depths.begin(), depths.end(), 0); }

bool Spec::operator==(const Spec& o) const {
  return stem_type == o.stem_type && stem_width == o.stem_width && depths == o.depths && widths == o.widths &&
         bottleneck_ratios == o.bottleneck_ratios && group_widths == o.group_widths && strides == o.strides &&
         se_ratio == o.se_ratio && activation == o.activation && input_size == o.input_size &&
         input_channels == o.input_channels && num_classes == o.num_classes;
}

int stem_stride(StemType t) { return t == StemType::simple_stem_in ? 2 : 1; }

std::string to_string(StemType t) { return t == StemType::simple_stem_in ? "simple_stem_in" : "res_stem_cifar"; }

StemType stem_type_from_string(const std::string& s, const std::string& where) {
  if (s == "simple_stem_in") return StemType::simple_stem_in;
  if (s == "res_stem_cifar") return StemType::res_stem_cifar;
  fail(where, "stem_type", "'" + shorten(s) + "' is not one of simple_stem_in, res_stem_cifar");
}

std::string to_string(Activation a) { return a == Activation::relu ? "relu" : "silu"; }

Activation activation_from_string(const std::string& s, const std::string& where) {
  if (s == "relu") return Activation::relu;
  if (s == "silu") return Activation::silu;
  fail(where, "activation", "'" + shorten(s) + "' is not one of relu, silu");
}

int bottleneck_width(int width, double bottleneck_ratio) {
  return static_cast<int>(std::nearbyint(width / bottleneck_ratio));
}

std::vector<int> block_widths(const Spec& spec) {
  std::vector<int> out;
  for (int i = 0; i < spec.num_stages(); ++i) out.insert(out.end(), spec.depths[i], spec.widths[i]);
  return out;
}

namespace {
std::string idx(const char* field, int i) { return std::string(field) + "[" + std::to_string(i) + "]"; }
std::string num(double x) {
  nlohmann::json j = x;
  return j.dump();
}

void check_lengths(const Spec& s, const std::string& where) {
  const size_t n = s.depths.size();
  if (n == 0) fail(where, "depths", "a network needs at least one stage");
  if (n > static_cast<size_t>(kMaxStages))
    fail(where, "depths", "has " + std::to_string(n) + " stages (at most " + std::to_string(kMaxStages) + ")");
  const std::pair<const char*, size_t> lengths[] = {{"widths", s.widths.size()},
                                                    {"bottleneck_ratios", s.bottleneck_ratios.size()},
                                                    {"group_widths", s.group_widths.size()},
                                                    {"strides", s.strides.size()}};
  for (const auto& [field, size] : lengths)
    if (size != n) fail(where, field, "has " + std::to_string(size) + " stages, depths has " + std::to_string(n));
}

void check_network(const Spec& s, const std::string& where) {
  const std::pair<const char*, int> positive[] = {{"stem_width", s.stem_width},
                                                  {"input_size", s.input_size},
                                                  {"input_channels", s.input_channels},
                                                  {"num_classes", s.num_classes}};
  for (const auto& [field, v] : positive)
    if (v < 1) fail(where, field, std::to_string(v) + " must be >= 1");
  if (!(s.se_ratio >= 0.0 && s.se_ratio < 1.0)) fail(where, "se_ratio", num(s.se_ratio) + " must be in [0, 1)");
}

// Stage i, entered at width w_in.
void check_stage(const Spec& s, size_t i, int w_in, const std::string& where) {
  const int k = static_cast<int>(i);
  if (s.depths[i] < 1 || s.depths[i] > kMaxStageDepth)
    fail(where, idx("depths", k),
         std::to_string(s.depths[i]) + " must be in [1, " + std::to_string(kMaxStageDepth) + "]");
  if (s.widths[i] < 1) fail(where, idx("widths", k), std::to_string(s.widths[i]) + " must be >= 1");
  if (s.strides[i] < 1) fail(where, idx("strides", k), std::to_string(s.strides[i]) + " must be >= 1");
  const double b = s.bottleneck_ratios[i];
  if (!(b > 0.0) || !std::isfinite(b)) fail(where, idx("bottleneck_ratios", k), num(b) + " must be > 0");
  // w / b is rounded to an int: a tiny b would not fit.
  const double exact = std::nearbyint(s.widths[i] / b);
  if (!(exact <= std::numeric_limits<int>::max()))
    fail(where, idx("bottleneck_ratios", k),
         num(b) + " with width " + std::to_string(s.widths[i]) + " gives a bottleneck width above " +
             std::to_string(std::numeric_limits<int>::max()));
  if (s.group_widths[i] < 1) fail(where, idx("group_widths", k), std::to_string(s.group_widths[i]) + " must be >= 1");
  const int wb = bottleneck_width(s.widths[i], b);
  if (wb < 1)
    fail(where, idx("widths", k), std::to_string(s.widths[i]) + " gives bottleneck width " + std::to_string(wb));
  if (wb % s.group_widths[i] != 0)
    fail(where, idx("widths", k),
         std::to_string(s.widths[i]) + " with bottleneck ratio " + num(b) + " gives bottleneck width " +
             std::to_string(wb) + ", not divisible by group width " + std::to_string(s.group_widths[i]) +
             " (apply group-width compatibility)");
  if (s.se_ratio > 0.0 && std::nearbyint(s.se_ratio * w_in) < 1)
    fail(where, "se_ratio", num(s.se_ratio) + " gives an SE width of 0 for stage " + std::to_string(k + 1));
}

}  // namespace

void validate(const Spec& s, const std::string& where) {
  check_lengths(s, where);
  check_network(s, where);
  int w_in = s.stem_width;
  for (size_t i = 0; i < s.depths.size(); ++i) {
    check_stage(s, i, w_in, where);
    w_in = s.widths[i];
  }
}

nlohmann::json to_json(const Spec& s) {
  nlohmann::json j{{"stem_type", to_string(s.stem_type)},
                   {"stem_width", s.stem_width},
                   {"depths", s.depths},
                   {"widths", s.widths},
                   {"bottleneck_ratios", s.bottleneck_ratios},
                   {"group_widths", s.group_widths},
                   {"strides", s.strides},
                   {"se_ratio", s.se_ratio},
                   {"input_size", s.input_size},
                   {"input_channels", s.input_channels},
                   {"num_classes", s.num_classes}};
  if (s.activation != Activation::relu) j["activation"] = to_string(s.activation);
  return j;
}

Spec spec_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "", "a spec must be a JSON object");
  static const std::vector<std::string> known = {"stem_type",         "stem_width",     "depths",      "widths",
                                                 "bottleneck_ratios", "group_widths",   "strides",     "se_ratio",
                                                 "input_size",        "input_channels", "num_classes", "activation"};
  check_known_fields(j, known, where);
  Spec s;
  s.stem_type = stem_type_from_string(get_string(j, "stem_type", where, "simple_stem_in"), where);
  s.stem_width = get_int(j, "stem_width", where, 32);
  s.depths = get_int_array(j, "depths", where);
  s.widths = get_int_array(j, "widths", where);
  const size_t n = s.depths.size();
  s.bottleneck_ratios =
      j.contains("bottleneck_ratios") ? get_double_array(j, "bottleneck_ratios", where) : std::vector<double>(n, 1.0);
  s.group_widths = get_int_array(j, "group_widths", where);
  s.strides = j.contains("strides") ? get_int_array(j, "strides", where) : std::vector<int>(n, 2);
  s.se_ratio = get_double(j, "se_ratio", where, 0.0);
  s.activation = activation_from_string(get_string(j, "activation", where, "relu"), where);
  s.input_size = get_int(j, "input_size", where, 224);
  s.input_channels = get_int(j, "input_channels", where, 3);
  s.num_classes = get_int(j, "num_classes", where, 1000);
  validate(s, where);
  return s;
}

}  // namespace regnet
