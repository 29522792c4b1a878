#include "core/space/space.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "core/base/config_dir.hpp"
#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/model/design_parameters.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

std::vector<std::string> ordered_parameter_names() {
  std::vector<std::string> names;
  for (const auto& p : design_parameters())
    if (p.stage_value) names.push_back(p.name);
  return names;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

nlohmann::json num_json(double x) {
  if (std::isfinite(x) && x == std::floor(x) && std::fabs(x) < 9e15) return static_cast<std::int64_t>(x);
  return x;
}
std::string num(double x) { return num_json(x).dump(); }

bool is_integer(double x) { return std::isfinite(x) && x == std::floor(x); }
bool is_power2(double x) {
  if (!(x > 0) || !std::isfinite(x)) return false;
  int e = 0;
  return std::frexp(x, &e) == 0.5;
}
// x is a whole multiple of q (up to rounding of decimal quanta such as 0.1).
bool on_grid(double x, double q) {
  const double k = x / q;
  return std::fabs(k - std::nearbyint(k)) < 1e-9 * std::max(1.0, std::fabs(k));
}

// Field access with the full path in errors ("parameters.width.dist").
const nlohmann::json& at(const nlohmann::json& j, const std::string& key, const std::string& file,
                         const std::string& path) {
  auto it = j.find(key);
  if (it == j.end()) fail(file, path + key, "missing");
  return *it;
}
std::string str(const nlohmann::json& v, const std::string& file, const std::string& field) {
  if (!v.is_string()) fail(file, field, excerpt(v) + " is not a string");
  return v.get<std::string>();
}

void check_keys(const nlohmann::json& j, const std::vector<std::string>& known, const std::string& file,
                const std::string& path) {
  check_known_fields(j, known, file, path);
}

// The values a parameter may take, whatever its distribution (core/model/design_parameters).
void check_value(const DesignParameter& p, double v, int width_quantum, const std::string& file,
                 const std::string& field) {
  if (const auto problem = value_problem(p, v)) fail(file, field, value_text(p, v) + " " + *problem);
  if (std::string(p.name) == "w0" && std::fmod(v, width_quantum) != 0)
    fail(file, field, num(v) + " must be a multiple of width_quantum " + std::to_string(width_quantum));
}

// One value from JSON: a number, or a word parameter's word.
double value_of(const nlohmann::json& j, const DesignParameter& p, const std::string& file, const std::string& field) {
  if (p.type != ParameterType::word) return as_double(j, field, file);
  if (const auto v = value_from_json(p, j)) return *v;
  fail(file, field, excerpt(j) + " is not one of " + word_list(p));
}

DistKind dist_kind_from_string(const std::string& s, const std::string& file, const std::string& field) {
  for (DistKind k : {DistKind::fixed, DistKind::uniform, DistKind::log_uniform, DistKind::power2, DistKind::choice,
                     DistKind::power2_or_log_uniform})
    if (to_string(k) == s) return k;
  fail(file, field,
       "'" + shorten(s) + "' is not one of fixed, uniform, log_uniform, power2, choice, power2_or_log_uniform");
}

// "scope": per_stage (AnyNet's default) or shared; se_ratio and every RegNet parameter are shared.
bool per_stage_from_json(const nlohmann::json& j, const DesignParameter& info, SpaceType type, const std::string& file,
                         const std::string& path) {
  const bool may_vary = type == SpaceType::anynet && info.per_stage;
  const std::string scope = j.contains("scope") ? str(j["scope"], file, path + ".scope")
                            : may_vary          ? "per_stage"
                                                : "shared";
  if (scope == "shared") return false;
  if (scope != "per_stage") fail(file, path + ".scope", "'" + shorten(scope) + "' is not one of per_stage, shared");
  if (!may_vary)
    fail(file, path + ".scope",
         "'per_stage' is not possible here: " +
             std::string(type == SpaceType::regnet ? "RegNet parameters are shared by the whole network"
                                                   : std::string(info.name) + " is one value per network"));
  return true;
}

void choice_from_json(const nlohmann::json& j, const DesignParameter& info, int width_quantum, const std::string& file,
                      const std::string& path, Distribution& d) {
  check_keys(j, {"dist", "values", "scope"}, file, path + ".");
  const auto& v = at(j, "values", file, path + ".");
  if (!v.is_array() || v.empty()) fail(file, path + ".values", excerpt(v) + " must be a non-empty array");
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string f = path + ".values[" + std::to_string(i) + "]";
    d.values.push_back(value_of(v[i], info, file, f));
    check_value(info, d.values.back(), width_quantum, file, f);
  }
}

