#include "core/space/model_source.hpp"

#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/model/complexity.hpp"
#include "core/model/model_zoo.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

namespace fs = std::filesystem;

namespace {

Rounding rounding_of(const ModelQuery& q) { return q.torchvision ? Rounding::torchvision : Rounding::pycls; }

bool is_record(const nlohmann::json& j) { return j.is_object() && j.contains("spec"); }

// The spec with the command-line network options applied (validated again).
Spec with_overrides(Spec s, const NetworkOverrides& o, const std::string& where) {
  const std::vector<int> strides = s.strides;  // kept per stage unless --stride sets them all
  s = with_network_options(std::move(s), apply_overrides(network_options_of(s), o));
  if (!o.stride) s.strides = strides;
  s = apply_activation(std::move(s), o);
  validate(s, where);
  return s;
}

ModelDescription from_record_json(const nlohmann::json& j, const std::string& name, const std::string& source,
                                  const ModelQuery& q) {
  ModelDescription m;
  m.name = name;
  m.source = source;
  m.spec = spec_from_json(is_record(j) ? j["spec"] : j, name);
  if (is_record(j) && j.contains("regnet") && !j["regnet"].is_null())
    m.regnet = regnet_params_from_json(j["regnet"], name);
  if (q.torchvision) {
    if (!m.regnet)
      fail(name, "--torchvision-rounding", "needs RegNet parameters (a zoo name or a RegNet sweep sample)");
    // Regenerated with torchvision's rounding, keeping the record's network options.
    try {
      m.spec = regnet_spec(*m.regnet, network_options_of(m.spec), Rounding::torchvision);
    } catch (const UserError& e) {  // names the parameter, not the file
      fail(name, "regnet", e.what());
    }
    m.rounding = Rounding::torchvision;
  }
  m.spec = with_overrides(m.spec, q.net, name);
  complexity(m.spec, name);  // counts beyond 64 bits are an error here, not a wrapped number later
  return m;
}

ResolvedModels from_spec_file(const std::string& file, const ModelQuery& q) {
  if (q.id >= 0) fail(file, "--id", "applies to a sweep directory, not a spec file");
  const nlohmann::json j = read_json_file(file);
  ResolvedModels out;
  out.array = j.is_array();
  if (!out.array) {
    out.models.push_back(from_record_json(j, file, "spec", q));
    return out;
  }
  for (size_t i = 0; i < j.size(); ++i)
    out.models.push_back(from_record_json(j[i], file + "[" + std::to_string(i) + "]", "spec", q));
  return out;
}

ModelDescription from_sweep(const std::string& dir, const ModelQuery& q) {
  if (q.id < 0) fail(dir, "--id", "a sweep needs --id N to pick a sample");
  read_sweep_json(dir);  // a UserError unless dir holds a sweep
  return from_record_json(to_json(load_sample(dir, q.id)), dir + "#" + std::to_string(q.id), "sweep", q);
}

ModelDescription from_zoo(const std::string& name, const ModelQuery& q) {
  if (q.id >= 0) fail(name, "--id", "applies to a sweep directory, and this is not one");
  const auto model = find_model(name);
  if (!model) named_model_spec(name);  // throws the "unknown model ... (known: ...)" error
  ModelDescription m;
  m.name = model->name;
  m.source = "zoo";
  m.regnet = model->params;
  m.rounding = rounding_of(q);
  m.spec = apply_activation(regnet_spec(model->params, apply_overrides(NetworkOptions{}, q.net), m.rounding), q.net);
  validate(m.spec, m.name);
  complexity(m.spec, m.name);
  return m;
}

}  // namespace

ResolvedModels resolve_models(const ModelQuery& q) {
  if (!q.spec_file.empty() && !q.target.empty())
    fail(q.spec_file, "--spec", "'" + q.target + "' is given too: give a model name, a sweep, or --spec FILE, not two");
  if (!q.spec_file.empty()) return from_spec_file(q.spec_file, q);
  if (q.target.empty()) fail("", "describe", "give a model name (see --list), --spec FILE, or SWEEP --id N");
  std::error_code ec;
  if (fs::is_directory(q.target, ec)) return {{from_sweep(q.target, q)}, false};
  // Any other file (a device or a pipe too) is read as a spec file, which refuses what is not regular.
  if (fs::exists(q.target, ec)) return from_spec_file(q.target, q);
  return {{from_zoo(q.target, q)}, false};
}

Spec read_spec_file(const std::string& path) {
  const nlohmann::json j = read_json_file(path);
  return spec_from_json(is_record(j) ? j["spec"] : j, path);
}

Spec chosen_spec(const ModelChoice& c) {
  const int sources = (c.id >= 0) + !c.spec_file.empty() + !c.model.empty();
  if (sources != 1) fail("", "", "give exactly one of SWEEP --id N, --spec FILE or --model NAME");
  if (c.id >= 0 && c.sweep.empty()) fail("", "--id", "needs the SWEEP directory before it");
  if (c.id < 0 && !c.sweep.empty()) fail("", "SWEEP", "'" + c.sweep + "' needs --id N (which sample to export)");
  if (c.id >= 0) return load_sample(c.sweep, c.id).spec;
  if (!c.spec_file.empty()) return read_spec_file(c.spec_file);
  return apply_activation(named_model_spec(c.model, apply_overrides(NetworkOptions{}, c.net)), c.net);
}

std::string trained_weights(const std::string& sweep, int id) {
  load_sample(sweep, id);  // a UserError unless the sweep has that sample
  const std::string path = weights_path(sweep, id);
  if (!fs::exists(path))
    fail(path, "",
         "sample " + std::to_string(id) +
             " has no final weights yet (train it first, give --weights, or "
             "--untrained for a freshly initialized network)");
  return path;
}

nlohmann::json to_json(const ResolvedModels& r) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& m : r.models) models.push_back(describe_json(m));
  return r.array ? models : models.at(0);
}

std::string to_text(const ResolvedModels& r) {
  std::vector<std::string> texts;
  for (const auto& m : r.models) texts.push_back(describe_text(m));
  return join(texts, "\n");
}

}  // namespace regnet
