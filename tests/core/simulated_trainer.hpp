#pragma once
// A trainer with a known truth, behind the training seam (core/run/batch_training.hpp's
// SweepsTrainer), for refine's tests and its benchmark only: a model's error is a fixed function of
// its architecture plus noise, so that which restrictions help, which are neutral and which hurt is
// known (docs/refine.md, "Proof with a known truth").
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "core/base/rng.hpp"
#include "core/run/batch_training.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/sample_states.hpp"

namespace regnet::testing {

// The truth, in error points. Tying b, or making the widths non-decreasing, helps; tying g or the
// depths changes nothing (neutral); non-increasing widths hurt.
struct SimulatedTruth {
  double base = 30;
  double per_extra_b = 1.5;         // each bottleneck-ratio value beyond the first among the stages
  double per_width_decrease = 1.5;  // each stage narrower than the one before it
  double noise_sd = 0.5;

  double error(const Spec& s) const {
    std::vector<double> b = s.bottleneck_ratios;
    std::sort(b.begin(), b.end());
    const auto distinct = std::unique(b.begin(), b.end()) - b.begin();
    int decreases = 0;
    for (size_t i = 1; i < s.widths.size(); ++i) decreases += s.widths[i] < s.widths[i - 1];
    return base + per_extra_b * static_cast<double>(distinct - 1) + per_width_decrease * decreases;
  }
};

// Writes a result for each requested id that has none: the truth plus normal noise, drawn from a
// hash of the sweep's last two path components, the id and `seed` (so two refine directories that
// make the same sweeps get the same errors). `stop_after` >= 0: after that many trainings the
// batch ends as interrupted, as a stop signal ends a real one.
struct SimulatedTrainer {
  SimulatedTruth truth;
  std::uint64_t seed = 1;
  int stop_after = -1;
  int trainings = 0;
  std::map<std::pair<std::string, int>, int> trained;  // (sweep, id) -> times trained

  static std::string key(const std::string& dir) {
    const std::filesystem::path p = std::filesystem::path(dir).lexically_normal();
    return (p.parent_path().filename() / p.filename()).string();
  }
  double noise(const std::string& dir, int id) const {
    std::uint64_t h = mix64(seed + static_cast<std::uint64_t>(id) * kGolden);
    for (char c : key(dir)) h = mix64(h ^ static_cast<unsigned char>(c));
    SplitMix64 rng(h);
    const double u1 = std::max(rng.uniform(), 1e-300), u2 = rng.uniform();
    return truth.noise_sd * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
  }

  BatchResult operator()(const std::vector<TrainingRequest>& requests) {
    BatchResult out;
    for (const auto& r : requests) {
      const std::vector<SampleRecord> samples = load_samples(r.sweep_dir);
      std::set<int> ids;
      if (r.ids.empty())
        for (const auto& s : samples) ids.insert(s.id);
      else
        for (int id : parse_id_list(r.ids, 1000000)) ids.insert(id);
      for (const auto& s : samples) {
        if (!ids.count(s.id) || load_result(r.sweep_dir, s.id)) continue;
        if (stop_after >= 0 && trainings >= stop_after) {
          out.interrupted = true;
          return out;
        }
        TrainResult res;
        res.id = s.id;
        res.final_top1_err = res.best_top1_err = truth.error(s.spec) + noise(r.sweep_dir, s.id);
        write_result(r.sweep_dir, res);
        ++trainings;
        ++trained[{key(r.sweep_dir), s.id}];
      }
    }
    return out;
  }
  SweepsTrainer seam() {
    return [this](const std::vector<TrainingRequest>& r) { return (*this)(r); };
  }
  int trained_twice() const {
    int n = 0;
    for (const auto& [k, times] : trained) n += times > 1;
    return n;
  }
};

}  // namespace regnet::testing
