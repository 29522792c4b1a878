#include "core/stats/nds_normalization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/base/error.hpp"
#include "core/base/text.hpp"

namespace regnet {

std::string complexity_text(double v) {
  struct Unit {
    double scale;
    const char* suffix;
  };
  constexpr Unit kUnits[] = {{1e12, "T"}, {1e9, "G"}, {1e6, "M"}, {1e3, "k"}};
  for (const auto& u : kUnits)
    if (std::fabs(v) >= u.scale) return significant(v / u.scale, 4) + u.suffix;
  return significant(v, 4);
}

ComplexityRange shared_range(const std::vector<std::vector<double>>& complexity) {
  ComplexityRange r{-std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity()};
  for (const auto& c : complexity) {
    const ComplexityRange own = range_of(c);
    r.lo = std::max(r.lo, own.lo);
    r.hi = std::min(r.hi, own.hi);
  }
  return r;
}

namespace {

std::string range_text(ComplexityRange r) { return "[" + complexity_text(r.lo) + ", " + complexity_text(r.hi) + "]"; }

// The samples' own ranges, for the message when they do not overlap: "xa 2M..3M, xb 4M..5M".
std::string ranges_text(const std::vector<std::vector<double>>& complexity, const std::vector<std::string>& names) {
  std::vector<std::string> parts;
  for (size_t i = 0; i < complexity.size(); ++i) {
    const ComplexityRange r = range_of(complexity[i]);
    parts.push_back(names[i] + " " + complexity_text(r.lo) + ".." + complexity_text(r.hi));
  }
  return join(parts, ", ");
}

// The shared range: the options' sides, the intersection's for the others.
ComplexityRange resolve_range(const std::vector<std::vector<double>>& complexity, const std::vector<std::string>& names,
                              const NdsOptions& opt) {
  const ComplexityRange meet = shared_range(complexity);
  const ComplexityRange r{opt.lo.value_or(meet.lo), opt.hi.value_or(meet.hi)};
  if (r.lo <= r.hi) return r;
  if (!opt.lo && !opt.hi)
    fail("", "--range",
         "the " + opt.measure + " ranges of the samples do not overlap (" + ranges_text(complexity, names) +
             "), so there is no shared range to normalize over; give one with --range LO:HI" + opt.hint);
  fail("", "--range",
       "the range " + complexity_text(r.lo) + ":" + complexity_text(r.hi) + " is empty (LO > HI; the " + opt.measure +
           " ranges of the samples are " + ranges_text(complexity, names) + ")");
}

// In log bins, the values and range binned are the logarithms.
std::vector<double> binned_values(const std::vector<double>& c, bool log_bins, const std::string& name) {
  if (!log_bins) return c;
  std::vector<double> out;
  out.reserve(c.size());
  for (double v : c) {
    if (!(v > 0))
      fail("", "--log-bins", name + " has a complexity of " + complexity_text(v) + " (log bins need values > 0)");
    out.push_back(std::log(v));
  }
  return out;
}

struct Binned {
  std::vector<std::vector<double>> values;  // per sample, as binned (logs with log bins)
  ComplexityRange range;                    // as binned
};

// The first (sample, bin) left empty by K bins, or (-1, -1).
std::pair<int, int> first_empty(const Binned& b, int bins) {
  for (size_t i = 0; i < b.values.size(); ++i) {
    const int j = first_empty_bin(complexity_bins(b.values[i], bins, b.range), bins);
    if (j >= 0) return {static_cast<int>(i), j};
  }
  return {-1, -1};
}

// The largest K <= max_bins that leaves no bin of any sample empty (0 if none does).
int max_shared_bins(const Binned& b, int max_bins) {
  for (int k = max_bins; k >= 1; --k)
    if (first_empty(b, k).first < 0) return k;
  return 0;
}

long models_in(const std::vector<double>& values, ComplexityRange r) {
  return std::count_if(values.begin(), values.end(), [&](double v) { return r.contains(v); });
}

void require_models_in_range(const Binned& b, const std::vector<std::vector<double>>& complexity,
                             const std::vector<std::string>& names, ComplexityRange range, const NdsOptions& opt) {
  for (size_t i = 0; i < b.values.size(); ++i)
    if (models_in(b.values[i], b.range) == 0)
      fail("", "--range",
           "the shared " + opt.measure + " range " + range_text(range) + " holds none of the " +
               std::to_string(complexity[i].size()) + " models of " + names[i] + " (its range " +
               complexity_text(range_of(complexity[i]).lo) + ".." + complexity_text(range_of(complexity[i]).hi) +
               "); give another --range LO:HI" + opt.hint);
}

int explicit_bins(const Binned& b, const std::vector<std::string>& names, const std::vector<double>& edges,
                  const NdsOptions& opt) {
  const auto [sample, bin] = first_empty(b, opt.bins);
  if (sample < 0) return opt.bins;
  const size_t i = static_cast<size_t>(sample);
  fail("", "--bins",
       std::to_string(opt.bins) + " " + opt.measure + " bins over the shared range [" + complexity_text(edges.front()) +
           ", " + complexity_text(edges.back()) + "] leave bin " + std::to_string(bin + 1) + " [" +
           complexity_text(edges[static_cast<size_t>(bin)]) + ", " +
           complexity_text(edges[static_cast<size_t>(bin) + 1]) + (bin + 1 == opt.bins ? "]" : ")") + " of " +
           names[i] + " empty (" + std::to_string(models_in(b.values[i], b.range)) + " of its " +
           std::to_string(b.values[i].size()) + " models are in the range); use a smaller --bins, e.g. " +
           std::to_string(std::max(1, max_shared_bins(b, opt.bins - 1))) + " (or 0 to choose automatically)");
}

int automatic_bins(const Binned& b) {
  long fewest = std::numeric_limits<long>::max();
  for (const auto& v : b.values) fewest = std::min(fewest, models_in(v, b.range));
  return max_shared_bins(b, static_cast<int>(std::clamp<long>(fewest / 10, 1, 10)));
}

// The edges in complexity units; with log bins exp(edge of the logs), the ends exactly the range's.
std::vector<double> edges_of(ComplexityRange range, ComplexityRange binned, int bins, bool log_bins) {
  std::vector<double> e;
  for (int j = 0; j <= bins; ++j) {
    const double x = bin_edge(binned, bins, j);
    e.push_back(!log_bins ? x : j == 0 ? range.lo : j == bins ? range.hi : std::exp(x));
  }
  return e;
}

}  // namespace

NdsNormalization nds_normalize(const std::vector<std::vector<double>>& complexity,
                               const std::vector<std::string>& names, const NdsOptions& opt) {
  if (names.size() != complexity.size()) throw std::logic_error("nds_normalize: one name per sample");
  if (opt.bins < 0) fail("", "--bins", std::to_string(opt.bins) + " must be >= 1 (or 0 to choose automatically)");
  NdsNormalization n;
  n.range = resolve_range(complexity, names, opt);
  n.range_auto = !opt.lo && !opt.hi;
  n.log_bins = opt.log_bins;
  Binned b;
  for (size_t i = 0; i < complexity.size(); ++i)
    b.values.push_back(binned_values(complexity[i], opt.log_bins, names[i]));
  if (opt.log_bins && !(n.range.lo > 0)) fail("", "--range", complexity_text(n.range.lo) + ": log bins need LO > 0");
  b.range = opt.log_bins ? ComplexityRange{std::log(n.range.lo), std::log(n.range.hi)} : n.range;
  require_models_in_range(b, complexity, names, n.range, opt);
  n.bins_auto = opt.bins == 0;
  n.bins = n.bins_auto ? automatic_bins(b)
                       : explicit_bins(b, names, edges_of(n.range, b.range, opt.bins, opt.log_bins), opt);
  n.edges = edges_of(n.range, b.range, n.bins, opt.log_bins);
  for (const auto& v : b.values) {
    n.bin.push_back(complexity_bins(v, n.bins, b.range));
    n.weights.push_back(bin_weights(n.bin.back(), n.bins));
    n.outside.push_back(static_cast<int>(std::count(n.bin.back().begin(), n.bin.back().end(), -1)));
  }
  return n;
}

}  // namespace regnet
