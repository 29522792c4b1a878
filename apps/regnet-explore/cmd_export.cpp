// regnet-explore export: a network's weights as a PyTorch state dict with pycls's module names
// (Python: torch.load + load_state_dict(strict=True)), plus its spec JSON beside it. The work:
// train/export_choice.hpp (which model and weights) and train/export.hpp.
#include <memory>

#include "cli/network_options.hpp"
#include "cli/number_options.hpp"
#include "cli/output.hpp"
#include "commands.hpp"
#include "core/space/sample_sweep.hpp"
#include "train/export_choice.hpp"

namespace regnet::cli {

void add_export_command(CLI::App& app) {
  auto o = std::make_shared<train::ExportChoice>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("export");
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
  cmd->add_flag("--json", *json, "print what was written as JSON");
  cmd->callback([o, json] { print_result(*json, train::export_model(train::export_request(*o))); });
}

}  // namespace regnet::cli
