#include "core/model/design_parameters.hpp"

#include <cmath>

namespace regnet {

namespace {

const double kRequired = std::nan("");
using Value = std::optional<double>;

template <typename T>
Value at(const std::vector<T>& v, int stage) {
  return stage >= 0 && stage < static_cast<int>(v.size()) ? Value(static_cast<double>(v[static_cast<size_t>(stage)]))
                                                          : std::nullopt;
}

std::string num(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9e15) return std::to_string(static_cast<long long>(x));
  return nlohmann::json(x).dump();
}

}  // namespace

// Bounds keep every drawable network countable and buildable: depth and widths as in docs/spec-json.md,
// b >= 1/64 keeps w / b within an int; w0 must also be a multiple of the space's width quantum
// (core/space/space.cpp). The draw columns are the format's draw order (docs/spaces.md).
// clang-format off
const std::vector<DesignParameter>& design_parameters() {
  using T = ParameterType;
  using A = AnalysisUse;
  static const std::vector<DesignParameter> table = {
   // name             symbol  label               type        low       high   ends  must                             words             fallback   any  reg  stage  flops  analysis        log    stage value, model value
    {"depth",            "d",    "depth",            T::integer, 1,        1000,  "[]", "must be in [1, 1000]",          {},               kRequired, 0,   0,   true,  true,  A::regnet,      false, [](const Spec& s, int i) { return at(s.depths, i); },
     [](const Spec& s, const RegNetParams* p) -> Value { return p ? p->depth : s.depth(); }},
    {"width",            "w",    "width",            T::integer, 1,        65536, "[]", "must be in [1, 65536]",         {},               kRequired, 1,   -1,  true,  true,  A::none,        true,  [](const Spec& s, int i) { return at(s.widths, i); },
     [](const Spec&, const RegNetParams*) -> Value { return std::nullopt; }},
    {"w0",               "w0",   "initial width",    T::integer, 1,        65536, "[]", "must be in [1, 65536]",         {},               kRequired, -1,  1,   false, true,  A::regnet,      true,  nullptr,
     [](const Spec&, const RegNetParams* p) -> Value { return p ? Value(p->w0) : std::nullopt; }},
    {"wa",               "wa",   "width slope",      T::real,    0,        65536, "[]", "must be in [0, 65536]",         {},               kRequired, -1,  2,   false, true,  A::regnet,      true,  nullptr,
     [](const Spec&, const RegNetParams* p) -> Value { return p ? Value(p->wa) : std::nullopt; }},
    {"wm",               "wm",   "width multiplier", T::real,    1,        100,   "(]", "must be > 1 (and at most 100)", {},               kRequired, -1,  3,   false, true,  A::regnet,      false, nullptr,
     [](const Spec&, const RegNetParams* p) -> Value { return p ? Value(p->wm) : std::nullopt; }},
    {"group_width",      "g",    "group width",      T::integer, 1,        65536, "[]", "must be in [1, 65536]",         {},               kRequired, 3,   4,   true,  true,  A::regnet,      true,  [](const Spec& s, int i) { return at(s.group_widths, i); },
     [](const Spec&, const RegNetParams* p) -> Value { return p ? Value(p->group_width) : std::nullopt; }},
    {"bottleneck_ratio", "b",    "bottleneck ratio", T::real,    1.0 / 64, 1024,  "[]", "must be in [1/64, 1024]",       {},               1.0,       2,   5,   true,  true,  A::regnet,      true,  [](const Spec& s, int i) { return at(s.bottleneck_ratios, i); },
     [](const Spec&, const RegNetParams* p) -> Value { return p ? Value(p->bottleneck_ratio) : std::nullopt; }},
    {"se_ratio",         "se",   "SE ratio",         T::real,    0,        1,     "[)", "must be in [0, 1)",             {},               0.0,       4,   6,   false, true,  A::none,        false, nullptr,
     [](const Spec& s, const RegNetParams*) -> Value { return s.se_ratio; }},
    {"activation",       "act",  "activation",       T::word,    0,        1,     "[]", "must be relu or silu",          {"relu", "silu"}, 0.0,       5,   7,   false, false, A::when_varied, false, nullptr,
     [](const Spec& s, const RegNetParams*) -> Value { return static_cast<double>(s.activation); }},
  };
  return table;
}
// clang-format on

const DesignParameter* find_design_parameter(const std::string& name) {
  for (const auto& p : design_parameters())
    if (name == p.name) return &p;
  return nullptr;
}

std::vector<const DesignParameter*> drawn_parameters(bool regnet_space) {
  std::vector<const DesignParameter*> out;
  for (const auto& p : design_parameters()) {
    const int k = regnet_space ? p.regnet_draw : p.anynet_draw;
    if (k < 0) continue;
    if (out.size() <= static_cast<size_t>(k)) out.resize(static_cast<size_t>(k) + 1, nullptr);
    out[static_cast<size_t>(k)] = &p;
  }
  return out;
}

nlohmann::json value_json(const DesignParameter& p, double v) {
  if (p.type == ParameterType::word) return p.words.at(static_cast<size_t>(v));
  if (p.type == ParameterType::integer) return static_cast<std::int64_t>(v);
  return v;
}

std::optional<double> value_from_json(const DesignParameter& p, const nlohmann::json& j) {
  if (p.type != ParameterType::word) {
    if (!j.is_number()) return std::nullopt;
    return j.get<double>();
  }
  if (!j.is_string()) return std::nullopt;
  for (size_t i = 0; i < p.words.size(); ++i)
    if (j.get<std::string>() == p.words[i]) return static_cast<double>(i);
  return std::nullopt;
}

std::string value_text(const DesignParameter& p, double v) {
  if (p.type == ParameterType::word) return p.words.at(static_cast<size_t>(v));
  return num(v);
}

std::string word_list(const DesignParameter& p) {
  std::string s;
  for (const char* w : p.words) s += (s.empty() ? "" : ", ") + std::string(w);
  return s;
}

std::optional<std::string> value_problem(const DesignParameter& p, double v) {
  if (p.type != ParameterType::real && v != std::floor(v)) return "is not an integer";
  const bool low_ok = p.bounds[0] == '(' ? v > p.low : v >= p.low;
  const bool high_ok = p.bounds[1] == ')' ? v < p.high : v <= p.high;
  if (!low_ok || !high_ok) return std::string(p.must);
  return std::nullopt;
}

}  // namespace regnet
