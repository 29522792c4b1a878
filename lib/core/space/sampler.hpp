#pragma once
// Rejection sampling of models from a design space into a complexity window (the paper's §3: n models per space in a
// flops range).
//
// Determinism: attempt i draws only from a counter-based generator keyed by (seed, i), with
// arithmetic that is exact or uses our own exp/log (core/rng.hpp: no libm, no std:: distributions), and
// attempts are accepted in index order. The samples are therefore the same on any number of
// threads and any machine. Threads evaluate chunks of attempts in parallel.
//
// One attempt: draw every parameter (docs/spaces.md gives the order) -> build the spec
// (RegNet: generate widths, reject a wrong stage count) -> group-width compatibility (pycls)
// -> monotonic constraints on the final spec -> complexity -> window -> drop duplicates.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/base/rng.hpp"
#include "core/base/units.hpp"
#include "core/model/complexity.hpp"
#include "core/space/distribution.hpp"
#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

struct ComplexityWindow {
  Window flops, params, acts;  // each optional (open)
  bool contains(const Complexity& c) const {
    return flops.contains(c.flops) && params.contains(c.params) && acts.contains(c.acts);
  }
};

struct SampleProgress {
  std::int64_t attempts = 0;
  int accepted = 0;
  int wanted = 0;
  double seconds = 0;
};

struct SampleOptions {
  int n = 500;
  std::uint64_t seed = 1;
  ComplexityWindow window;
  std::int64_t max_attempts = 10'000'000;               // over all samples
  int threads = 0;                                      // 0: every available core (core/threads.hpp)
  std::function<void(const SampleProgress&)> progress;  // after each chunk, on the calling thread
};

struct SampleStats {
  std::int64_t attempts = 0;  // up to the attempt that completed the set (or the cap)
  std::int64_t accepted = 0;
  std::int64_t rejected_stages = 0;       // RegNet: generated stage count not allowed
  std::int64_t rejected_constraints = 0;  // monotonic constraints
  std::int64_t rejected_window = 0;       // complexity outside the window
  std::int64_t duplicates = 0;            // same spec as an earlier sample
  double rate() const { return attempts ? static_cast<double>(accepted) / static_cast<double>(attempts) : 0.0; }
};

struct SampleResult {
  std::vector<SampleRecord> samples;  // ids 0..n-1 in attempt order
  SampleStats stats;
  bool complete = false;  // false: max_attempts ran out first
};

// Network options of the space, as the sampler uses them (the caller overrides space.network).
SampleResult sample_space(const DesignSpace& space, const SampleOptions& options);

// The outcome of one attempt, without the duplicate check.
enum class Verdict { accepted, stages, constraint, window };
struct Candidate {
  Verdict verdict = Verdict::accepted;
  SampleRecord record;  // spec, complexity, regnet, draw (id 0); spec/draw set unless verdict == stages
};
Candidate draw_candidate(const DesignSpace& space, std::uint64_t seed, std::uint64_t attempt,
                         const ComplexityWindow& window = {});

// True if the spec satisfies every monotonic constraint of the space.
bool satisfies_constraints(const DesignSpace& space, const Spec& spec);

}  // namespace regnet
