#include "core/space/distribution.hpp"

// The draws are bit-identical on every machine: lib/core compiles with -ffp-contract=off.

#include <algorithm>
#include <cmath>
#include <map>

namespace regnet {

namespace {

// k*q written as the nearest double to its decimal value: 12.3, not 12.300000000000001.
double on_quantum(std::int64_t k, double q) {
  double scale = 1.0;
  for (int d = 0; d < 9; ++d, scale *= 10.0) {
    const double qs = q * scale;
    if (std::fabs(qs - std::nearbyint(qs)) < 1e-9 * qs) break;
  }
  return std::nearbyint(static_cast<double>(k) * q * scale) / scale;
}

std::int64_t grid(double x, double q) { return static_cast<std::int64_t>(std::llround(x / q)); }

double draw_uniform(double low, double high, double q, double u) {
  if (q <= 0) return low + u * (high - low);
  const std::int64_t lo = grid(low, q), hi = grid(high, q);
  const std::int64_t k = std::min(hi, lo + static_cast<std::int64_t>(std::floor(u * static_cast<double>(hi - lo + 1))));
  return on_quantum(k, q);
}

// Uniform over the powers of two in [low, high].
double draw_power2(double low, double high, double u) {
  const int lo = std::ilogb(low), hi = std::ilogb(high);
  const int e = std::min(hi, lo + static_cast<int>(std::floor(u * (hi - lo + 1))));
  return std::ldexp(1.0, e);
}

using Probabilities = std::vector<std::pair<double, double>>;

Probabilities equally_likely(const std::vector<double>& values) {
  std::map<double, double> p;
  for (double v : values) p[v] += 1.0 / static_cast<double>(values.size());
  return {p.begin(), p.end()};
}

std::vector<double> uniform_grid(double low, double high, double q) {
  std::vector<double> v;
  for (std::int64_t k = grid(low, q); k <= grid(high, q); ++k) v.push_back(on_quantum(k, q));
  return v;
}

std::vector<double> powers_of_two(double low, double high) {
  std::vector<double> v;
  for (int e = std::ilogb(low); e <= std::ilogb(high); ++e) v.push_back(std::ldexp(1.0, e));
  return v;
}

}  // namespace

// pycls: f log-uniform in (low - q*, high] with q* = min(q, low/2), then ceil to the quantum.
// The logarithms of the range ends are computed once per distribution.
PreparedDistribution::LogRange::LogRange(double low_, double high_, double q_) : low(low_), high(high_), q(q_) {
  a = det_log(q > 0 ? low - std::min(q, low / 2) : low);
  b = det_log(high);
}

double PreparedDistribution::LogRange::draw(double u) const {
  if (q <= 0) return std::min(high, std::max(low, det_exp(a + u * (b - a))));
  const double f = det_exp(b - u * (b - a));
  const std::int64_t k = std::clamp(static_cast<std::int64_t>(std::ceil(f / q)), grid(low, q), grid(high, q));
  return on_quantum(k, q);
}

// f = exp(b - u (b - a)) has P(f <= x) = (ln x - a) / (b - a); value k q takes f in ((k-1) q, k q],
// the lowest value also what lies below it and the highest what lies above.
std::vector<std::pair<double, double>> PreparedDistribution::LogRange::probabilities() const {
  if (q <= 0) return {};
  auto cdf = [&](double x) { return x <= 0 ? 0.0 : std::clamp((std::log(x) - a) / (b - a), 0.0, 1.0); };
  const std::int64_t lo = grid(low, q), hi = grid(high, q);
  Probabilities p;
  for (std::int64_t k = lo; k <= hi; ++k) {
    const double below = k == lo ? 0.0 : cdf(static_cast<double>(k - 1) * q);
    const double upto = k == hi ? 1.0 : cdf(static_cast<double>(k) * q);
    if (upto > below) p.emplace_back(on_quantum(k, q), upto - below);
  }
  return p;
}

PreparedDistribution::PreparedDistribution(const Distribution& dist) : d_(dist) {
  if (d_.kind == DistKind::log_uniform) log_ = LogRange(d_.low, d_.high, d_.q);
  if (d_.kind == DistKind::power2_or_log_uniform && d_.high >= d_.q)
    log_ = LogRange(std::max(d_.low, d_.q), d_.high, std::min(d_.high, d_.q));
}

double PreparedDistribution::draw(CounterRng& rng) const {
  switch (d_.kind) {
    case DistKind::fixed: return d_.values.at(0);
    case DistKind::choice: {
      const size_t n = d_.values.size();
      return d_.values[std::min(n - 1, static_cast<size_t>(std::floor(rng.uniform() * static_cast<double>(n))))];
    }
    case DistKind::uniform: return draw_uniform(d_.low, d_.high, d_.q, rng.uniform());
    case DistKind::log_uniform: return log_.draw(rng.uniform());
    case DistKind::power2: return draw_power2(d_.low, d_.high, rng.uniform());
    case DistKind::power2_or_log_uniform: {
      // pycls: a power of two from [low, high]; if it reaches q, a log-uniform multiple of q
      // from [max(low, q), high] instead. Both uniforms are always drawn.
      const double u1 = rng.uniform(), u2 = rng.uniform();
      const double f = draw_power2(d_.low, d_.high, u1);
      return f < d_.q ? f : log_.draw(u2);
    }
  }
  return 0.0;
}

std::vector<std::pair<double, double>> PreparedDistribution::probabilities() const {
  switch (d_.kind) {
    case DistKind::fixed: return {{d_.values.at(0), 1.0}};
    case DistKind::choice: return equally_likely(d_.values);
    case DistKind::uniform: return d_.q > 0 ? equally_likely(uniform_grid(d_.low, d_.high, d_.q)) : Probabilities{};
    case DistKind::log_uniform: return log_.probabilities();
    case DistKind::power2: return equally_likely(powers_of_two(d_.low, d_.high));
    case DistKind::power2_or_log_uniform: {
      // Each power of two below q keeps its share; the others' share goes to the log-uniform part.
      const std::vector<double> powers = powers_of_two(d_.low, d_.high);
      const double share = 1.0 / static_cast<double>(powers.size());
      std::map<double, double> p;
      double rest = 0;
      for (double f : powers) (f < d_.q ? p[f] : rest) += share;
      if (rest > 0)
        for (const auto& [v, pv] : log_.probabilities()) p[v] += rest * pv;
      return {p.begin(), p.end()};
    }
  }
  return {};
}

TiedDraw::TiedDraw(const PreparedDistribution& d, int min_stages, int max_stages) : min_stages_(min_stages) {
  const auto p = d.probabilities();
  for (const auto& vp : p) values_.push_back(vp.first);
  for (int s = min_stages; s <= max_stages; ++s) {
    std::vector<double> cdf;
    double z = 0;
    for (const auto& vp : p) cdf.push_back(z += std::pow(vp.second, s));
    for (double& c : cdf) c /= z;
    cdf_.push_back(std::move(cdf));
    z_.push_back(z);
  }
}

double TiedDraw::draw(int stages, double u) const {
  const auto& cdf = cdf_.at(static_cast<size_t>(stages - min_stages_));
  const size_t i = static_cast<size_t>(std::upper_bound(cdf.begin(), cdf.end(), u) - cdf.begin());
  return values_[std::min(i, values_.size() - 1)];
}

double TiedDraw::equal_probability(int stages) const { return z_.at(static_cast<size_t>(stages - min_stages_)); }

double draw(const Distribution& d, CounterRng& rng) { return PreparedDistribution(d).draw(rng); }

}  // namespace regnet
