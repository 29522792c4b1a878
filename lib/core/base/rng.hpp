#pragma once
// Every random-number generator of the project, and the arithmetic its draws rely on: the same raw
// 64-bit streams and the same draws on every platform (std:: distributions are implementation-defined,
// libm's exp/log may differ in the last bit between CPUs, so neither is used for draws).
//   SplitMix64  one seeded stream: resampling (bootstrap, permutations), data order and augmentation
//   CounterRng  the stream of one sampling attempt, a pure function of (seed, attempt)
#include <cstdint>

namespace regnet {

inline constexpr std::uint64_t kGolden = 0x9E3779B97F4A7C15ULL;  // 2^64 / golden ratio: splitmix64's step

// splitmix64's output function: a bijective 64-bit mix (Stafford's variant 13).
constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// SplitMix64 (Steele, Lea, Flood 2014): passes BigCrush, one 64-bit word of state.
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() { return mix64(state_ += kGolden); }
  // Uniform integer in [0, n), n >= 1, without modulo bias (Lemire's multiply-and-reject).
  std::uint64_t below(std::uint64_t n) {
    unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
    auto low = static_cast<std::uint64_t>(m);
    if (low < n) {
      const std::uint64_t threshold = (0 - n) % n;
      while (low < threshold) {
        m = static_cast<unsigned __int128>(next()) * n;
        low = static_cast<std::uint64_t>(m);
      }
    }
    return static_cast<std::uint64_t>(m >> 64);
  }
  // Uniform in [0, 1) from the top 53 bits: one next() per call.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // floor(uniform() * n) for n >= 1: one next() per call, bias below 2^-53 * n. The dataset's
  // shuffles and crops use it (their streams predate below(); changing would reorder every epoch).
  std::int64_t scaled_below(std::int64_t n) { return static_cast<std::int64_t>(uniform() * static_cast<double>(n)); }

 private:
  std::uint64_t state_;
};

// The generator of sampling attempt `attempt` under `seed`: its k-th draw is a pure function of
// (seed, attempt, k), so attempts can be evaluated on any thread in any order.
class CounterRng : public SplitMix64 {
 public:
  CounterRng(std::uint64_t seed, std::uint64_t attempt)
      : SplitMix64(mix64(mix64(seed + kGolden) ^ mix64(attempt * kGolden + 0xD1B54A32D192ED03ULL))) {}
};

// ln x (x > 0) and e^y using only IEEE +, -, *, / and exact frexp/ldexp/nearbyint, compiled without
// fused multiply-add: the same bits on every machine (rng.cpp).
double det_log(double x);
double det_exp(double y);

}  // namespace regnet