// q: integers default to 1 and must stay integers; reals default to continuous (0).
void quantum_from_json(const nlohmann::json& j, const DesignParameter& info, int width_quantum, const std::string& file,
                       const std::string& path, Distribution& d) {
  const std::string qf = path + ".q";
  const bool integer = info.type == ParameterType::integer;
  d.q = j.contains("q") ? as_double(j["q"], qf, file) : (integer ? 1.0 : 0.0);
  if (integer && !(is_integer(d.q) && d.q >= 1)) fail(file, qf, num(d.q) + " must be an integer >= 1");
  if (d.q < 0) fail(file, qf, num(d.q) + " must be >= 0");
  if (std::string(info.name) == "w0" && std::fmod(d.q, width_quantum) != 0)
    fail(file, qf, num(d.q) + " must be a multiple of width_quantum " + std::to_string(width_quantum));
  if (d.kind == DistKind::power2_or_log_uniform) {
    if (!is_power2(d.q)) fail(file, qf, num(d.q) + " must be a power of two (the threshold between the two parts)");
    return;
  }
  if (d.kind == DistKind::log_uniform && !(d.low > 0))
    fail(file, path + ".low", num(d.low) + " must be > 0 for log_uniform");
  if (d.q > 0) {
    if (!on_grid(d.low, d.q)) fail(file, path + ".low", num(d.low) + " is not a multiple of q " + num(d.q));
    if (!on_grid(d.high, d.q)) fail(file, path + ".high", num(d.high) + " is not a multiple of q " + num(d.q));
  }
}

// Ranged distributions: low, high, and (except power2) the quantum q.
void range_from_json(const nlohmann::json& j, const DesignParameter& info, int width_quantum, const std::string& file,
                     const std::string& path, Distribution& d) {
  if (d.kind == DistKind::power2)
    check_keys(j, {"dist", "low", "high", "scope"}, file, path + ".");
  else
    check_keys(j, {"dist", "low", "high", "q", "scope"}, file, path + ".");
  auto bound = [&](const char* key) {
    if (!j.contains(key)) fail(file, path + "." + key, "missing");
    const double v = as_double(j[key], path + "." + key, file);
    check_value(info, v, width_quantum, file, path + "." + key);
    return v;
  };
  d.low = bound("low");
  d.high = bound("high");
  if (d.low > d.high) fail(file, path + ".high", num(d.high) + " is below low " + num(d.low));
  if (d.kind == DistKind::power2 || d.kind == DistKind::power2_or_log_uniform) {
    if (!is_power2(d.low)) fail(file, path + ".low", num(d.low) + " is not a power of two");
    if (!is_power2(d.high)) fail(file, path + ".high", num(d.high) + " is not a power of two");
  }
  if (d.kind != DistKind::power2) quantum_from_json(j, info, width_quantum, file, path, d);
}

