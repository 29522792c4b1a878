#include "core/stats/null_trajectory.hpp"

#include <algorithm>
#include <cstdlib>
#include <numeric>

#include "core/base/parallel.hpp"
#include "core/base/threads.hpp"

namespace regnet {

namespace {

// The lowest bit of a key says the sweep (0 = a, 1 = b). h: max over the pooled order of
// |c_a n_b/g - c_b n_a/g|; u: for each a, the b's below it.
RankStatistics rank_statistics(const std::vector<std::uint64_t>& sorted, const LookSize& s) {
  if (s.n_a == 0 || s.n_b == 0) return {};
  const long g = std::gcd(s.n_a, s.n_b);
  const long step_a = s.n_b / g, step_b = s.n_a / g;
  long pos = 0, h = 0, below_b = 0, u = 0;
  const long both = step_a + step_b;
  for (std::uint64_t v : sorted) {  // branch-free: the labels are coin flips a branch would mispredict
    const long is_b = static_cast<long>(v & 1);
    pos += step_a - is_b * both;
    h = std::max(h, std::labs(pos));
    u += (1 - is_b) * below_b;
    below_b += is_b;
  }
  return {h, u};
}

// out = merge of two sorted runs, without the data-dependent branch of std::merge.
void merge_into(const std::vector<std::uint64_t>& x, const std::vector<std::uint64_t>& y,
                std::vector<std::uint64_t>& out) {
  out.resize(x.size() + y.size());
  size_t i = 0, j = 0, k = 0;
  while (i < x.size() && j < y.size()) {
    const bool take_y = y[j] < x[i];
    out[k++] = take_y ? y[j] : x[i];
    j += take_y;
    i += !take_y;
  }
  std::copy(x.begin() + static_cast<long>(i), x.end(), out.begin() + static_cast<long>(k));
  std::copy(y.begin() + static_cast<long>(j), y.end(), out.begin() + static_cast<long>(k + x.size() - i));
}

}  // namespace

void NullTrajectory::run(const std::vector<LookSize>& sizes, std::uint64_t seed, RankStatistics* out) {
  rng_ = SplitMix64(seed);
  merged_.clear();
  LookSize before;
  for (size_t k = 0; k < sizes.size(); ++k) {
    out[k] = add_look(before, sizes[k]);
    before = sizes[k];
  }
}

RankStatistics NullTrajectory::add_look(const LookSize& from, const LookSize& to) {
  fresh_.clear();
  for (int i = from.n_a; i < to.n_a; ++i) fresh_.push_back(rng_.next() & ~std::uint64_t{1});
  for (int i = from.n_b; i < to.n_b; ++i) fresh_.push_back(rng_.next() | std::uint64_t{1});
  std::sort(fresh_.begin(), fresh_.end());
  merge_into(merged_, fresh_, next_);
  merged_.swap(next_);
  return rank_statistics(merged_, to);
}

std::uint64_t trajectory_seed(std::uint64_t seed, std::uint64_t s) {
  return SplitMix64(seed ^ (0xd1b54a32d192ed03ULL * (s + 1))).next();
}

std::vector<RankStatistics> simulate_null(const std::vector<LookSize>& sizes, int simulations, std::uint64_t seed) {
  const size_t looks = sizes.size(), total = static_cast<size_t>(simulations);
  std::vector<RankStatistics> out(total * looks);
  // Each trajectory has its own seed: the split over the pool's threads does not change the result.
  parallel_slices(static_cast<std::int64_t>(total), std::min(default_threads(0), 16),
                  [&](int, std::int64_t begin, std::int64_t end) {
                    NullTrajectory path;
                    for (auto s = static_cast<size_t>(begin); s < static_cast<size_t>(end); ++s)
                      path.run(sizes, trajectory_seed(seed, s), &out[s * looks]);
                  });
  return out;
}

}  // namespace regnet
