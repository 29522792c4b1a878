#pragma once
// Restrictions: what a refined space adds to its parent (docs/spaces.md, "Restrictions"). Each is
// a condition on a model, and a space with restrictions samples exactly the parent's distribution
// conditioned on all of them (the sampler rejects what fails them, and draws a tie from its exact
// conditional, where rejection would almost never succeed). Orders stay the space's constraints.
//   tie    every stage draws the same value of a per-stage parameter ("share b", the paper's AnyNetXB)
//   range  a quantity within [low, high] (every stage's value, for a per-stage parameter)
//   set    a quantity one of a few values
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace regnet {

struct SampleRecord;
struct DesignSpace;

enum class RestrictionKind { tie, range, set };

struct Restriction {
  RestrictionKind kind = RestrictionKind::range;
  std::string quantity;  // a design parameter (its drawn values) or a derived quantity (restriction_quantities)
  double low = -std::numeric_limits<double>::infinity();  // range
  double high = std::numeric_limits<double>::infinity();
  std::vector<double> values;  // set (a word parameter: word indices)

  bool operator==(const Restriction& o) const {
    return kind == o.kind && quantity == o.quantity && low == o.low && high == o.high && values == o.values;
  }
};

// A quantity a range or set may restrict besides the design parameters, computed from the model.
struct DerivedQuantity {
  const char* name;  // "total_depth"
  const char* label;
  bool per_stage;  // one value per stage
  bool width_fit;  // needs the quantized linear fit of the model's block widths (costly: checked last)
};
// num_stages, total_depth, flops, params, acts, stage_flops, fit_w0, fit_wa, fit_wm, e_fit.
const std::vector<DerivedQuantity>& derived_quantities();
const DerivedQuantity* find_derived_quantity(const std::string& name);

// The values a restriction tests in a sampled model: a parameter's drawn values (one per stage,
// or one), or a derived quantity's. nullopt where the model has none (a parameter the space does
// not draw).
std::optional<std::vector<double>> quantity_values(const std::string& quantity, const SampleRecord& r);

// True when the model satisfies the restriction (a tie: its stage draws are equal).
bool satisfies(const Restriction& c, const SampleRecord& r);
// The same from the quantity's values (quantity_values), for callers that keep them.
bool satisfied_by(const Restriction& c, const std::vector<double>& values);
bool satisfies(const std::vector<Restriction>& cs, const SampleRecord& r);

nlohmann::json to_json(const Restriction& c);
// One element of a space file's "restrictions"; errors name `file` and `path` ("restrictions[0].low").
// Whether the quantity fits the space (a tie of a per-stage parameter, a drawn parameter) is the
// space reader's check (space.cpp), which knows the parameters.
Restriction restriction_from_json(const nlohmann::json& j, const std::string& file, const std::string& path);
// A space file's "restrictions" for space `s` (its type, parameters and stages read already): each
// quantity must be one the space's models have, a tie a per-stage draw with countable values.
std::vector<Restriction> restrictions_from_json(const nlohmann::json& j, const DesignSpace& s, const std::string& file);
std::string to_string(RestrictionKind k);
// "b_1 = ... = b_n (bottleneck_ratio tied)", "total_depth in [12, 28]", "g in {8, 16}".
std::string to_text(const Restriction& c);

}  // namespace regnet
