#pragma once
// The normalized EDF as NDS defines it (Radosavovic et al., "On Network Design Spaces for Visual
// Recognition", ICCV 2019, normalized comparisons; compute_norm_ws in its notebooks): every
// compared sample is binned over ONE complexity range, in K linear bins; models outside it are
// dropped; every bin of every sample must hold a model; a model of bin j weighs 1/(K m_j).
// Comparing the weighted EDFs then compares the samples at one complexity distribution (uniform
// over the bins).
// The per-sample primitives (bins over a given range, weights) are stats.hpp.
#include <optional>
#include <string>
#include <vector>

#include "core/stats/edf.hpp"

namespace regnet {

struct NdsOptions {
  int bins = 0;                        // K; 0: the largest K <= min(10, n/10) that leaves no bin of any
                                       // sample empty (n: the fewest models in range of any sample)
  std::optional<double> lo, hi;        // the shared range; a side not given: the intersection's
  bool log_bins = false;               // bins linear in log(complexity) instead (not NDS's choice)
  std::string measure = "complexity";  // names the values in messages: "flops", "params"
  std::string hint;                    // appended to the range errors, e.g. " or --normalize none"
};

struct NdsNormalization {
  int bins = 0;
  bool bins_auto = false;
  ComplexityRange range;    // the shared range, in complexity units
  bool range_auto = false;  // both sides from the intersection of the samples' ranges
  bool log_bins = false;
  std::vector<double> edges;  // the K + 1 bin edges, in complexity units
  // Per sample, per model: its bin (-1 outside the range) and weight (0 outside).
  std::vector<std::vector<int>> bin;
  std::vector<std::vector<double>> weights;
  std::vector<int> outside;  // per sample: models outside the range (dropped)
};

// The intersection of the samples' ranges: the largest minimum to the smallest maximum (may be
// empty: lo > hi).
ComplexityRange shared_range(const std::vector<std::vector<double>>& complexity);

// Normalizes every sample (none empty) over one range. names[i] names sample i in messages.
// UserError (--range) when the ranges do not overlap, the range is reversed, or it holds no model
// of some sample; (--bins) when an explicit K leaves a bin of a sample empty: names the sample,
// the bin and its range, and suggests the largest smaller K that leaves none.
NdsNormalization nds_normalize(const std::vector<std::vector<double>>& complexity,
                               const std::vector<std::string>& names, const NdsOptions& options);

// A complexity as messages and tables print it: "3.604M", "412k", "12.5" (4 significant digits).
std::string complexity_text(double v);

}  // namespace regnet
