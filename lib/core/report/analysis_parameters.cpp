#include "core/report/analysis_parameters.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace regnet {

namespace {

using Value = std::optional<double>;

// Complexity and RegNet parameters: one value per model.
struct ScalarParameter {
  const char* key;
  const char* label;
  bool log_scale;
  ParameterGroup group;
  Value (*value)(const ModelPoint&);
};

template <typename F>
Value of_regnet(const ModelPoint& m, F f) {
  return m.regnet ? Value(f(*m.regnet)) : std::nullopt;
}

const ScalarParameter kScalars[] = {
    {"flops", "flops (MF)", true, ParameterGroup::complexity, [](const ModelPoint& m) -> Value { return m.complexity.flops / 1e6; }},
    {"params", "params (M)", true, ParameterGroup::complexity, [](const ModelPoint& m) -> Value { return m.complexity.params / 1e6; }},
    {"acts", "acts (M)", true, ParameterGroup::complexity, [](const ModelPoint& m) -> Value { return m.complexity.acts / 1e6; }},
    {"d", "d (depth, blocks)", false, ParameterGroup::regnet,
     [](const ModelPoint& m) { return of_regnet(m, [](const RegNetParams& p) { return double(p.depth); }); }},
    {"w0", "w_0 (initial width)", true, ParameterGroup::regnet,
     [](const ModelPoint& m) { return of_regnet(m, [](const RegNetParams& p) { return p.w0; }); }},
    {"wa", "w_a (width slope)", true, ParameterGroup::regnet,
     [](const ModelPoint& m) { return of_regnet(m, [](const RegNetParams& p) { return p.wa; }); }},
    {"wm", "w_m (width multiplier)", false, ParameterGroup::regnet,
     [](const ModelPoint& m) { return of_regnet(m, [](const RegNetParams& p) { return p.wm; }); }},
    {"g", "g (group width)", true, ParameterGroup::regnet,
     [](const ModelPoint& m) { return of_regnet(m, [](const RegNetParams& p) { return double(p.group_width); }); }},
    {"b", "b (bottleneck ratio)", true, ParameterGroup::regnet,
     [](const ModelPoint& m) { return of_regnet(m, [](const RegNetParams& p) { return p.bottleneck_ratio; }); }},
};

template <typename T>
Value at(const std::vector<T>& v, int stage) {
  return stage < static_cast<int>(v.size()) ? Value(static_cast<double>(v[static_cast<size_t>(stage)])) : std::nullopt;
}

// Per-stage structure: key KIND + stage number (1-based), e.g. "w3".
struct StageParameter {
  char kind;
  const char* what;
  bool log_scale;
  Value (*value)(const Spec&, int stage);  // stage 0-based
};

const StageParameter kStages[] = {
    {'d', "depth", false, [](const Spec& s, int i) { return at(s.depths, i); }},
    {'w', "width", true, [](const Spec& s, int i) { return at(s.widths, i); }},
    {'b', "bottleneck ratio", true, [](const Spec& s, int i) { return at(s.bottleneck_ratios, i); }},
    {'g', "group width", true, [](const Spec& s, int i) { return at(s.group_widths, i); }},
};
constexpr int kStageOrderBase = 100, kStageKindStride = 1000;

const ScalarParameter* scalar(const std::string& key) {
  for (const auto& p : kScalars)
    if (key == p.key) return &p;
  return nullptr;
}

// (index into kStages, 1-based stage) of a per-stage key; nullopt for any other key.
std::optional<std::pair<size_t, int>> stage_key(const std::string& key) {
  if (key.size() < 2 || key.size() > 6) return std::nullopt;
  for (size_t i = 1; i < key.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(key[i]))) return std::nullopt;
  for (size_t k = 0; k < std::size(kStages); ++k)
    if (key[0] == kStages[k].kind) return std::make_pair(k, std::stoi(key.substr(1)));
  return std::nullopt;
}

Parameter parameter(const ScalarParameter& p) { return {p.key, p.label, p.log_scale, p.group}; }

Parameter parameter(const StageParameter& p, int stage) {
  const std::string n = std::to_string(stage), kind(1, p.kind);
  return {kind + n, kind + "_" + n + " (stage " + n + " " + p.what + ")", p.log_scale, ParameterGroup::stage};
}

// The stages every model has a depth, width, bottleneck ratio and group width for.
int common_stages(const std::vector<ModelPoint>& models) {
  int stages = std::numeric_limits<int>::max();
  for (const auto& m : models)
    stages = std::min({stages, m.spec.num_stages(), static_cast<int>(m.spec.widths.size()),
                       static_cast<int>(m.spec.bottleneck_ratios.size()), static_cast<int>(m.spec.group_widths.size())});
  return stages;
}

}  // namespace

int parameter_order(const std::string& key) {
  if (const ScalarParameter* p = scalar(key)) return static_cast<int>(p - kScalars);
  if (const auto s = stage_key(key)) return kStageOrderBase + static_cast<int>(s->first) * kStageKindStride + s->second;
  return 1 << 20;
}

std::optional<double> parameter_value(const ModelPoint& m, const std::string& key) {
  if (const ScalarParameter* p = scalar(key)) return p->value(m);
  const auto s = stage_key(key);
  if (!s || s->second < 1 || s->second > m.spec.num_stages()) return std::nullopt;
  return kStages[s->first].value(m.spec, s->second - 1);
}

std::vector<Parameter> parameters_of(const std::vector<ModelPoint>& models) {
  std::vector<Parameter> out;
  if (models.empty()) return out;
  const bool all_regnet = std::all_of(models.begin(), models.end(), [](const ModelPoint& m) { return m.regnet.has_value(); });
  for (const auto& p : kScalars)
    if (p.group == ParameterGroup::complexity || all_regnet) out.push_back(parameter(p));
  const int stages = common_stages(models);
  for (const auto& k : kStages)
    for (int i = 1; i <= stages; ++i) out.push_back(parameter(k, i));
  return out;
}

}  // namespace regnet
