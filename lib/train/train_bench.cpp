#include "train/train_bench.hpp"

#include <fmt/format.h>

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/space/model_source.hpp"

namespace regnet::train {

namespace {

Schedule schedule_of(const TrainBenchOptions& o) {
  Schedule sched = load_schedule(find_schedule(o.schedule, "--schedule"));
  if (o.epochs > 0) sched.epochs = o.epochs;
  if (o.train_limit >= 0) sched.train_limit = o.train_limit;
  if (o.test_limit >= 0) sched.test_limit = o.test_limit;
  return sched;
}

double mean_images_per_second(const TrainResult& r) {
  double sum = 0;
  for (const auto& e : r.history) sum += e.images_per_second;
  return r.history.empty() ? 0 : sum / static_cast<double>(r.history.size());
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TrainBenchResult bench_training(const TrainBenchOptions& o) {
  const Spec spec = read_spec_file(o.spec_file);
  const Schedule sched = schedule_of(o);
  const auto t0 = std::chrono::steady_clock::now();
  auto data = open_dataset(o.data);
  TrainBenchResult b;
  b.load_seconds = seconds_since(t0);
  b.result = train_model(spec, *data, sched, o.train);
  b.seconds = seconds_since(t0);
  b.images_per_second = mean_images_per_second(b.result);
  return b;
}

nlohmann::json to_json(const TrainBenchResult& b) {
  const TrainResult& r = b.result;
  return {{"images_per_second", b.images_per_second}, {"seconds", b.seconds},
          {"load_seconds", b.load_seconds},           {"status", to_string(r.status)},
          {"final_top1_err", r.final_top1_err},       {"device", r.device},
          {"history", regnet::to_json(r)["history"]}, {"provenance", r.provenance}};
}

std::string to_text(const TrainBenchResult& b) {
  const TrainResult& r = b.result;
  return fmt::format("{}: {:.0f} images/s training, {:.1f} s total ({:.1f} s loading data), top-1 error {:.2f}% ({})\n",
                     r.device, b.images_per_second, b.seconds, b.load_seconds, r.final_top1_err, to_string(r.status));
}

std::string progress_text(const Progress& p) {
  return fmt::format("epoch {}/{} step {}/{}  {:.0f} img/s  loss {:.3f}  ETA {:.0f} s", p.epoch, p.epochs, p.step,
                     p.steps, p.images_per_second, p.loss, p.eta_seconds);
}

}  // namespace regnet::train
