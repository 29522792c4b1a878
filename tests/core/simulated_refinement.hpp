#pragma once
// Refinements of AnyNetXA with the simulated trainer (simulated_trainer.hpp), for the error rates of
// refine --confirm: each run samples and trains an exploration sweep, then confirms three fixed
// proposals, one of each truth: tying b helps, tying g is neutral, non-increasing widths hurt.
// tests/core/test_refine_confirm.cpp runs a few; tests/bench/bench_refine.cpp (scripts/bench-refine.sh)
// runs hundreds.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "core/refine/confirmation.hpp"
#include "core/space/sample_sweep.hpp"
#include "core/stats/hodges_lehmann.hpp"
#include "simulated_trainer.hpp"

namespace regnet::testing {

inline const std::vector<std::string> kHelpful = {"tie-bottleneck_ratio"};
inline const std::vector<std::string> kNeutral = {"tie-group_width"};
inline const std::vector<std::string> kHarmful = {"order-width-non_increasing"};

// An exploration sweep of `space` (no window), n models, trained by `t`.
inline std::string trained_sweep(const std::string& dir, const DesignSpace& space, int n, std::uint64_t seed,
                                 SimulatedTrainer& t) {
  SampleRequest r;
  r.space = space.name;
  r.out = dir;
  r.n = n;
  r.seed = seed;
  SampleOptions so;
  so.n = n;
  so.seed = seed;
  so.threads = 1;
  const SampleResult s = sample_space(space, so);
  create_sweep(dir, sweep_json(r, space, space.network, s.stats, "2026-12-07T00:00:00Z"), s.samples);
  TrainingRequest tr;
  tr.sweep_dir = dir;
  t({tr});
  return dir;
}

inline ConfirmRequest simulated_request(const std::string& sweep, const std::string& out, double margin = 1.0) {
  ConfirmRequest r;
  r.sweep = sweep;
  r.out = out;
  r.proposals = {kHelpful[0], kNeutral[0], kHarmful[0]};
  r.candidates = 3;
  r.margin = margin;
  r.max_n = 64;
  r.simulations = 20000;
  r.train.threads = 1;
  r.explore.parent_draws = 300;
  r.explore.proposals.bootstrap = 100;
  r.explore.threads = 1;
  return r;
}

// The true shift (child minus parent, Hodges-Lehmann of the noisy errors) of each proposal, from
// `n` draws of each space.
inline double true_shift(const DesignSpace& parent, const DesignSpace& child, const SimulatedTruth& truth, int n) {
  SampleOptions so;
  so.n = n;
  so.seed = 777;
  so.threads = 1;
  std::vector<double> e[2];
  SimulatedTrainer noise;
  noise.truth = truth;
  int k = 0;
  for (const DesignSpace* s : {&child, &parent}) {
    for (const auto& r : sample_space(*s, so).samples)
      e[k].push_back(truth.error(r.spec) + noise.noise(k ? "p/p" : "c/c", r.id));
    ++k;
  }
  return hodges_lehmann(PairwiseDifferences(e[0], e[1]));
}

struct SimulationCounts {
  int runs = 0;
  int helpful_adopted = 0, helpful_better = 0;
  int neutral_equivalent = 0, neutral_better = 0, neutral_worse = 0;
  int harmful_adopted = 0, harmful_worse = 0;
  int any_false_claim = 0;  // a run with a neutral one called different, or a harmful one adopted
  int trainings = 0, trained_twice = 0;
  double seconds = 0;
};

// `runs` refinements in fresh directories under `root`, run i with exploration seed i + 1.
inline SimulationCounts simulate_refinements(const DesignSpace& space, const std::string& root, int runs,
                                             int explore_n = 48, double margin = 1.0) {
  SimulationCounts c;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    const std::string dir = root + "/run-" + std::to_string(i);
    SimulatedTrainer t;
    t.seed = 1000 + static_cast<std::uint64_t>(i);
    const std::string sweep = trained_sweep(dir + "/xa", space, explore_n, static_cast<std::uint64_t>(i) + 1, t);
    ConfirmRequest r = simulated_request(sweep, dir + "/refine", margin);
    r.seed = 100 + static_cast<std::uint64_t>(i);
    const Refinement out = run_refinement(r, t.seam());
    bool false_claim = false;
    for (const auto& d : out.steps.at(0).candidates) {
      if (d.id == kHelpful[0]) {
        c.helpful_adopted += adopted(d.adoption);
        c.helpful_better += d.adoption == Adoption::better;
      } else if (d.id == kNeutral[0]) {
        c.neutral_equivalent += d.adoption == Adoption::equivalent;
        c.neutral_better += d.adoption == Adoption::better;
        c.neutral_worse += d.adoption == Adoption::worse;
        false_claim |= d.adoption == Adoption::better || d.adoption == Adoption::worse;
      } else {
        c.harmful_adopted += adopted(d.adoption);
        c.harmful_worse += d.adoption == Adoption::worse;
        false_claim |= adopted(d.adoption);
      }
    }
    c.any_false_claim += false_claim;
    c.trainings += out.trainings;
    c.trained_twice += t.trained_twice();
    ++c.runs;
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  c.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return c;
}

// alpha + 3 standard errors of a rate over `runs`: what a rate <= alpha may show by chance.
inline double rate_limit(double alpha, int runs) { return alpha + 3 * std::sqrt(alpha * (1 - alpha) / runs); }

}  // namespace regnet::testing
