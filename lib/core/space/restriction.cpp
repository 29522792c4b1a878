#include "core/space/restriction.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/model/complexity.hpp"
#include "core/model/design_parameters.hpp"
#include "core/model/width_fit.hpp"
#include "core/space/distribution.hpp"
#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

namespace {

using Values = std::vector<double>;

Values fit_value(const SampleRecord& r, double WidthFit::*field) {
  const WidthFit f = fit_widths(block_widths(r.spec));
  return {f.*field};
}

// One row per derived quantity: its values in a sampled model.
struct DerivedRow {
  DerivedQuantity info;
  Values (*values)(const SampleRecord&);
};

const std::vector<DerivedRow>& derived_rows() {
  static const std::vector<DerivedRow> rows = {
      {{"num_stages", "number of stages", false, false},
       [](const SampleRecord& r) { return Values{static_cast<double>(r.spec.num_stages())}; }},
      {{"total_depth", "total depth (blocks)", false, false},
       [](const SampleRecord& r) {
         double d = 0;
         for (int x : r.spec.depths) d += x;
         return Values{d};
       }},
      {{"flops", "flops (MACs)", false, false},
       [](const SampleRecord& r) { return Values{static_cast<double>(r.complexity.flops)}; }},
      {{"params", "parameters", false, false},
       [](const SampleRecord& r) { return Values{static_cast<double>(r.complexity.params)}; }},
      {{"acts", "activations", false, false},
       [](const SampleRecord& r) { return Values{static_cast<double>(r.complexity.acts)}; }},
      {{"stage_flops", "flops of each stage (MACs)", true, false},
       [](const SampleRecord& r) {
         Values v;
         for (auto f : stage_flops(r.spec)) v.push_back(static_cast<double>(f));
         return v;
       }},
      {{"fit_w0", "w0 of the fitted width line", false, true},
       [](const SampleRecord& r) { return fit_value(r, &WidthFit::w0); }},
      {{"fit_wa", "wa of the fitted width line", false, true},
       [](const SampleRecord& r) { return fit_value(r, &WidthFit::wa); }},
      {{"fit_wm", "wm of the fitted width line", false, true},
       [](const SampleRecord& r) { return fit_value(r, &WidthFit::wm); }},
      {{"e_fit", "e_fit: distance from the fitted width line", false, true},
       [](const SampleRecord& r) { return fit_value(r, &WidthFit::e_fit); }},
  };
  return rows;
}

const DerivedRow* find_row(const std::string& name) {
  for (const auto& row : derived_rows())
    if (name == row.info.name) return &row;
  return nullptr;
}

// A parameter's drawn values (the record's draw); a fixed default the draw leaves out, from the spec.
std::optional<Values> parameter_values(const DesignParameter& p, const SampleRecord& r) {
  const auto it = r.draw.find(p.name);
  if (it == r.draw.end()) {
    if (p.model_value)
      if (auto v = p.model_value(r.spec, r.regnet ? &*r.regnet : nullptr)) return Values{*v};
    return std::nullopt;
  }
  Values out;
  for (const auto& x : it->is_array() ? *it : nlohmann::json::array({*it}))
    if (auto v = value_from_json(p, x)) out.push_back(*v);
  return out;
}

std::string quantity_list() {
  std::vector<std::string> names;
  for (const auto& p : design_parameters()) names.push_back(p.name);
  for (const auto& row : derived_rows()) names.push_back(row.info.name);
  return join(names, ", ");
}

nlohmann::json value_json_of(const std::string& quantity, double x) {
  if (const DesignParameter* p = find_design_parameter(quantity)) return value_json(*p, x);
  return x == std::floor(x) && std::fabs(x) < 9e15 ? nlohmann::json(static_cast<std::int64_t>(x)) : nlohmann::json(x);
}

// Six significant digits for text (a fitted wm, an e_fit); JSON keeps every digit.
std::string value_text_of(const std::string& quantity, double x) {
  if (const DesignParameter* p = find_design_parameter(quantity)) return value_text(*p, x);
  return x == std::floor(x) && std::fabs(x) < 9e15 ? value_json_of(quantity, x).dump() : fmt::format("{:.6g}", x);
}

double number(const nlohmann::json& j, const std::string& quantity, const std::string& file, const std::string& field) {
  const DesignParameter* p = find_design_parameter(quantity);
  if (p && p->type == ParameterType::word) {
    if (auto v = value_from_json(*p, j)) return *v;
    fail(file, field, excerpt(j) + " is not one of " + word_list(*p));
  }
  const double v = as_double(j, field, file);
  if (!std::isfinite(v)) fail(file, field, excerpt(j) + " must be a finite number");
  return v;
}

}  // namespace

