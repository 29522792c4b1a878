#pragma once
// Samples compared at one complexity distribution (NDS, nds_normalization.hpp): with each
// sample's errors, its weighted EDF and the curve of its models inside the shared range, and the
// normalized KS test of every pair (the models outside the range left out). What `stats nds`
// computes, so that tests can compare the normalization with NDS's notebooks and scipy.
#include <nlohmann/json.hpp>
#include <vector>

#include "core/stats/ks.hpp"
#include "core/stats/nds_normalization.hpp"

namespace regnet {

struct NdsComparison {
  NdsNormalization normalization;
  // With errors, per sample: its weighted EDF (at `at`, else at its own errors) and its curve.
  std::vector<std::vector<double>> weighted_edf;
  std::vector<EdfCurve> curves;
  struct Pair {
    size_t a = 0, b = 0;
    KsResult ks;
  };
  std::vector<Pair> pairs;  // with errors of two or more samples
};

// complexity and errors: one list per sample (errors: none, or one per model of every sample);
// sample i is named "sample i+1" in messages. UserError (--errors) when the errors do not match.
NdsComparison nds_compare(const std::vector<std::vector<double>>& complexity,
                          const std::vector<std::vector<double>>& errors, const NdsOptions& options,
                          const std::vector<double>& at = {});

// The normalization's fields (stats_json.hpp), and per sample its bin, weights, outside [, weighted_edf,
// curve_x, curve_y]; "ks": the pairs.
nlohmann::json to_json(const NdsComparison& c);

}  // namespace regnet
