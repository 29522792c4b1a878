// regnet-explore export: a network's weights as a PyTorch state dict with pycls's module names
// (Python: torch.load + load_state_dict(strict=True)), plus its spec JSON beside it.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/json_io.hpp"
#include "core/model_zoo.hpp"
#include "core/space.hpp"
#include "core/sweep.hpp"
#include "network_options.hpp"
#include "train/export.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::string sweep, spec_file, model, out, weights;
  int id = -1;
  unsigned long long seed = 1;
  bool untrained = false, check = false, json = false;
  NetworkOverrides net;
};

void run(const Options& o) {
  const int sources = (o.id >= 0) + !o.spec_file.empty() + !o.model.empty();
  if (sources != 1) fail("", "", "give exactly one of SWEEP --id N, --spec FILE or --model NAME");
  if (o.id >= 0 && o.sweep.empty()) fail("", "--id", "needs the SWEEP directory before it");
  if (o.id < 0 && !o.sweep.empty()) fail("", "SWEEP", "'" + o.sweep + "' needs --id N (which sample to export)");
  train::ExportRequest r;
  r.out_path = o.out;
  r.seed = o.seed;
  r.check = o.check;
  r.weights_path = o.weights;
  if (o.id >= 0) {
    r.spec = load_sample(o.sweep, o.id).spec;
    if (r.weights_path.empty() && !o.untrained) {
      r.weights_path = weights_path(o.sweep, o.id);
      if (!std::filesystem::exists(r.weights_path))
        fail(r.weights_path, "",
             "sample " + std::to_string(o.id) + " has no final weights yet (train it first, give --weights, or "
             "--untrained for a freshly initialized network)");
    }
  } else if (!o.spec_file.empty()) {
    const auto j = read_json_file(o.spec_file);
    // A spec, or a sample record holding one.
    r.spec = j.is_object() && j.contains("spec") ? spec_from_json(j["spec"], o.spec_file) : spec_from_json(j, o.spec_file);
  } else {
    r.spec = named_model_spec(o.model, apply_overrides(NetworkOptions{}, o.net));
  }
  if (!r.weights_path.empty() && !std::filesystem::exists(r.weights_path))
    fail(r.weights_path, "--weights", "no such file");
  const auto res = train::export_model(r);
  if (o.json) {
    nlohmann::json j{{"weights", res.weights_file}, {"spec", res.spec_file}, {"tensors", res.tensors},
                     {"parameters", res.parameters}, {"initialized_from", r.weights_path.empty() ? "seed" : r.weights_path}};
    if (!res.check_file.empty()) j["check"] = res.check_file;
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("wrote %s (%lld tensors, %lld parameters, weights from %s)\n", res.weights_file.c_str(),
              static_cast<long long>(res.tensors), static_cast<long long>(res.parameters),
              r.weights_path.empty() ? ("fresh init, seed " + std::to_string(o.seed)).c_str() : r.weights_path.c_str());
  std::printf("wrote %s (spec)\n", res.spec_file.c_str());
  if (!res.check_file.empty()) std::printf("wrote %s (fixed input and our output, eval mode)\n", res.check_file.c_str());
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("export", torch_command_summary("export"));
  cmd->add_option("sweep", o->sweep, "sweep directory (with --id)");
  cmd->add_option("--id", o->id, "sample id in SWEEP: exports its final weights (SWEEP/weights/NNNNNN.pt)");
  cmd->add_option("--spec", o->spec_file, "a spec JSON file (or a sample record)");
  cmd->add_option("--model", o->model, "a zoo model name, e.g. RegNetX-400MF");
  add_network_options(cmd, o->net);
  cmd->add_option("--out,-o", o->out, "output file, e.g. model.pt (the spec goes to model.json)")->required();
  cmd->add_option("--weights", o->weights, "weights to export: a state dict or a training checkpoint");
  cmd->add_flag("--untrained", o->untrained, "with --id: export a freshly initialized network if it has no weights");
  cmd->add_option("--seed", o->seed, "seed of the fresh initialization (when no weights are given)")->capture_default_str();
  cmd->add_flag("--check-input", o->check,
                "also write FILE.check.pt: a fixed input and this network's output on it (eval mode), to compare "
                "against another implementation");
  cmd->add_flag("--json", o->json, "print what was written as JSON");
  cmd->footer(
      "The state dict holds every parameter and BN buffer (running_mean, running_var, num_batches_tracked)\n"
      "under pycls's module names: stem.conv, s1.b1.proj, s1.b1.f.a, s1.b1.f.se.f_ex.0, head.fc ...\n"
      "In Python: sd = torch.load('model.pt'); net.load_state_dict(sd, strict=True).\n\n"
      "Examples:\n"
      "  regnet-explore export sweeps/xe --id 17 --out xe17.pt\n"
      "  regnet-explore export --model RegNetX-400MF --out x400.pt\n"
      "  regnet-explore export --spec spec.json --weights sweeps/xe/checkpoints/000017.pt --out x.pt --check-input\n");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