SpaceParameter parameter_from_json(const nlohmann::json& j, const DesignParameter& info, SpaceType type,
                                   int width_quantum, const std::string& file) {
  const std::string path = "parameters." + std::string(info.name);
  SpaceParameter p;
  p.name = info.name;
  Distribution& d = p.dist;
  if (!j.is_object()) {  // shorthand for a fixed value
    if (!j.is_number() && !(j.is_string() && info.type == ParameterType::word))
      fail(file, path,
           excerpt(j) + " must be a " + (info.type == ParameterType::word ? "word" : "number") +
               " or an object with \"dist\"");
    d.kind = DistKind::fixed;
    d.values = {value_of(j, info, file, path)};
    check_value(info, d.values[0], width_quantum, file, path);
    return p;
  }
  p.per_stage = per_stage_from_json(j, info, type, file, path);
  if (j.contains("value")) {
    check_keys(j, {"value", "scope"}, file, path + ".");
    d.kind = DistKind::fixed;
    d.values = {value_of(j["value"], info, file, path + ".value")};
    check_value(info, d.values[0], width_quantum, file, path + ".value");
    return p;
  }
  d.kind = dist_kind_from_string(str(at(j, "dist", file, path + "."), file, path + ".dist"), file, path + ".dist");
  if (d.kind == DistKind::fixed) fail(file, path + ".dist", "'fixed' takes a \"value\" field instead of \"dist\"");
  if (info.type == ParameterType::word && d.kind != DistKind::choice)
    fail(file, path + ".dist", "'" + to_string(d.kind) + "' does not apply to words: use choice or a value");
  if (d.kind == DistKind::choice)
    choice_from_json(j, info, width_quantum, file, path, d);
  else
    range_from_json(j, info, width_quantum, file, path, d);
  return p;
}

nlohmann::json to_json(const SpaceParameter& p) {
  const Distribution& d = p.dist;
  const DesignParameter& info = *find_design_parameter(p.name);
  auto value = [&](double x) { return info.type == ParameterType::word ? value_json(info, x) : num_json(x); };
  nlohmann::json j;
  j["scope"] = p.per_stage ? "per_stage" : "shared";
  switch (d.kind) {
    case DistKind::fixed: j["value"] = value(d.values.at(0)); break;
    case DistKind::choice: {
      j["dist"] = "choice";
      nlohmann::json v = nlohmann::json::array();
      for (double x : d.values) v.push_back(value(x));
      j["values"] = v;
      break;
    }
    default:
      j["dist"] = to_string(d.kind);
      j["low"] = num_json(d.low);
      j["high"] = num_json(d.high);
      if (d.kind != DistKind::power2) j["q"] = num_json(d.q);
  }
  return j;
}

void read_network(const nlohmann::json& j, NetworkOptions& net, const std::string& file) {
  if (!j.is_object()) fail(file, "network", excerpt(j) + " must be an object");
  check_keys(j, {"stem_type", "stem_width", "input_size", "input_channels", "num_classes", "stride"}, file, "network.");
  const std::string w = "network";
  auto positive = [&](const char* key, int fallback) {
    const int v = j.contains(key) ? as_int(j[key], w + "." + key, file) : fallback;
    if (v < 1) fail(file, w + "." + key, std::to_string(v) + " must be >= 1");
    return v;
  };
  if (j.contains("stem_type"))
    net.stem_type = stem_type_from_string(str(j["stem_type"], file, "network.stem_type"), file + ": network");
  net.stem_width = positive("stem_width", net.stem_width);
  net.input_size = positive("input_size", net.input_size);
  net.input_channels = positive("input_channels", net.input_channels);
  net.num_classes = positive("num_classes", net.num_classes);
  net.stride = positive("stride", net.stride);
}

}  // namespace

bool Distribution::operator==(const Distribution& o) const {
  return kind == o.kind && low == o.low && high == o.high && q == o.q && values == o.values;
}

bool SpaceParameter::operator==(const SpaceParameter& o) const {
  return name == o.name && per_stage == o.per_stage && dist == o.dist;
}

bool DesignSpace::operator==(const DesignSpace& o) const {
  return name == o.name && description == o.description && type == o.type && min_stages == o.min_stages &&
         max_stages == o.max_stages && width_quantum == o.width_quantum && parameters == o.parameters &&
         constraints == o.constraints && restrictions == o.restrictions && network == o.network;
}

const SpaceParameter* DesignSpace::find(const std::string& parameter) const {
  for (const auto& p : parameters)
    if (p.name == parameter) return &p;
  return nullptr;
}

std::string to_string(SpaceType t) { return t == SpaceType::anynet ? "anynet" : "regnet"; }

