// regnet-explore bench-train (hidden): trains one model with a schedule and prints its training
// throughput; scripts/bench-train.sh compares it with the same loop in PyTorch-Python.
#include <fmt/format.h>

#include <chrono>
#include <memory>

#include "commands.hpp"
#include "core/base/threads.hpp"
#include "core/run/schedule.hpp"
#include "core/space/model_source.hpp"
#include "number_options.hpp"
#include "output.hpp"
#include "train/data.hpp"
#include "train/trainer.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::string spec_file, data = "fashion-mnist", data_root, schedule = "fashion-mnist-short", device = "cpu",
                         save_weights;
  int threads = 0, epochs = 0, train_limit = -1, test_limit = -1;
  bool contiguous = false, json = false;
};

Schedule schedule_of(const Options& o) {
  Schedule sched = load_schedule(find_schedule(o.schedule, "--schedule"));
  if (o.epochs > 0) sched.epochs = o.epochs;
  if (o.train_limit >= 0) sched.train_limit = o.train_limit;
  if (o.test_limit >= 0) sched.test_limit = o.test_limit;
  return sched;
}

// Throughput: the mean over epochs of images trained per second of training (evaluation excluded).
double mean_images_per_second(const TrainResult& r) {
  double sum = 0;
  for (const auto& e : r.history) sum += e.images_per_second;
  return r.history.empty() ? 0 : sum / static_cast<double>(r.history.size());
}

void run(const Options& o) {
  const Spec spec = read_spec_file(o.spec_file);
  const Schedule sched = schedule_of(o);
  train::DataConfig dc;
  dc.source = o.data;
  dc.root = o.data_root;
  const auto t0 = std::chrono::steady_clock::now();
  auto data = train::open_dataset(dc);
  const double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  train::TrainOptions to;
  to.device = o.device;
  to.threads = o.threads;
  to.channels_last = !o.contiguous;
  to.weights_path = o.save_weights;
  ProgressLine progress;
  if (!o.json)
    to.on_progress = [&progress](const train::Progress& p) {
      progress(fmt::format("epoch {}/{} step {}/{}  {:.0f} img/s  loss {:.3f}  ETA {:.0f} s", p.epoch, p.epochs, p.step,
                           p.steps, p.images_per_second, p.loss, p.eta_seconds));
    };
  const TrainResult r = train::train_model(spec, *data, sched, to);
  progress.finish();
  const double total_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const double ips = mean_images_per_second(r);
  const nlohmann::json j{{"images_per_second", ips},
                         {"seconds", total_s},
                         {"load_seconds", load_s},
                         {"status", to_string(r.status)},
                         {"final_top1_err", r.final_top1_err},
                         {"device", r.device},
                         {"history", to_json(r)["history"]},
                         {"provenance", r.provenance}};
  print_result(o.json, j,
               fmt::format("{}: {:.0f} images/s training, {:.1f} s total ({:.1f} s loading data), top-1 error {:.2f}% "
                           "({})\n",
                           r.device, ips, total_s, load_s, r.final_top1_err, to_string(r.status)));
}

}  // namespace

void add_bench_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("bench-train", command_summary("bench-train"));
  cmd->group("");  // hidden
  cmd->add_option("--spec", o->spec_file, "spec JSON file (or a sample record)")->required();
  cmd->add_option("--data", o->data, "dataset name or directory")->capture_default_str();
  cmd->add_option("--data-root", o->data_root, "directory of a named dataset");
  cmd->add_option("--schedule", o->schedule, "schedule name or file")->capture_default_str();
  cmd->add_option("--device", o->device, "cpu, cuda, cuda:N, auto")->capture_default_str();
  cmd->add_option("--threads", o->threads, "CPU threads (0 = all cores)")->transform(whole_number<int>(0, kMaxThreads));
  cmd->add_option("--epochs", o->epochs, "override the schedule's epochs")->transform(whole_number<int>(0, 100000));
  cmd->add_option("--train-limit", o->train_limit, "override the schedule's train_limit")
      ->transform(whole_number<int>(0, 1'000'000'000));
  cmd->add_option("--test-limit", o->test_limit, "override the schedule's test_limit")
      ->transform(whole_number<int>(0, 1'000'000'000));
  cmd->add_option("--save-weights", o->save_weights, "write the final weights (state dict) to this file");
  cmd->add_flag("--contiguous", o->contiguous, "NCHW instead of channels_last");
  cmd->add_flag("--json", o->json, "print the result as JSON");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
