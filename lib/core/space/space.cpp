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

namespace fs = std::filesystem;

namespace regnet {

namespace {

// What each parameter name means and which values it takes.
struct ParamInfo {
  const char* name;
  bool integer;
  double fixed_default;  // NaN: required
};

const double kRequired = std::nan("");

// Draw order per type (stable across versions: changing it changes every sweep's samples).
const std::vector<ParamInfo>& params_of(SpaceType t) {
  static const std::vector<ParamInfo> anynet = {{"depth", true, kRequired},
                                                {"width", true, kRequired},
                                                {"bottleneck_ratio", false, 1.0},
                                                {"group_width", true, kRequired},
                                                {"se_ratio", false, 0.0}};
  static const std::vector<ParamInfo> regnet = {{"depth", true, kRequired},   {"w0", true, kRequired},
                                                {"wa", false, kRequired},     {"wm", false, kRequired},
                                                {"group_width", true, kRequired}, {"bottleneck_ratio", false, 1.0},
                                                {"se_ratio", false, 0.0}};
  return t == SpaceType::anynet ? anynet : regnet;
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

// The values a parameter may take, whatever its distribution.
void check_value(const std::string& param, bool integer, double v, int width_quantum, const std::string& file,
                 const std::string& field) {
  if (integer && !is_integer(v)) fail(file, field, num(v) + " is not an integer");
  auto need = [&](bool ok, const std::string& what) {
    if (!ok) fail(file, field, num(v) + " " + what);
  };
  if (param == "depth") need(v >= 1 && v <= 1000, "must be in [1, 1000]");
  if (param == "width" || param == "group_width") need(v >= 1 && v <= 65536, "must be in [1, 65536]");
  if (param == "w0") {
    need(v >= 1 && v <= 65536, "must be in [1, 65536]");
    need(std::fmod(v, width_quantum) == 0, "must be a multiple of width_quantum " + std::to_string(width_quantum));
  }
  if (param == "wa") need(v >= 0 && v <= 65536, "must be in [0, 65536]");
  if (param == "wm") need(v > 1 && v <= 100, "must be > 1 (and at most 100)");
  // b >= 1/64 keeps w / b (the bottleneck width) of every drawable width within an int.
  if (param == "bottleneck_ratio") need(v >= 1.0 / 64 && v <= 1024, "must be in [1/64, 1024]");
  if (param == "se_ratio") need(v >= 0 && v < 1, "must be in [0, 1)");
}

DistKind dist_kind_from_string(const std::string& s, const std::string& file, const std::string& field) {
  for (DistKind k : {DistKind::fixed, DistKind::uniform, DistKind::log_uniform, DistKind::power2, DistKind::choice,
                     DistKind::power2_or_log_uniform})
    if (to_string(k) == s) return k;
  fail(file, field, "'" + shorten(s) + "' is not one of fixed, uniform, log_uniform, power2, choice, power2_or_log_uniform");
}

// "scope": per_stage (AnyNet's default) or shared; se_ratio and every RegNet parameter are shared.
bool per_stage_from_json(const nlohmann::json& j, const std::string& name, SpaceType type, const std::string& file,
                         const std::string& path) {
  const bool may_vary = type == SpaceType::anynet && name != "se_ratio";
  const std::string scope = j.contains("scope") ? str(j["scope"], file, path + ".scope") : may_vary ? "per_stage" : "shared";
  if (scope == "shared") return false;
  if (scope != "per_stage") fail(file, path + ".scope", "'" + shorten(scope) + "' is not one of per_stage, shared");
  if (!may_vary)
    fail(file, path + ".scope",
         "'per_stage' is not possible here: " +
             std::string(type == SpaceType::regnet ? "RegNet parameters are shared by the whole network"
                                                   : "se_ratio is one value per network"));
  return true;
}

void choice_from_json(const nlohmann::json& j, const ParamInfo& info, int width_quantum, const std::string& file,
                      const std::string& path, Distribution& d) {
  check_keys(j, {"dist", "values", "scope"}, file, path + ".");
  const auto& v = at(j, "values", file, path + ".");
  if (!v.is_array() || v.empty()) fail(file, path + ".values", excerpt(v) + " must be a non-empty array");
  for (size_t i = 0; i < v.size(); ++i) {
    const std::string f = path + ".values[" + std::to_string(i) + "]";
    d.values.push_back(as_double(v[i], f, file));
    check_value(info.name, info.integer, d.values.back(), width_quantum, file, f);
  }
}

// q: integers default to 1 and must stay integers; reals default to continuous (0).
void quantum_from_json(const nlohmann::json& j, const ParamInfo& info, int width_quantum, const std::string& file,
                       const std::string& path, Distribution& d) {
  const std::string qf = path + ".q";
  d.q = j.contains("q") ? as_double(j["q"], qf, file) : (info.integer ? 1.0 : 0.0);
  if (info.integer && !(is_integer(d.q) && d.q >= 1)) fail(file, qf, num(d.q) + " must be an integer >= 1");
  if (d.q < 0) fail(file, qf, num(d.q) + " must be >= 0");
  if (std::string(info.name) == "w0" && std::fmod(d.q, width_quantum) != 0)
    fail(file, qf, num(d.q) + " must be a multiple of width_quantum " + std::to_string(width_quantum));
  if (d.kind == DistKind::power2_or_log_uniform) {
    if (!is_power2(d.q)) fail(file, qf, num(d.q) + " must be a power of two (the threshold between the two parts)");
    return;
  }
  if (d.kind == DistKind::log_uniform && !(d.low > 0)) fail(file, path + ".low", num(d.low) + " must be > 0 for log_uniform");
  if (d.q > 0) {
    if (!on_grid(d.low, d.q)) fail(file, path + ".low", num(d.low) + " is not a multiple of q " + num(d.q));
    if (!on_grid(d.high, d.q)) fail(file, path + ".high", num(d.high) + " is not a multiple of q " + num(d.q));
  }
}

// Ranged distributions: low, high, and (except power2) the quantum q.
void range_from_json(const nlohmann::json& j, const ParamInfo& info, int width_quantum, const std::string& file,
                     const std::string& path, Distribution& d) {
  if (d.kind == DistKind::power2) check_keys(j, {"dist", "low", "high", "scope"}, file, path + ".");
  else check_keys(j, {"dist", "low", "high", "q", "scope"}, file, path + ".");
  auto bound = [&](const char* key) {
    if (!j.contains(key)) fail(file, path + "." + key, "missing");
    const double v = as_double(j[key], path + "." + key, file);
    check_value(info.name, info.integer, v, width_quantum, file, path + "." + key);
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

SpaceParameter parameter_from_json(const nlohmann::json& j, const ParamInfo& info, SpaceType type,
                                   int width_quantum, const std::string& file) {
  const std::string path = "parameters." + std::string(info.name);
  SpaceParameter p;
  p.name = info.name;
  Distribution& d = p.dist;
  if (j.is_number()) {  // shorthand for a fixed value
    d.kind = DistKind::fixed;
    d.values = {as_double(j, path, file)};
    check_value(p.name, info.integer, d.values[0], width_quantum, file, path);
    return p;
  }
  if (!j.is_object()) fail(file, path, excerpt(j) + " must be a number or an object with \"dist\"");
  p.per_stage = per_stage_from_json(j, p.name, type, file, path);
  if (j.contains("value")) {
    check_keys(j, {"value", "scope"}, file, path + ".");
    d.kind = DistKind::fixed;
    d.values = {as_double(j["value"], path + ".value", file)};
    check_value(p.name, info.integer, d.values[0], width_quantum, file, path + ".value");
    return p;
  }
  d.kind = dist_kind_from_string(str(at(j, "dist", file, path + "."), file, path + ".dist"), file, path + ".dist");
  if (d.kind == DistKind::fixed) fail(file, path + ".dist", "'fixed' takes a \"value\" field instead of \"dist\"");
  if (d.kind == DistKind::choice) choice_from_json(j, info, width_quantum, file, path, d);
  else range_from_json(j, info, width_quantum, file, path, d);
  return p;
}

nlohmann::json to_json(const SpaceParameter& p) {
  const Distribution& d = p.dist;
  nlohmann::json j;
  j["scope"] = p.per_stage ? "per_stage" : "shared";
  switch (d.kind) {
    case DistKind::fixed:
      j["value"] = num_json(d.values.at(0));
      break;
    case DistKind::choice: {
      j["dist"] = "choice";
      nlohmann::json v = nlohmann::json::array();
      for (double x : d.values) v.push_back(num_json(x));
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
  check_keys(j, {"stem_type", "stem_width", "input_size", "input_channels", "num_classes", "stride"}, file,
             "network.");
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

std::string to_text(const MonotonicConstraint& c) {
  static const std::pair<const char*, const char*> sym[] = {
      {"depth", "d"}, {"width", "w"}, {"bottleneck_ratio", "b"}, {"group_width", "g"}};
  std::string s = c.parameter;
  for (const auto& [name, letter] : sym)
    if (c.parameter == name) s = letter;
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
    t += fmt::format("    {:<17} {:<10} {}\n", p.name, p.per_stage ? "per stage" : "shared", to_text(p.dist));
  if (s.constraints.empty()) t += "    constraints: none\n";
  for (const auto& c : s.constraints) t += "    constraint: " + to_text(c) + "\n";
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

DesignSpace space_from_json(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object()) fail(file, "", "a design space must be a JSON object");
  check_keys(j, {"name", "description", "type", "num_stages", "width_quantum", "parameters", "constraints", "network"},
             file, "");
  DesignSpace s;
  s.file = file;
  s.name = get_string(j, "name", file, file.empty() ? "" : fs::path(file).stem().string());
  if (s.name.empty()) fail(file, "name", "missing");
  s.description = get_string(j, "description", file, "");
  const std::string type = get_string(j, "type", file);
  if (type == "anynet") s.type = SpaceType::anynet;
  else if (type == "regnet") s.type = SpaceType::regnet;
  else fail(file, "type", "'" + shorten(type) + "' is not one of anynet, regnet");

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

  const auto& params = require(j, "parameters", file);
  if (!params.is_object()) fail(file, "parameters", "must be an object keyed by parameter name");
  std::vector<std::string> known;
  for (const auto& info : params_of(s.type)) known.push_back(info.name);
  check_keys(params, known, file, "parameters.");
  for (const auto& info : params_of(s.type)) {
    if (params.contains(info.name)) {
      s.parameters.push_back(parameter_from_json(params[info.name], info, s.type, s.width_quantum, file));
    } else if (std::isnan(info.fixed_default)) {
      fail(file, std::string("parameters.") + info.name, "missing (every " + type + " space draws it)");
    } else {
      SpaceParameter p;
      p.name = info.name;
      p.dist.values = {info.fixed_default};
      s.parameters.push_back(p);
    }
  }

  if (j.contains("constraints")) {
    const auto& cs = j["constraints"];
    if (!cs.is_array()) fail(file, "constraints", "must be an array");
    for (size_t i = 0; i < cs.size(); ++i) {
      const std::string path = "constraints[" + std::to_string(i) + "]";
      if (!cs[i].is_object()) fail(file, path, excerpt(cs[i]) + " must be an object");
      check_keys(cs[i], {"parameter", "order"}, file, path + ".");
      MonotonicConstraint c;
      c.parameter = str(at(cs[i], "parameter", file, path + "."), file, path + ".parameter");
      if (c.parameter != "depth" && c.parameter != "width" && c.parameter != "bottleneck_ratio" &&
          c.parameter != "group_width")
        fail(file, path + ".parameter",
             "'" + shorten(c.parameter) + "' is not one of depth, width, bottleneck_ratio, group_width (per-stage values of the spec)");
      const std::string order = cs[i].contains("order") ? str(cs[i]["order"], file, path + ".order") : "non_decreasing";
      if (order == "non_decreasing") c.order = Order::non_decreasing;
      else if (order == "non_increasing") c.order = Order::non_increasing;
      else fail(file, path + ".order", "'" + shorten(order) + "' is not one of non_decreasing, non_increasing");
      s.constraints.push_back(c);
    }
  }
  if (j.contains("network")) read_network(j["network"], s.network, file);
  return s;
}

nlohmann::json to_json(const DesignSpace& s) {
  nlohmann::json j;
  j["name"] = s.name;
  j["description"] = s.description;
  j["type"] = to_string(s.type);
  if (s.min_stages == s.max_stages) j["num_stages"] = s.min_stages;
  else j["num_stages"] = {{"min", s.min_stages}, {"max", s.max_stages}};
  if (s.type == SpaceType::regnet) j["width_quantum"] = s.width_quantum;
  nlohmann::json params = nlohmann::json::object();
  for (const auto& p : s.parameters) params[p.name] = to_json(p);
  j["parameters"] = params;
  nlohmann::json cs = nlohmann::json::array();
  for (const auto& c : s.constraints) cs.push_back({{"parameter", c.parameter}, {"order", to_string(c.order)}});
  j["constraints"] = cs;
  j["network"] = to_json(s.network);
  return j;
}

nlohmann::json to_json(const NetworkOptions& n) {
  return {{"stem_type", to_string(n.stem_type)}, {"stem_width", n.stem_width},
          {"input_size", n.input_size},          {"input_channels", n.input_channels},
          {"num_classes", n.num_classes},        {"stride", n.stride}};
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

nlohmann::json to_json(const NetworkOverrides& o) {
  auto opt = [](const std::optional<int>& v) { return v ? nlohmann::json(*v) : nlohmann::json(); };
  return {{"preset", o.preset.empty() ? nlohmann::json() : nlohmann::json(o.preset)},
          {"stem_type", o.stem_type ? nlohmann::json(*o.stem_type) : nlohmann::json()},
          {"stem_width", opt(o.stem_width)},
          {"input_size", opt(o.input_size)},
          {"input_channels", opt(o.input_channels)},
          {"num_classes", opt(o.num_classes)},
          {"stride", opt(o.stride)}};
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
