#include "core/report/analysis_parameters.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

namespace regnet {

namespace {

using Value = std::optional<double>;

// Complexity: one value per model, in M.
struct ComplexityParameter {
  const char* key;
  const char* label;
  Value (*value)(const ModelPoint&);
};
const ComplexityParameter kComplexity[] = {
    {"flops", "flops (MF)", [](const ModelPoint& m) -> Value { return m.complexity.flops / 1e6; }},
    {"params", "params (M)", [](const ModelPoint& m) -> Value { return m.complexity.params / 1e6; }},
    {"acts", "acts (M)", [](const ModelPoint& m) -> Value { return m.complexity.acts / 1e6; }},
};
constexpr int kComplexityCount = static_cast<int>(std::size(kComplexity));

// The design parameters (core/model/design_parameters) analyze relates to error: one value per
// model (the RegNet parameters, and those models differ in), or one per stage (key symbol + stage).
// In RegNet draw order (d, w0, wa, wm, g, b, ...), and per stage in AnyNet draw order (d, w, b, g).
std::vector<const DesignParameter*> model_parameters() {
  std::vector<const DesignParameter*> out;
  for (const DesignParameter* p : drawn_parameters(true))
    if (p->analysis != AnalysisUse::none) out.push_back(p);
  return out;
}
std::vector<const DesignParameter*> stage_parameters() {
  std::vector<const DesignParameter*> out;
  for (const DesignParameter* p : drawn_parameters(false))
    if (p->stage_value) out.push_back(p);
  return out;
}
constexpr int kStageOrderBase = 100, kStageKindStride = 1000;

// "w_0" for w0: the subscript of gnuplot's enhanced text.
std::string tex(const std::string& symbol) {
  return symbol.size() == 2 && symbol != "se" ? symbol.substr(0, 1) + "_" + symbol.substr(1) : symbol;
}

Parameter parameter(const DesignParameter& p) {
  std::string label = tex(p.symbol) + " (" + p.label + ")";
  if (p.type == ParameterType::word) {
    label = std::string(p.label) + " (";
    for (size_t i = 0; i < p.words.size(); ++i) label += (i ? ", " : "") + std::to_string(i) + " " + p.words[i];
    label += ")";
  }
  const ParameterGroup group = p.analysis == AnalysisUse::regnet ? ParameterGroup::regnet : ParameterGroup::choice;
  return {p.symbol, label, p.log_scale, group};
}

Parameter parameter(const DesignParameter& p, int stage) {
  const std::string n = std::to_string(stage), kind = p.symbol;
  return {kind + n, kind + "_" + n + " (stage " + n + " " + p.label + ")", p.log_scale, ParameterGroup::stage};
}

// (row, 1-based stage) of a per-stage key such as "w3"; nullopt for any other key.
std::optional<std::pair<const DesignParameter*, int>> stage_key(const std::string& key) {
  if (key.size() < 2 || key.size() > 6) return std::nullopt;
  for (const DesignParameter* p : stage_parameters()) {
    const std::string sym = p->symbol;
    if (key.compare(0, sym.size(), sym) != 0 || key.size() == sym.size()) continue;
    const std::string digits = key.substr(sym.size());
    if (std::all_of(digits.begin(), digits.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      return std::make_pair(p, std::stoi(digits));
  }
  return std::nullopt;
}

const DesignParameter* model_key(const std::string& key) {
  for (const DesignParameter* p : model_parameters())
    if (key == p->symbol) return p;
  return nullptr;
}

Value model_value(const DesignParameter& p, const ModelPoint& m) {
  return p.model_value(m.spec, m.regnet ? &*m.regnet : nullptr);
}

// The stages every model has a value of each per-stage parameter for.
int common_stages(const std::vector<ModelPoint>& models) {
  int stages = std::numeric_limits<int>::max();
  for (const auto& m : models) {
    stages = std::min(stages, m.spec.num_stages());
    for (const DesignParameter* p : stage_parameters())
      while (stages > 0 && !p->stage_value(m.spec, stages - 1)) --stages;
  }
  return stages;
}

// Whether analyze shows a per-model parameter for these models.
bool shown(const DesignParameter& p, const std::vector<ModelPoint>& models) {
  const auto has = [&](const ModelPoint& m) { return model_value(p, m).has_value(); };
  if (!std::all_of(models.begin(), models.end(), has)) return false;
  if (p.analysis == AnalysisUse::regnet)
    return std::all_of(models.begin(), models.end(), [](const ModelPoint& m) { return m.regnet.has_value(); });
  const double first = *model_value(p, models.front());
  return std::any_of(models.begin(), models.end(), [&](const ModelPoint& m) { return *model_value(p, m) != first; });
}

}  // namespace

int parameter_order(const std::string& key) {
  for (int i = 0; i < kComplexityCount; ++i)
    if (key == kComplexity[i].key) return i;
  const auto models = model_parameters();
  for (size_t i = 0; i < models.size(); ++i)
    if (key == models[i]->symbol) return kComplexityCount + static_cast<int>(i);
  if (const auto s = stage_key(key)) {
    const auto stages = stage_parameters();
    const auto k = std::find(stages.begin(), stages.end(), s->first) - stages.begin();
    return kStageOrderBase + static_cast<int>(k) * kStageKindStride + s->second;
  }
  return 1 << 20;
}

std::optional<double> parameter_value(const ModelPoint& m, const std::string& key) {
  for (const auto& c : kComplexity)
    if (key == c.key) return c.value(m);
  if (const DesignParameter* p = model_key(key)) return model_value(*p, m);
  const auto s = stage_key(key);
  if (!s || s->second < 1 || s->second > m.spec.num_stages()) return std::nullopt;
  return s->first->stage_value(m.spec, s->second - 1);
}

std::vector<Parameter> parameters_of(const std::vector<ModelPoint>& models) {
  std::vector<Parameter> out;
  if (models.empty()) return out;
  for (const auto& c : kComplexity) out.push_back({c.key, c.label, true, ParameterGroup::complexity});
  for (const DesignParameter* p : model_parameters())
    if (shown(*p, models)) out.push_back(parameter(*p));
  const int stages = common_stages(models);
  for (const DesignParameter* p : stage_parameters())
    for (int i = 1; i <= stages; ++i) out.push_back(parameter(*p, i));
  return out;
}

}  // namespace regnet
