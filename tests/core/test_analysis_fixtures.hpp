#pragma once
// Synthetic sweeps for the analysis/report/fit tests: real sweep directories (create_sweep +
// write_result) whose made-up errors follow a known trend, so no training is needed.
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "core/model/complexity.hpp"
#include "core/model/regnet.hpp"
#include "core/report/analysis.hpp"
#include "core/sweep/directory.hpp"

namespace regnet::testing {

// A fresh directory under the system temp dir, removed with the object.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    static std::atomic<int> counter{0};
    path = std::filesystem::temp_directory_path() /
           ("regnet-analysis-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::filesystem::remove_all(path);
    std::filesystem::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

// RegNet sample i: depth 12..28, w0, wa, wm varied deterministically; 4 stages or not, as generated.
inline SampleRecord regnet_sample(int i) {
  RegNetParams p;
  p.depth = 12 + (i * 5) % 17;
  p.w0 = 8.0 * (3 + (i * 3) % 7);
  p.wa = 8.0 + (i * 7) % 40;
  p.wm = 2.0 + 0.05 * (i % 10);
  p.group_width = 8;
  p.bottleneck_ratio = 1.0;
  SampleRecord r;
  r.id = i;
  r.spec = regnet_spec(p);
  r.complexity = complexity(r.spec);
  r.regnet = p;
  r.draw = {{"depth", p.depth}, {"w0", p.w0}, {"wa", p.wa}, {"wm", p.wm}};
  return r;
}

inline TrainResult done_result(int id, double error, const std::string& dataset = "fashion-mnist") {
  TrainResult r;
  r.id = id;
  r.status = RunStatus::done;
  r.best_top1_err = error;
  r.final_top1_err = error + 1.0;  // the last epoch is a little worse than the best
  r.best_top5_err = error / 3;
  r.final_top5_err = error / 3;
  r.best_epoch = 5;
  r.device = "cpu";
  r.provenance = {{"dataset", {{"name", dataset}}}};
  return r;
}

// The known trend: error grows with |depth - 20| (the best depth is 20), plus a small
// deterministic jitter that breaks ties.
inline double trend_error(const SampleRecord& s, double offset = 30.0) {
  return offset + std::fabs(s.regnet->depth - 20) + 0.01 * (s.id % 7);
}

// Writes a RegNet sweep of n samples at `dir`; results for the first `trained` ids, each with
// error `error_of(sample)`.
inline void write_regnet_sweep(const std::string& dir, int n, int trained,
                               const std::function<double(const SampleRecord&)>& error_of,
                               const std::string& dataset = "fashion-mnist") {
  std::vector<SampleRecord> samples;
  for (int i = 0; i < n; ++i) samples.push_back(regnet_sample(i));
  nlohmann::json sweep{{"format_version", kSweepFormatVersion},
                       {"command", "sample"},
                       {"request", {{"space", "RegNetX"}, {"n", n}, {"flops", "any"}, {"seed", 1}}},
                       {"seed", 1}};
  create_sweep(dir, sweep, samples);
  for (int i = 0; i < trained && i < n; ++i) write_result(dir, done_result(i, error_of(samples[i]), dataset));
}

// Two analyzed RegNet sweeps, "xa" (40 of 40 trained) and "x b" (30 of 40, 3 points worse), with
// 500 bootstrap resamples: what the figure and report tests draw.
inline Analysis two_regnet_sweeps(const TempDir& t) {
  write_regnet_sweep(t / "xa", 40, 40, [](const SampleRecord& s) { return trend_error(s, 30); });
  write_regnet_sweep(t / "xb", 40, 30, [](const SampleRecord& s) { return trend_error(s, 33); });
  AnalyzeOptions o;
  o.resamples = 500;
  return analyze(
      {load_sweep_data(t / "xa", "xa", ErrorMetric::best), load_sweep_data(t / "xb", "x b", ErrorMetric::best)}, o);
}

}  // namespace regnet::testing
