#pragma once
// Simulated H0 trajectories of a group-sequential comparison of two sweeps (docs/statistics.md,
// "Boundaries"): under H0 with continuous errors the pooled errors are exchangeable, so every rank
// statistic of the looks' prefixes depends only on how the two samples interleave, a uniformly
// random order. One trajectory draws that order look by look and reads off, per look, the KS
// lattice distance and the Mann-Whitney count; the boundaries of sequential_design and
// three_way_design are quantiles of many such trajectories.
#include <cstdint>
#include <vector>

#include "core/base/rng.hpp"
#include "core/stats/sequential_design.hpp"

namespace regnet {

// The rank statistics of one look: h = D lcm(n_a, n_b), the KS lattice distance, and
// u = #{(i, j): a_i > b_j}, the Mann-Whitney count of the pairs where a's error is the higher.
struct RankStatistics {
  long h = 0;
  long u = 0;
};

// One H0 trajectory: random 64-bit keys stand for the errors (ties have probability ~N^2/2^64),
// drawn look by look in a fixed order, so look k depends only on the sizes up to k.
class NullTrajectory {
 public:
  // The statistics of looks 1..sizes.size() into out[0..), drawn afresh from `seed`.
  void run(const std::vector<LookSize>& sizes, std::uint64_t seed, RankStatistics* out);

 private:
  RankStatistics add_look(const LookSize& from, const LookSize& to);

  SplitMix64 rng_{0};
  std::vector<std::uint64_t> merged_, fresh_, next_;
};

// Trajectory s of the simulation seeded `seed`: independent streams, so any subset can be drawn
// alone, on any thread.
std::uint64_t trajectory_seed(std::uint64_t seed, std::uint64_t s);

// The statistics of every trajectory, row-major (trajectory, look), spread over up to 16 threads;
// the result does not depend on the thread count.
std::vector<RankStatistics> simulate_null(const std::vector<LookSize>& sizes, int simulations, std::uint64_t seed);

}  // namespace regnet
