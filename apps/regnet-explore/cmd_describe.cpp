// regnet-explore describe: a model's stages, per-block widths and flops/params/acts, from a zoo
// name, a spec file or a sweep sample (JSON form: docs/spec-json.md).
#include <cstdio>
#include <filesystem>
#include <iostream>

#include "commands.hpp"
#include "core/complexity.hpp"
#include "core/describe.hpp"
#include "core/error.hpp"
#include "core/json_io.hpp"
#include "core/model_zoo.hpp"
#include "core/sweep.hpp"
#include "core/units.hpp"
#include "network_options.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::string target, spec_file;
  int id = -1;
  bool json = false, list = false, torchvision = false;
  NetworkOverrides net;
};

// The spec with the command-line network options applied (validated again).
Spec with_overrides(Spec s, const NetworkOverrides& o, const std::string& where) {
  const std::vector<int> strides = s.strides;  // kept per stage unless --stride sets them all
  s = with_network_options(std::move(s), apply_overrides(network_options_of(s), o));
  if (!o.stride) s.strides = strides;
  validate(s, where);
  return s;
}

// A RegNet regenerated with torchvision's rounding, keeping the record's network options.
Spec regenerate(const RegNetParams& p, const Spec& s, Rounding rounding) {
  return regnet_spec(p, network_options_of(s), rounding);
}

ModelDescription from_record_json(const nlohmann::json& j, const std::string& name, const std::string& source,
                                  const Options& o) {
  ModelDescription m;
  m.name = name;
  m.source = source;
  if (j.is_object() && j.contains("spec")) {  // a sample record
    m.spec = spec_from_json(j["spec"], name);
    if (j.contains("regnet") && !j["regnet"].is_null()) m.regnet = regnet_params_from_json(j["regnet"], name);
  } else {
    m.spec = spec_from_json(j, name);
  }
  if (o.torchvision) {
    if (!m.regnet)
      fail(name, "--torchvision-rounding", "needs RegNet parameters (a zoo name or a RegNet sweep sample)");
    m.spec = regenerate(*m.regnet, m.spec, Rounding::torchvision);
    m.rounding = Rounding::torchvision;
  }
  m.spec = with_overrides(m.spec, o.net, name);
  return m;
}

// The models to describe; `array` when the spec file holds a JSON array (the output is one too).
std::vector<ModelDescription> collect(const Options& o, bool& array) {
  namespace fs = std::filesystem;
  std::vector<ModelDescription> out;
  array = false;
  const Rounding rounding = o.torchvision ? Rounding::torchvision : Rounding::pycls;
  std::string spec_file = o.spec_file;
  if (!o.target.empty() && spec_file.empty() && fs::is_regular_file(o.target)) spec_file = o.target;
  if (!spec_file.empty()) {
    if (o.id >= 0) fail(spec_file, "--id", "applies to a sweep directory, not a spec file");
    const nlohmann::json j = read_json_file(spec_file);
    if (j.is_array()) {
      array = true;
      for (size_t i = 0; i < j.size(); ++i)
        out.push_back(from_record_json(j[i], spec_file + "[" + std::to_string(i) + "]", "spec", o));
    } else {
      out.push_back(from_record_json(j, spec_file, "spec", o));
    }
    return out;
  }
  if (o.target.empty()) fail("", "describe", "give a model name (see --list), --spec FILE, or SWEEP --id N");
  if (fs::is_directory(o.target)) {
    if (o.id < 0) fail(o.target, "--id", "a sweep needs --id N to pick a sample");
    read_sweep_json(o.target);
    const SampleRecord r = load_sample(o.target, o.id);
    out.push_back(from_record_json(to_json(r), o.target + "#" + std::to_string(o.id), "sweep", o));
    return out;
  }
  if (o.id >= 0) fail(o.target, "--id", "applies to a sweep directory, and this is not one");
  const auto model = find_model(o.target);
  if (!model) {
    named_model_spec(o.target);  // throws the "unknown model ... (known: ...)" error
  }
  ModelDescription m;
  m.name = model->name;
  m.source = "zoo";
  m.regnet = model->params;
  m.rounding = rounding;
  NetworkOptions n = apply_overrides(NetworkOptions{}, o.net);
  m.spec = regnet_spec(model->params, n, rounding);
  validate(m.spec, m.name);
  out.push_back(m);
  return out;
}