const std::vector<DerivedQuantity>& derived_quantities() {
  static const std::vector<DerivedQuantity> out = [] {
    std::vector<DerivedQuantity> v;
    for (const auto& row : derived_rows()) v.push_back(row.info);
    return v;
  }();
  return out;
}

const DerivedQuantity* find_derived_quantity(const std::string& name) {
  const DerivedRow* row = find_row(name);
  return row ? &row->info : nullptr;
}

std::optional<std::vector<double>> quantity_values(const std::string& quantity, const SampleRecord& r) {
  if (const DerivedRow* row = find_row(quantity)) return row->values(r);
  if (const DesignParameter* p = find_design_parameter(quantity)) return parameter_values(*p, r);
  return std::nullopt;
}

bool satisfies(const Restriction& c, const SampleRecord& r) {
  const auto values = quantity_values(c.quantity, r);
  return values && satisfied_by(c, *values);
}

bool satisfied_by(const Restriction& c, const std::vector<double>& v) {
  if (v.empty()) return false;
  switch (c.kind) {
    case RestrictionKind::tie: return std::all_of(v.begin(), v.end(), [&](double x) { return x == v[0]; });
    case RestrictionKind::range:
      return std::all_of(v.begin(), v.end(), [&](double x) { return x >= c.low && x <= c.high; });
    case RestrictionKind::set:
      return std::all_of(v.begin(), v.end(),
                         [&](double x) { return std::find(c.values.begin(), c.values.end(), x) != c.values.end(); });
  }
  return false;
}

bool satisfies(const std::vector<Restriction>& cs, const SampleRecord& r) {
  // The width fit is the costly one: every other restriction is tested first.
  auto costly = [](const Restriction& c) {
    const DerivedQuantity* d = find_derived_quantity(c.quantity);
    return d && d->width_fit;
  };
  for (bool pass_costly : {false, true})
    for (const auto& c : cs)
      if (costly(c) == pass_costly && !satisfies(c, r)) return false;
  return true;
}

std::string to_string(RestrictionKind k) {
  switch (k) {
    case RestrictionKind::tie: return "tie";
    case RestrictionKind::range: return "range";
    case RestrictionKind::set: return "set";
  }
  return "range";
}

nlohmann::json to_json(const Restriction& c) {
  nlohmann::json j;
  j[to_string(c.kind)] = c.quantity;
  if (c.kind == RestrictionKind::range) {
    if (std::isfinite(c.low)) j["low"] = value_json_of(c.quantity, c.low);
    if (std::isfinite(c.high)) j["high"] = value_json_of(c.quantity, c.high);
  }
  if (c.kind == RestrictionKind::set) {
    j["values"] = nlohmann::json::array();
    for (double x : c.values) j["values"].push_back(value_json_of(c.quantity, x));
  }
  return j;
}

namespace {

RestrictionKind kind_of(const nlohmann::json& j, const std::string& file, const std::string& path) {
  std::vector<RestrictionKind> found;
  for (auto k : {RestrictionKind::tie, RestrictionKind::range, RestrictionKind::set})
    if (j.contains(to_string(k))) found.push_back(k);
  if (found.size() != 1)
    fail(file, path, excerpt(j) + " must name exactly one of \"tie\", \"range\", \"set\" with its quantity");
  return found[0];
}

void read_range(const nlohmann::json& j, const std::string& file, const std::string& path, Restriction& c) {
  check_known_fields(j, {"range", "low", "high"}, file, path + ".");
  if (!j.contains("low") && !j.contains("high")) fail(file, path + ".low", "missing (a range needs low, high or both)");
  if (j.contains("low")) c.low = number(j["low"], c.quantity, file, path + ".low");
  if (j.contains("high")) c.high = number(j["high"], c.quantity, file, path + ".high");
  if (c.low > c.high)
    fail(file, path + ".high", value_text_of(c.quantity, c.high) + " is below low " + value_text_of(c.quantity, c.low));
}

void read_set(const nlohmann::json& j, const std::string& file, const std::string& path, Restriction& c) {
  check_known_fields(j, {"set", "values"}, file, path + ".");
  if (!j.contains("values")) fail(file, path + ".values", "missing");
  const auto& v = j["values"];
  if (!v.is_array() || v.empty()) fail(file, path + ".values", excerpt(v) + " must be a non-empty array");
  if (v.size() > 1000) fail(file, path + ".values", std::to_string(v.size()) + " values: at most 1000");
  for (size_t i = 0; i < v.size(); ++i)
    c.values.push_back(number(v[i], c.quantity, file, path + ".values[" + std::to_string(i) + "]"));
  std::sort(c.values.begin(), c.values.end());
  c.values.erase(std::unique(c.values.begin(), c.values.end()), c.values.end());
}

}  // namespace

