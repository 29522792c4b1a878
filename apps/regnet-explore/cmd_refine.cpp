// `regnet-explore refine`: the paper's design-space loop from a trained sweep (docs/refine.md).
// Without --confirm: the restrictions its models suggest, each with the share of the space it keeps
// and the error shift of the models that satisfy it, and a child space file per proposal; it trains
// nothing. With --confirm K: the loop of core/refine/confirmation.hpp, training through `train`
// (child processes, or SLURM job arrays).
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "cli/launch_options.hpp"
#include "cli/number_options.hpp"
#include "cli/option_table.hpp"
#include "cli/output.hpp"
#include "cli/train_options.hpp"
#include "commands.hpp"
#include "core/refine/confirmation.hpp"
#include "core/refine/exploration.hpp"
#include "core/refine/refine_record.hpp"
#include "core/space/sample_sweep.hpp"

namespace regnet::cli {

namespace {

struct Options {
  ConfirmRequest confirm;  // its sweep, out, explore options and training serve both modes
  BatchOptions batch;
  int candidates = 0;  // --confirm K; 0: explore only
  bool json = false, force = false;
};

void run_explore(const Options& o) {
  ExploreOptions eo = o.confirm.explore;
  eo.threads = o.confirm.train.threads;
  print_result(o.json, explore_sweep(o.confirm.sweep, o.confirm.metric, eo, o.confirm.out, o.force));
}

void run_confirm(const Options& o) {
  ConfirmRequest c = o.confirm;
  c.candidates = o.candidates;
  c.explore.threads = c.train.threads;
  check_request(c);
  const SweepsTrainer train = sweeps_trainer(o.batch);
  const Refinement r = run_refinement(c, train, [&](const std::string& line) { spdlog::info("{}", line); });
  print_result(o.json, to_json(r), to_text(r));
  if (r.interrupted) stop_interrupted("finished models are kept; run the same command to resume");
}

}  // namespace

void add_refine_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto& c = o->confirm;
  auto* cmd = app.add_subcommand("refine");
  const std::vector<OptionRow> options = {
      {"SWEEP", c.sweep, "sweep directory with trained results", kRequired},
      {"--metric", c.metric, "which top-1 error: best (minimum over epochs) or final", CLI::IsMember({"best", "final"}),
       kShowDefault},
      {"--best", c.explore.proposals.best_fraction, "share of the models whose ranges and values are proposed",
       real_number(0, 1, true, false), kShowDefault},
      {"--bootstrap", c.explore.proposals.bootstrap, "resamples of the best models' good ranges",
       whole_number<int>(kMinResamples, kMaxResamples), kShowDefault},
      {"--draws", c.explore.parent_draws, "fresh draws of the space that measure the share each keeps",
       whole_number<int>(100, 1'000'000), kShowDefault},
      {"--seed", c.explore.proposals.seed, "bootstrap seed", seed_number(), kShowDefault},
      {"--out", c.out,
       "without --confirm: write each proposal's child space to DIR/NN-ID.json (DIR new or empty); "
       "with --confirm: the refine directory (default: refine-SWEEP beside SWEEP)"},
      {"--force", o->force, "without --confirm: write into a non-empty --out DIR"},
      {"--json", o->json, "print JSON"},
      {"--confirm", o->candidates,
       "confirm the top K proposals on fresh models: sample each child space and the parent anew, "
       "compare each child with the parent (three outcomes, alpha / K each), adopt the better and "
       "the equivalent ones, write the refined space",
       whole_number<int>(1, 20)},
      {"--proposals", c.proposals,
       "confirm these proposals of the first step (ids from the table, e.g. tie-bottleneck_ratio) instead of "
       "the top K (--confirm may be left out)",
       kCommaList},
      {"--steps", c.steps, "with --confirm: repeat from the refined space, exploring a new sweep of it",
       whole_number<int>(1, 20), kShowDefault},
      {"--margin", c.margin, "with --confirm: error points within which a child counts as equivalent",
       real_number(0, 100, true), kShowDefault},
      {"--alpha", c.alpha, "with --confirm: the chance of any false claim among a step's K comparisons",
       real_number(0, 0.5, true, true), kShowDefault},
      {"--max-n", c.max_n, "with --confirm: models per sweep at the last look (and each fresh sweep's samples)",
       whole_number<int>(2, kMaxSamples), kShowDefault},
      {"--looks", c.looks, "with --confirm: models per sweep at each look (default: compare's)"},
      {"--spending", c.spending, "with --confirm: alpha spending, pocock or obrien-fleming",
       CLI::IsMember({"pocock", "obrien-fleming"}), kShowDefault},
      {"--explore-n", c.explore_n,
       "with --steps: models of each later step's exploration sweep (default: as many as SWEEP has trained)",
       whole_number<int>(1, kMaxSamples)},
      {"--sample-seed", c.seed, "with --confirm: seed of the fresh sweeps (not the exploration sweep's)", seed_number(),
       kShowDefault},
      {"--simulations", c.simulations, "Monte Carlo H0 trajectories behind each comparison's KS boundaries",
       whole_number<int>(1000, 10000000), kShowDefault | kHidden},
  };
  add_options(cmd, options);
  add_train_options(cmd, c.train);
  cmd->remove_option(cmd->get_option("--ids"));
  add_batch_options(cmd, o->batch, "with --confirm: evaluate what is trained, write the record, train nothing",
                    "with --confirm: train each batch as SLURM job arrays and wait for them");
  cmd->callback([o, cmd] {
    if (!o->confirm.proposals.empty() && o->candidates == 0)
      o->candidates = static_cast<int>(o->confirm.proposals.size());
    for (const char* option : {"--steps", "--margin", "--alpha", "--max-n", "--looks", "--explore-n", "--sample-seed",
                               "--no-train", "--slurm"})
      if (o->candidates == 0 && cmd->count(option) > 0) fail("", option, "only with --confirm K");
    if (o->candidates > 0 && o->force)
      fail("", "--force", "only without --confirm: a refine directory is resumed, never replaced (give a new --out)");
    o->candidates > 0 ? run_confirm(*o) : run_explore(*o);
  });
}

}  // namespace regnet::cli