std::string to_string(DistKind k) {
  switch (k) {
    case DistKind::fixed: return "fixed";
    case DistKind::uniform: return "uniform";
    case DistKind::log_uniform: return "log_uniform";
    case DistKind::power2: return "power2";
    case DistKind::choice: return "choice";
    case DistKind::power2_or_log_uniform: return "power2_or_log_uniform";
  }
  return "fixed";
}

std::string to_string(Order o) { return o == Order::non_decreasing ? "non_decreasing" : "non_increasing"; }

std::string to_text(const Distribution& d) {
  switch (d.kind) {
    case DistKind::fixed: return "fixed " + num(d.values.at(0));
    case DistKind::choice: {
      std::string s = "choice {";
      for (size_t i = 0; i < d.values.size(); ++i) s += (i ? ", " : "") + num(d.values[i]);
      return s + "}";
    }
    case DistKind::power2: return "power2 [" + num(d.low) + ", " + num(d.high) + "]";
    default: {
      std::string s = to_string(d.kind) + " [" + num(d.low) + ", " + num(d.high) + "]";
      if (d.q > 0) s += " q " + num(d.q);
      return s;
    }
  }
}

std::string to_text(const SpaceParameter& p) {
  const DesignParameter& info = *find_design_parameter(p.name);
  if (info.type != ParameterType::word) return to_text(p.dist);
  std::string s = p.dist.kind == DistKind::fixed ? "fixed " : "choice {";
  for (size_t i = 0; i < p.dist.values.size(); ++i) s += (i ? ", " : "") + value_text(info, p.dist.values[i]);
  return p.dist.kind == DistKind::fixed ? s : s + "}";
}

std::string to_text(const MonotonicConstraint& c) {
  const DesignParameter* info = find_design_parameter(c.parameter);
  const std::string s = info ? info->symbol : c.parameter;
  return s + "_{i+1} " + (c.order == Order::non_decreasing ? ">=" : "<=") + " " + s + "_i (" + c.parameter + " " +
         to_string(c.order) + ")";
}

std::string to_text(const DesignSpace& s) {
  const std::string stages = s.min_stages == s.max_stages ? fmt::format("{} stages", s.min_stages)
                                                          : fmt::format("{}-{} stages", s.min_stages, s.max_stages);
  const std::string generated =
      s.type == SpaceType::regnet ? fmt::format(" generated, width quantum {}", s.width_quantum) : "";
  std::string t = fmt::format("{}  ({}, {}{})  {}\n", s.name, to_string(s.type), stages, generated, s.file);
  if (!s.description.empty()) t += "  " + s.description + "\n";
  for (const auto& p : s.parameters)
    t += fmt::format("    {:<17} {:<10} {}\n", p.name, p.per_stage ? "per stage" : "shared", to_text(p));
  if (s.constraints.empty()) t += "    constraints: none\n";
  for (const auto& c : s.constraints) t += "    constraint: " + to_text(c) + "\n";
  for (const auto& r : s.restrictions) t += "    restriction: " + to_text(r) + "\n";
  const NetworkOptions& n = s.network;
  return t + fmt::format("    network: {} px, {} channels, {} classes, stem {} width {}, stage stride {}\n",
                         n.input_size, n.input_channels, n.num_classes, to_string(n.stem_type), n.stem_width, n.stride);
}

nlohmann::json spaces_json(const std::vector<DesignSpace>& spaces) {
  nlohmann::json out{{"spaces_dir", spaces_dir()}, {"spaces", nlohmann::json::array()}};
  for (const auto& s : spaces) {
    nlohmann::json j = to_json(s);
    j["file"] = s.file;
    out["spaces"].push_back(j);
  }
  return out;
}