Restriction restriction_from_json(const nlohmann::json& j, const std::string& file, const std::string& path) {
  if (!j.is_object()) fail(file, path, excerpt(j) + " must be an object");
  Restriction c;
  c.kind = kind_of(j, file, path);
  const std::string key = to_string(c.kind);
  if (!j[key].is_string()) fail(file, path + "." + key, excerpt(j[key]) + " is not a string");
  c.quantity = j[key].get<std::string>();
  const DesignParameter* p = find_design_parameter(c.quantity);
  if (!p && !find_row(c.quantity))
    fail(file, path + "." + key, "'" + shorten(c.quantity) + "' is not one of " + quantity_list());
  switch (c.kind) {
    case RestrictionKind::tie:
      check_known_fields(j, {"tie"}, file, path + ".");
      if (!p || !p->per_stage) fail(file, path + ".tie", "'" + shorten(c.quantity) + "' has no per-stage draws to tie");
      break;
    case RestrictionKind::range: read_range(j, file, path, c); break;
    case RestrictionKind::set: read_set(j, file, path, c); break;
  }
  return c;
}

namespace {

// What a restriction needs of the space: a drawn parameter; a tie, per-stage draws of countable values.
void check_fits_space(const Restriction& c, const DesignSpace& s, const std::string& file, const std::string& path) {
  if (!find_design_parameter(c.quantity)) return;  // derived: every model has it
  const std::string field = path + "." + to_string(c.kind);
  const SpaceParameter* p = s.find(c.quantity);
  if (!p)
    fail(file, field,
         "'" + c.quantity + "' is not drawn by " + to_string(s.type) + " spaces" +
             (s.type == SpaceType::anynet ? " (fit_w0, fit_wa, fit_wm and e_fit describe an AnyNet model's widths)"
                                          : ""));
  if (c.kind != RestrictionKind::tie) return;
  if (!p->per_stage) fail(file, field, "'" + c.quantity + "' is one draw for every stage already (scope shared)");
  if (PreparedDistribution(p->dist).probabilities().empty())
    fail(file, field, "'" + c.quantity + "' is drawn from a continuous range (q 0): equal draws have probability 0");
}

}  // namespace

std::vector<Restriction> restrictions_from_json(const nlohmann::json& j, const DesignSpace& s,
                                                const std::string& file) {
  if (!j.is_array()) fail(file, "restrictions", excerpt(j) + " must be an array");
  if (j.size() > 100) fail(file, "restrictions", std::to_string(j.size()) + " restrictions: at most 100");
  std::vector<Restriction> out;
  for (size_t i = 0; i < j.size(); ++i) {
    const std::string path = "restrictions[" + std::to_string(i) + "]";
    out.push_back(restriction_from_json(j[i], file, path));
    check_fits_space(out.back(), s, file, path);
  }
  return out;
}

std::string to_text(const Restriction& c) {
  const DesignParameter* p = find_design_parameter(c.quantity);
  switch (c.kind) {
    case RestrictionKind::tie: {
      const std::string s = p ? p->symbol : c.quantity;
      return s + "_1 = ... = " + s + "_n (" + c.quantity + " tied)";
    }
    case RestrictionKind::range: {
      const std::string lo = value_text_of(c.quantity, c.low), hi = value_text_of(c.quantity, c.high);
      if (!std::isfinite(c.low)) return c.quantity + " <= " + hi;
      if (!std::isfinite(c.high)) return c.quantity + " >= " + lo;
      return c.quantity + " in [" + lo + ", " + hi + "]";
    }
    case RestrictionKind::set: {
      std::vector<std::string> v;
      for (double x : c.values) v.push_back(value_text_of(c.quantity, x));
      return c.quantity + " in {" + join(v, ", ") + "}";
    }
  }
  return c.quantity;
}

}  // namespace regnet
