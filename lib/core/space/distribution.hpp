#pragma once
// One parameter's distribution (pycls's random types, docs/spaces.md): its draw from uniforms,
// and the probability of each value it can take, which a tie's exact conditional draw needs
// (core/space/sampler).
#include <utility>
#include <vector>

#include "core/base/rng.hpp"
#include "core/space/space.hpp"

namespace regnet {

// A distribution with its constants (the logarithms of a log-uniform range) computed once.
class PreparedDistribution {
 public:
  explicit PreparedDistribution(const Distribution& d);
  // One value; consumes one uniform (power2_or_log_uniform: two), as the format fixes.
  double draw(CounterRng& rng) const;
  // Every value draw() can return with its probability, ascending by value; empty for a
  // continuous distribution (q = 0), whose values each have probability 0.
  std::vector<std::pair<double, double>> probabilities() const;

 private:
  struct LogRange {
    double low = 0, high = 0, q = 0, a = 0, b = 0;
    LogRange() = default;
    LogRange(double low, double high, double q);
    double draw(double u) const;
    std::vector<std::pair<double, double>> probabilities() const;
  };
  Distribution d_;
  LogRange log_;  // log_uniform; the log-uniform part of power2_or_log_uniform
};

// `stages` draws of one distribution conditioned on all being equal (a tie, core/space/restriction):
// the common value v has probability p(v)^stages / Z, where Z = sum over v of p(v)^stages is the
// probability that the draws are equal. For stage counts min_stages..max_stages.
class TiedDraw {
 public:
  TiedDraw(const PreparedDistribution& d, int min_stages, int max_stages);
  double draw(int stages, double u) const;
  double equal_probability(int stages) const;  // Z

 private:
  std::vector<double> values_;
  std::vector<std::vector<double>> cdf_;  // per stage count: P(value <= values_[i])
  std::vector<double> z_;
  int min_stages_;
};

// One draw from a distribution given uniforms from rng (exposed for tests).
double draw(const Distribution& d, CounterRng& rng);

}  // namespace regnet