namespace {

// The parameters of a space of this type, in draw order; those a file leaves out at their default.
std::vector<SpaceParameter> parameters_from_json(const nlohmann::json& params, SpaceType type, int width_quantum,
                                                 const std::string& file) {
  if (!params.is_object()) fail(file, "parameters", "must be an object keyed by parameter name");
  std::vector<std::string> known;
  const auto drawn = drawn_parameters(type == SpaceType::regnet);
  for (const DesignParameter* info : drawn) known.push_back(info->name);
  check_keys(params, known, file, "parameters.");
  std::vector<SpaceParameter> out;
  for (const DesignParameter* info : drawn) {
    if (params.contains(info->name)) {
      out.push_back(parameter_from_json(params[info->name], *info, type, width_quantum, file));
    } else if (std::isnan(info->fallback)) {
      fail(file, std::string("parameters.") + info->name, "missing (every " + to_string(type) + " space draws it)");
    } else {
      SpaceParameter p;
      p.name = info->name;
      p.dist.values = {info->fallback};
      out.push_back(p);
    }
  }
  return out;
}

std::vector<MonotonicConstraint> constraints_from_json(const nlohmann::json& cs, const std::string& file) {
  std::vector<MonotonicConstraint> out;
  if (!cs.is_array()) fail(file, "constraints", "must be an array");
  for (size_t i = 0; i < cs.size(); ++i) {
    const std::string path = "constraints[" + std::to_string(i) + "]";
    if (!cs[i].is_object()) fail(file, path, excerpt(cs[i]) + " must be an object");
    check_keys(cs[i], {"parameter", "order"}, file, path + ".");
    MonotonicConstraint c;
    c.parameter = str(at(cs[i], "parameter", file, path + "."), file, path + ".parameter");
    const DesignParameter* info = find_design_parameter(c.parameter);
    if (!info || !info->stage_value)
      fail(file, path + ".parameter",
           "'" + shorten(c.parameter) + "' is not one of " + join(ordered_parameter_names(), ", ") +
               " (per-stage values of the spec)");
    const std::string order = cs[i].contains("order") ? str(cs[i]["order"], file, path + ".order") : "non_decreasing";
    if (order == "non_decreasing")
      c.order = Order::non_decreasing;
    else if (order == "non_increasing")
      c.order = Order::non_increasing;
    else
      fail(file, path + ".order", "'" + shorten(order) + "' is not one of non_decreasing, non_increasing");
    out.push_back(c);
  }
  return out;
}

}  // namespace

DesignSpace space_from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) fail(file, "", "a design space must be a JSON object");
  check_keys(j,
             {"name", "description", "type", "num_stages", "width_quantum", "parameters", "constraints", "restrictions",
              "network"},
             file, "");
  DesignSpace s;
  s.file = file;
  s.name = get_string(j, "name", file, file.empty() ? "" : fs::path(file).stem().string());
  if (s.name.empty()) fail(file, "name", "missing");
  s.description = get_string(j, "description", file, "");
  const std::string type = get_string(j, "type", file);
  if (type == "anynet")
    s.type = SpaceType::anynet;
  else if (type == "regnet")
    s.type = SpaceType::regnet;
  else
    fail(file, "type", "'" + shorten(type) + "' is not one of anynet, regnet");

  if (j.contains("num_stages")) {
    const auto& ns = j["num_stages"];
    if (ns.is_object()) {
      check_keys(ns, {"min", "max"}, file, "num_stages.");
      s.min_stages = as_int(at(ns, "min", file, "num_stages."), "num_stages.min", file);
      s.max_stages = as_int(at(ns, "max", file, "num_stages."), "num_stages.max", file);
    } else {
      s.min_stages = s.max_stages = as_int(ns, "num_stages", file);
    }
    if (s.min_stages < 1 || s.min_stages > 16)
      fail(file, "num_stages", std::to_string(s.min_stages) + " must be in [1, 16]");
    if (s.max_stages < s.min_stages || s.max_stages > 16)
      fail(file, "num_stages.max", std::to_string(s.max_stages) + " must be in [min, 16]");
  }
  if (j.contains("width_quantum")) {
    if (s.type != SpaceType::regnet) fail(file, "width_quantum", "only regnet spaces generate widths");
    s.width_quantum = get_int(j, "width_quantum", file);
    if (s.width_quantum < 1) fail(file, "width_quantum", std::to_string(s.width_quantum) + " must be >= 1");
  }

  s.parameters = parameters_from_json(require(j, "parameters", file), s.type, s.width_quantum, file);
  if (j.contains("constraints")) s.constraints = constraints_from_json(j["constraints"], file);
  if (j.contains("network")) s.network = network_from_json(j["network"], file);
  if (j.contains("restrictions")) s.restrictions = restrictions_from_json(j["restrictions"], s, file);
  return s;
}

