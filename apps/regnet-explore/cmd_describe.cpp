// regnet-explore describe: a model's stages, per-block widths and flops/params/acts, from a zoo
// name, a spec file or a sweep sample (JSON form: docs/spec-json.md). The work:
// core/space/model_source.hpp (which model, and what is printed) and core/model/describe.hpp.
#include <memory>

#include "cli/network_options.hpp"
#include "cli/number_options.hpp"
#include "cli/output.hpp"
#include "commands.hpp"
#include "core/model/describe.hpp"
#include "core/space/model_source.hpp"
#include "core/space/sample_sweep.hpp"

namespace regnet::cli {

namespace {

struct Output {
  bool list = false, json = false;
};

void run(const ModelQuery& q, const Output& out) {
  if (out.list) return print_result(out.json, zoo_table_json(), zoo_table_text());
  print_result(out.json, resolve_models(q));
}

}  // namespace

void add_describe_command(CLI::App& app) {
  auto q = std::make_shared<ModelQuery>();
  auto out = std::make_shared<Output>();
  auto* cmd = app.add_subcommand("describe");
  cmd->add_option("target", q->target, "a zoo model name (see --list), a sweep directory (with --id), or a spec file");
  cmd->add_option("--spec", q->spec_file,
                  "a spec JSON file (docs/spec-json.md): a spec, a sample record, or an array of them");
  cmd->add_option("--id", q->id, "sample id in the sweep directory")->transform(whole_number<int>(0, kMaxSamples - 1));
  cmd->add_flag("--list", out->list, "list the 24 RegNetX/Y zoo models");
  cmd->add_flag("--json", out->json, "print JSON (an array when --spec holds an array); schema: docs/spec-json.md");
  cmd->add_flag("--torchvision-rounding", q->torchvision,
                "group-width rounding of torchvision (half up, 10% guard) instead of pycls's (the reference)");
  add_network_options(cmd, q->net);
  cmd->callback([q, out] { run(*q, *out); });
}

}  // namespace regnet::cli
