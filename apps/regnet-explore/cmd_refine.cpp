// `regnet-explore refine`: the paper's design-space loop from a trained sweep: the restrictions its
// models suggest, each with the share of the space it keeps and the error shift of the models that
// satisfy it; a child space file per proposal (docs/refine.md). It trains nothing.
#include <memory>
#include <string>

#include "commands.hpp"
#include "core/base/output_path.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/threads.hpp"
#include "core/refine/exploration.hpp"
#include "core/sweep/error_metric.hpp"
#include "number_options.hpp"
#include "output.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::string sweep, metric = "best", out;
  ExploreOptions explore;
  bool json = false, force = false;
};

void run(const Options& o) {
  if (!o.out.empty()) check_output_dir(o.out, "--out", o.force, {o.sweep});
  const RefineSweep sweep = load_refine_sweep(o.sweep, error_metric_from_string(o.metric, "--metric"));
  const Exploration e = explore(sweep, o.explore);
  nlohmann::json j = to_json(e);
  std::string text = to_text(e);
  if (!o.out.empty()) {
    write_child_spaces(e, sweep.space, o.out);
    j["out"] = o.out;
    text += "wrote " + std::to_string(e.estimates.size()) + " child spaces to " + one_line(o.out) + "\n";
  }
  print_result(o.json, j, text);
}

}  // namespace

void add_refine_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("refine", command_summary("refine"));
  cmd->add_option("sweep", o->sweep, "Sweep directory with trained results")->required();
  cmd->add_option("--metric", o->metric, "Which top-1 error: best (minimum over epochs) or final")
      ->check(CLI::IsMember({"best", "final"}))
      ->capture_default_str();
  cmd->add_option("--best", o->explore.proposals.best_fraction,
                  "Share of the models whose ranges and values are proposed")
      ->transform(real_number(0, 1, true, false))
      ->capture_default_str();
  cmd->add_option("--bootstrap", o->explore.proposals.bootstrap, "Resamples of the best models' good ranges")
      ->transform(whole_number<int>(kMinResamples, kMaxResamples))
      ->capture_default_str();
  cmd->add_option("--draws", o->explore.parent_draws, "Fresh draws of the space that measure the share each keeps")
      ->transform(whole_number<int>(100, 1'000'000))
      ->capture_default_str();
  cmd->add_option("--seed", o->explore.proposals.seed, "Bootstrap seed")
      ->transform(seed_number())
      ->capture_default_str();
  cmd->add_option("--threads", o->explore.threads, "Threads drawing the space (0: every core)")
      ->transform(whole_number<int>(0, kMaxThreads))
      ->capture_default_str();
  cmd->add_option("--out", o->out, "Write each proposal's child space to DIR/NN-ID.json (DIR new or empty)");
  cmd->add_flag("--force", o->force, "Write into a non-empty --out DIR");
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