nlohmann::json to_json(const DesignSpace& s) {
  nlohmann::json j;
  j["name"] = s.name;
  j["description"] = s.description;
  j["type"] = to_string(s.type);
  if (s.min_stages == s.max_stages)
    j["num_stages"] = s.min_stages;
  else
    j["num_stages"] = {{"min", s.min_stages}, {"max", s.max_stages}};
  if (s.type == SpaceType::regnet) j["width_quantum"] = s.width_quantum;
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : s.parameters) params[p.name] = to_json(p);
  j["parameters"] = params;
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& c : s.constraints) cs.push_back({{"parameter", c.parameter}, {"order", to_string(c.order)}});
  j["constraints"] = cs;
  // Only a refined space has restrictions: the shipped spaces' complete form stays as it was.
  if (!s.restrictions.empty()) {
    j["restrictions"] = nlohmann::json::array();
    for (const auto& r : s.restrictions) j["restrictions"].push_back(to_json(r));
  }
  j["network"] = to_json(s.network);
  return j;
}

nlohmann::json to_json(const NetworkOptions& n) {
  return {{"stem_type", to_string(n.stem_type)}, {"stem_width", n.stem_width},   {"input_size", n.input_size},
          {"input_channels", n.input_channels},  {"num_classes", n.num_classes}, {"stride", n.stride}};
}

namespace {

// A preset keeps the stage stride (docs/spaces.md).
struct Preset {
  const char* name;
  std::vector<const char*> aliases;
  int input_size, input_channels, num_classes;
  StemType stem_type;
  int stem_width;
};
const Preset kPresets[] = {
    {"imagenet", {}, 224, 3, 1000, StemType::simple_stem_in, 32},
    {"fashion-mnist", {"fashion_mnist", "fashionmnist"}, 28, 1, 10, StemType::res_stem_cifar, 16},
    {"cifar10", {"cifar-10"}, 32, 3, 10, StemType::res_stem_cifar, 16},
};

const Preset& find_preset(const std::string& name) {
  const std::string p = lower(name);
  for (const Preset& x : kPresets) {
    if (p == x.name) return x;
    for (const char* a : x.aliases)
      if (p == a) return x;
  }
  fail("", "--preset", "'" + name + "' is not one of " + join(network_preset_names(), ", "));
}

}  // namespace

std::vector<std::string> network_preset_names() {
  std::vector<std::string> names;
  for (const Preset& x : kPresets) names.push_back(x.name);
  return names;
}

NetworkOptions apply_overrides(NetworkOptions n, const NetworkOverrides& o) {
  if (!o.preset.empty()) {
    const Preset& p = find_preset(o.preset);
    n.input_size = p.input_size, n.input_channels = p.input_channels, n.num_classes = p.num_classes;
    n.stem_type = p.stem_type, n.stem_width = p.stem_width;
  }
  if (o.stem_type) n.stem_type = stem_type_from_string(*o.stem_type, "--stem");
  auto positive = [](const std::optional<int>& v, const char* option, int& target) {
    if (!v) return;
    if (*v < 1) fail("", option, std::to_string(*v) + " must be >= 1");
    target = *v;
  };
  positive(o.stem_width, "--stem-width", n.stem_width);
  positive(o.input_size, "--input-size", n.input_size);
  positive(o.input_channels, "--channels", n.input_channels);
  positive(o.num_classes, "--classes", n.num_classes);
  positive(o.stride, "--stride", n.stride);
  return n;
}

