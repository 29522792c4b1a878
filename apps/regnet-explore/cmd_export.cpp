// regnet-explore export: a network's weights as a PyTorch state dict with pycls's module names
// (Python: torch.load + load_state_dict(strict=True)), plus its spec JSON beside it.
#include <filesystem>
#include <memory>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/space/model_source.hpp"
#include "core/space/sample_sweep.hpp"
#include "core/sweep/directory.hpp"
#include "network_options.hpp"
#include "number_options.hpp"
#include "output.hpp"
#include "train/export.hpp"

namespace regnet::cli {

namespace {

struct Options {
  ModelChoice model;
  std::string out, weights;
  unsigned long long seed = 1;
  bool untrained = false, check = false, json = false, force = false;
};

void check_weights_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "--weights", "no such file");
  if (!std::filesystem::is_regular_file(path, ec))
    fail(path, "--weights", "is not a weights file (not a regular file)");
}

train::ExportRequest request(const Options& o) {
  train::ExportRequest r;
  r.spec = chosen_spec(o.model);
  r.out_path = o.out;
  r.seed = o.seed;
  r.check = o.check;
  r.force = o.force;
  r.weights_path = o.weights;
  if (o.model.id >= 0 && r.weights_path.empty() && !o.untrained)
    r.weights_path = trained_weights(o.model.sweep, o.model.id);
  if (!r.weights_path.empty()) check_weights_file(r.weights_path);
  r.inputs = {{o.model.spec_file, "--spec"}, {r.weights_path, "--weights"}};
  if (o.model.id >= 0) r.inputs.emplace_back(sample_path(o.model.sweep, o.model.id), "sample");
  return r;
}

}  // namespace

void add_export_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("export", command_summary("export"));
  cmd->add_option("sweep", o->model.sweep, "sweep directory (with --id)");
  cmd->add_option("--id", o->model.id, "sample id in SWEEP: exports its final weights (SWEEP/weights/NNNNNN.pt)")
      ->transform(whole_number<int>(0, kMaxSamples - 1));
  cmd->add_option("--spec", o->model.spec_file, "a spec JSON file (or a sample record)");
  cmd->add_option("--model", o->model.model, "a zoo model name, e.g. RegNetX-400MF");
  add_network_options(cmd, o->model.net);
  cmd->add_option("--out,-o", o->out,
                  "output file, e.g. model.pt (the spec goes to model.json); existing files need --force")
      ->required();
  cmd->add_option("--weights", o->weights, "weights to export: a state dict or a training checkpoint");
  cmd->add_flag("--untrained", o->untrained, "with --id: export a freshly initialized network if it has no weights");
  cmd->add_option("--seed", o->seed, "seed of the fresh initialization (when no weights are given)")
      ->transform(seed_number())
      ->capture_default_str();
  cmd->add_flag("--force", o->force, "replace existing output files (through a symbolic link, its target)");
  cmd->add_flag("--check-input", o->check,
                "also write FILE.check.pt: a fixed input and this network's output on it (eval mode), to compare "
                "against another implementation");
  cmd->add_flag("--json", o->json, "print what was written as JSON");
  cmd->callback([o] { print_result(o->json, train::export_model(request(*o))); });
}

}  // namespace regnet::cli
