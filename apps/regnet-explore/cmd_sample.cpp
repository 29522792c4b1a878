// regnet-explore sample: draw N models from a design space into a complexity window and write
// a new sweep directory (docs/sweep-format.md). The work: core/space/sample_sweep.hpp.
#include <memory>

#include "cli/network_options.hpp"
#include "cli/number_options.hpp"
#include "cli/output.hpp"
#include "commands.hpp"
#include "core/space/sample_sweep.hpp"

namespace regnet::cli {

namespace {

void run(const SampleRequest& request, bool json) {
  ProgressLine progress;  // once sampling takes longer than a second
  const SampleSummary s = sample_sweep(request, [&progress](const SampleProgress& p) {
    if (p.seconds >= 1.0) progress(progress_line(p));
  });
  progress.finish();
  print_result(json, to_json(s), summary_text(s));
}

}  // namespace

void add_sample_command(CLI::App& app) {
  auto r = std::make_shared<SampleRequest>();
  auto json = std::make_shared<bool>(false);
  auto* cmd = app.add_subcommand("sample");
  cmd->add_option("--space", r->space, "design space: a name from `regnet-explore spaces` or a .json file")->required();
  cmd->add_option("-n", r->n, "number of models")->required()->transform(whole_number<int>(1, kMaxSamples));
  cmd->add_option("--flops", r->flops, "flops (MACs) window LO:HI, e.g. 360M:400M, :400M, 2M:");
  cmd->add_option("--params", r->params, "parameter-count window LO:HI");
  cmd->add_option("--acts", r->acts, "activation-count window LO:HI");
  cmd->add_option("--seed", r->seed, "random seed; sample i depends only on (seed, attempt)")
      ->transform(seed_number())
      ->capture_default_str();
  cmd->add_option("--out", r->out, "new sweep directory (must not exist, or be empty)")->required();
  add_network_options(cmd, r->net);
  cmd->add_option("--threads", r->threads, "threads (0: every core); results do not depend on it")
      ->transform(whole_number<int>(0, kMaxThreads))
      ->capture_default_str();
  cmd->add_option("--max-attempts", r->max_attempts, "give up after this many attempts in all")
      ->transform(whole_number<std::int64_t>(1, kMaxAttempts))
      ->capture_default_str();
  cmd->add_flag("--json", *json, "print the summary as JSON");
  cmd->callback([r, json] { run(*r, *json); });
}

}  // namespace regnet::cli