namespace {
Activation activation_option(const std::string& word) {
  const DesignParameter& p = *find_design_parameter("activation");
  const auto v = value_from_json(p, word);
  if (!v) fail("", "--activation", "'" + shorten(word) + "' is not one of " + word_list(p));
  return static_cast<Activation>(*v);
}
}  // namespace

Spec apply_activation(Spec s, const NetworkOverrides& o) {
  if (o.activation) s.activation = activation_option(*o.activation);
  return s;
}

DesignSpace apply_activation(DesignSpace space, const NetworkOverrides& o) {
  if (!o.activation) return space;
  const double value = static_cast<double>(activation_option(*o.activation));
  for (auto& p : space.parameters)
    if (p.name == "activation") p.dist = Distribution{DistKind::fixed, 0, 0, 0, {value}};
  return space;
}

nlohmann::json to_json(const NetworkOverrides& o) {
  auto opt = [](const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"preset", o.preset.empty() ? nlohmann::json() : nlohmann::json(o.preset)},
          {"stem_type", o.stem_type ? nlohmann::json(*o.stem_type) : nlohmann::json()},
          {"stem_width", opt(o.stem_width)},
          {"input_size", opt(o.input_size)},
          {"input_channels", opt(o.input_channels)},
          {"num_classes", opt(o.num_classes)},
          {"stride", opt(o.stride)},
          {"activation", o.activation ? nlohmann::json(*o.activation) : nlohmann::json()}};
}

NetworkOptions network_from_json(const nlohmann::json& j, const std::string& file, NetworkOptions defaults) {
  read_network(j, defaults, file);
  return defaults;
}

std::string spaces_dir() { return (fs::path(config_dir()) / "spaces").string(); }

namespace {

std::vector<fs::path> space_files() {
  const fs::path dir = spaces_dir();
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    fail(dir.string(), "", "no design-space directory here (set REGNET_CONFIG_DIR to the folder holding spaces/)");
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".json") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  return files;
}

DesignSpace load_space_file(const fs::path& path) {
  return space_from_json(read_json_file(path.string()), path.string());
}

}  // namespace

DesignSpace load_space(const std::string& name_or_path) {
  const bool is_path = name_or_path.find('/') != std::string::npos ||
                       (name_or_path.size() > 5 && lower(name_or_path.substr(name_or_path.size() - 5)) == ".json");
  if (is_path) {
    std::error_code ec;
    // An existing path that is not a regular file is refused by read_text_file, naming what it is.
    if (!fs::exists(name_or_path, ec)) fail(name_or_path, "", "no such design-space file");
    return load_space_file(name_or_path);
  }
  const auto files = space_files();
  const std::string key = lower(name_or_path);
  for (const auto& f : files)
    if (lower(f.stem().string()) == key) return load_space_file(f);
  // A file whose "name" differs from its file name.
  // A broken file must not hide the others; it is named if the space is not found.
  std::vector<std::string> names, broken;
  for (const auto& f : files) {
    try {
      DesignSpace s = load_space_file(f);
      if (lower(s.name) == key) return s;
      names.push_back(s.name);
    } catch (const UserError&) {
      broken.push_back(f.filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  std::string known, unreadable;
  for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
  for (const auto& n : broken) unreadable += (unreadable.empty() ? "" : ", ") + n;
  fail("", "space",
       "unknown design space '" + name_or_path + "' (known in " + spaces_dir() + ": " + known +
           (broken.empty() ? "" : "; invalid files: " + unreadable + ", see `regnet-explore spaces`") +
           "; or give a path to a .json file)");
}

std::vector<DesignSpace> load_all_spaces() {
  std::vector<DesignSpace> out;
  for (const auto& f : space_files()) out.push_back(load_space_file(f));
  std::sort(out.begin(), out.end(), [](const DesignSpace& a, const DesignSpace& b) { return a.name < b.name; });
  return out;
}

std::vector<DesignSpace> load_spaces(const std::vector<std::string>& names) {
  if (names.empty()) return load_all_spaces();
  std::vector<DesignSpace> out;
  for (const auto& n : names) out.push_back(load_space(n));
  return out;
}

}  // namespace regnet
