// regnet-explore bench-train (hidden): trains one model with a schedule and prints its training
// throughput; scripts/bench-train.sh compares it with the same loop in PyTorch-Python. The work and
// the result: train/train_bench.hpp.
#include <memory>

#include "cli/number_options.hpp"
#include "cli/option_table.hpp"
#include "cli/output.hpp"
#include "commands.hpp"
#include "core/base/threads.hpp"
#include "train/train_bench.hpp"

namespace regnet::cli {

namespace {

struct Options {
  train::TrainBenchOptions bench;
  bool contiguous = false, json = false;
};

void run(Options& o) {
  o.bench.train.channels_last = !o.contiguous;
  ProgressLine progress;
  if (!o.json) o.bench.train.on_progress = [&progress](const train::Progress& p) { progress(progress_text(p)); };
  const train::TrainBenchResult r = train::bench_training(o.bench);
  progress.finish();
  print_result(o.json, r);
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto& b = o->bench;
  auto* cmd = app.add_subcommand("bench-train");
  const std::vector<OptionRow> options = {
      {"--spec", b.spec_file, "spec JSON file (or a sample record)", kRequired},
      {"--data", b.data.source, "dataset name or directory", kShowDefault},
      {"--data-root", b.data.root, "directory of a named dataset"},
      {"--schedule", b.schedule, "schedule name or file", kShowDefault},
      {"--device", b.train.device, "cpu, cuda, cuda:N, auto", kShowDefault},
      {"--threads", b.train.threads, "CPU threads (0 = all cores)", whole_number<int>(0, kMaxThreads)},
      {"--epochs", b.epochs, "override the schedule's epochs", whole_number<int>(0, 100000)},
      {"--train-limit", b.train_limit, "override the schedule's train_limit", whole_number<int>(0, 1'000'000'000)},
      {"--test-limit", b.test_limit, "override the schedule's test_limit", whole_number<int>(0, 1'000'000'000)},
      {"--save-weights", b.train.weights_path, "write the final weights (state dict) to this file"},
      {"--contiguous", o->contiguous, "NCHW instead of channels_last"},
      {"--json", o->json, "print the result as JSON"},
  };
  add_options(cmd, options);
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
