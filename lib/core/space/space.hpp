#pragma once
// Design spaces as data (configs/spaces/*.json; the schema is docs/spaces.md): which parameters
// are drawn, from which distribution, per stage or shared by all stages; monotonic constraints;
// the stage count; network defaults (stem, input, classes, stride) that a sweep may override.
// A new space is a new file: no rebuild.
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/regnet.hpp"
#include "core/space/restriction.hpp"

namespace regnet {

enum class SpaceType {
  anynet,  // per-stage depth, width, bottleneck ratio, group width drawn directly
  regnet,  // depth, w0, wa, wm, group width, bottleneck ratio drawn; widths generated (the paper's §3.3)
};

// pycls's random types, each on the closed range [low, high] quantized to q (docs/spaces.md).
enum class DistKind { fixed, uniform, log_uniform, power2, choice, power2_or_log_uniform };

struct Distribution {
  DistKind kind = DistKind::fixed;
  double low = 0, high = 0;
  double q = 0;                // quantum; 0 = continuous (real-valued parameters only)
  std::vector<double> values;  // choice: the values; fixed: the one value (a word: its index)

  bool operator==(const Distribution& o) const;
};

struct SpaceParameter {
  std::string name;        // a row of core/model/design_parameters that the space's type draws
  bool per_stage = false;  // one draw per stage, or one draw shared by every stage
  Distribution dist;

  bool operator==(const SpaceParameter& o) const;
};

enum class Order { non_decreasing, non_increasing };

// E.g. w_{i+1} >= w_i: checked on the final (group-compatible) spec.
struct MonotonicConstraint {
  std::string parameter;  // a parameter with per-stage values in the spec (depth, width, ...)
  Order order = Order::non_decreasing;

  bool operator==(const MonotonicConstraint& o) const { return parameter == o.parameter && order == o.order; }
};

struct DesignSpace {
  std::string name;
  std::string description;
  std::string file;  // where it was loaded from; "" when built in code
  SpaceType type = SpaceType::anynet;
  // anynet: the stage count is drawn uniformly from [min_stages, max_stages].
  // regnet: a draw is rejected unless its generated stage count equals max(k)+1 and lies in the range.
  int min_stages = 4, max_stages = 4;
  int width_quantum = 8;                   // regnet: q of the width generation
  std::vector<SpaceParameter> parameters;  // in draw order (fixed per type, not the file's order)
  std::vector<MonotonicConstraint> constraints;
  // Conditions on the parent's draws (a refined space): the sampler keeps exactly the models that
  // satisfy them, with the parent's distribution conditioned on them (core/space/restriction).
  std::vector<Restriction> restrictions;
  NetworkOptions network;  // defaults; a sweep may override them

  const SpaceParameter* find(const std::string& parameter) const;  // nullptr if absent
  // The same space, wherever it was loaded from (`file` is not compared): to_json's round trip.
  bool operator==(const DesignSpace& o) const;
};

// Parses and validates. Errors name `file` and the field path, e.g.
// "configs/spaces/X.json: parameters.width.low: 0 must be >= 1".
DesignSpace space_from_json(const nlohmann::json& j, const std::string& file = "");
// Complete form (every default written out); space_from_json reads it back to the same space.
nlohmann::json to_json(const DesignSpace& s);

std::string spaces_dir();

// A space by name (file stem in spaces_dir() or a file's "name", case-insensitive) or by path
// (anything with a '/' or ending in .json). Unknown names are a UserError listing the known ones.
DesignSpace load_space(const std::string& name_or_path);
// Every *.json in spaces_dir(), sorted by name. A broken file is an error naming it.
std::vector<DesignSpace> load_all_spaces();
// These spaces (names or paths, as load_space), or every one when `names` is empty.
std::vector<DesignSpace> load_spaces(const std::vector<std::string>& names);

// Network presets and per-sweep overrides of a space's network defaults (--preset, --input-size ...).
//   imagenet:      224 px, 3 channels, 1000 classes, simple_stem_in (stride 2), stem width 32
//   fashion-mnist:  28 px, 1 channel,    10 classes, res_stem_cifar (stride 1), stem width 16
//   cifar10:        32 px, 3 channels,   10 classes, res_stem_cifar (stride 1), stem width 16
// A preset keeps the stage stride; explicit options win over the preset.
struct NetworkOverrides {
  std::string preset;  // "" = none
  std::optional<std::string> stem_type;
  std::optional<int> stem_width, input_size, input_channels, num_classes, stride;
  std::optional<std::string> activation;  // relu or silu: the spec's, or the space's (fixed)
};
std::vector<std::string> network_preset_names();
// Throws UserError naming the option (--preset, --input-size, ...) for bad values.
NetworkOptions apply_overrides(NetworkOptions base, const NetworkOverrides& o);
// --activation: the spec with that activation (unchanged without the override).
Spec apply_activation(Spec spec, const NetworkOverrides& o);
// --activation: the space with its activation parameter fixed there (unchanged without it).
DesignSpace apply_activation(DesignSpace space, const NetworkOverrides& o);
// Every override, null where not given.
nlohmann::json to_json(const NetworkOverrides& o);
nlohmann::json to_json(const NetworkOptions& n);
// A "network" object (of a space file or sweep.json) over `defaults`; errors name `file`.
NetworkOptions network_from_json(const nlohmann::json& j, const std::string& file, NetworkOptions defaults = {});

std::string to_string(SpaceType t);
std::string to_string(DistKind k);
std::string to_string(Order o);
// "log_uniform [8, 1024] q 8", "power2 [1, 4]", "choice {1, 2, 4}", "fixed 1"
std::string to_text(const Distribution& d);
// The same with a word parameter's words: "choice {relu, silu}".
std::string to_text(const SpaceParameter& p);
// "w_{i+1} >= w_i (width non-decreasing)"
std::string to_text(const MonotonicConstraint& c);
// `spaces`: a space's type, stages, parameters, constraints and network, a few lines of text.
std::string to_text(const DesignSpace& s);
// `spaces --json`: {spaces_dir, spaces: [complete definitions, each with its "file"]}.
nlohmann::json spaces_json(const std::vector<DesignSpace>& spaces);

}  // namespace regnet