void list_zoo(bool json) {
  nlohmann::json arr = nlohmann::json::array();
  if (!json)
    std::printf("%-15s %5s %5s %7s %5s %4s %4s %13s %11s %11s %7s\n", "model", "depth", "w0", "wa", "wm", "g", "se",
                "flops (MACs)", "params", "acts", "top1");
  for (const auto& m : model_zoo()) {
    const Complexity c = complexity(regnet_spec(m.params));
    if (json) {
      arr.push_back({{"name", m.name},
                     {"regnet", to_json(m.params)},
                     {"complexity", to_json(c)},
                     {"top1_err", m.top1_err},
                     {"top5_err", m.top5_err}});
      continue;
    }
    std::printf("%-15s %5d %5g %7g %5g %4d %4g %13s %11s %11s %7.3f\n", m.name.c_str(), m.params.depth, m.params.w0,
                m.params.wa, m.params.wm, m.params.group_width, m.params.se_ratio, format_count(c.flops).c_str(),
                format_count(c.params).c_str(), format_count(c.acts).c_str(), m.top1_err);
  }
  if (json) std::cout << arr.dump(2) << "\n";
  else std::printf("(224 px, 1000 classes, pycls rounding; top-1 error %% after 100 epochs, pycls model zoo)\n");
}

}  // namespace

void add_describe_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("describe", "Show a model's stages, block widths and flops/params/acts");
  cmd->add_option("target", o->target, "a zoo model name (see --list), a sweep directory (with --id), or a spec file");
  cmd->add_option("--spec", o->spec_file,
                  "a spec JSON file (docs/spec-json.md): a spec, a sample record, or an array of them");
  cmd->add_option("--id", o->id, "sample id in the sweep directory");
  cmd->add_flag("--list", o->list, "list the 24 RegNetX/Y zoo models");
  cmd->add_flag("--json", o->json, "print JSON (an array when --spec holds an array); schema: docs/spec-json.md");
  cmd->add_flag("--torchvision-rounding", o->torchvision,
                "group-width rounding of torchvision (half up, 10% guard) instead of pycls's (the reference)");
  add_network_options(cmd, o->net);
  cmd->footer(
      "flops are multiply-accumulates (MACs) at batch 1, pycls's convention; other tools may print ~2x.\n\n"
      "Examples:\n"
      "  regnet-explore describe RegNetX-400MF\n"
      "  regnet-explore describe regnet_y_1_6gf --json\n"
      "  regnet-explore describe RegNetX-400MF --torchvision-rounding\n"
      "  regnet-explore describe RegNetX-200MF --preset fashion-mnist\n"
      "  regnet-explore describe --spec my_spec.json --input-size 32\n"
      "  regnet-explore describe sweeps/xa --id 12\n"
      "  regnet-explore describe --list\n");
  cmd->callback([o] {
    if (o->list) {
      list_zoo(o->json);
      return;
    }
    bool array = false;
    const auto models = collect(*o, array);
    if (o->json) {
      nlohmann::json arr = nlohmann::json::array();
      for (const auto& m : models) arr.push_back(describe_json(m));
      std::cout << (array ? arr : arr.at(0)).dump(2) << "\n";
      return;
    }
    for (size_t i = 0; i < models.size(); ++i) {
      if (i) std::printf("\n");
      std::fputs(describe_text(models[i]).c_str(), stdout);
    }
  });
}

}  // namespace regnet::cli
