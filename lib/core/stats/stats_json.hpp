#pragma once
// The statistics' result values as JSON: what the hidden `stats` command prints, so that tests can
// compare them with scipy (tests/cli/stats_vs_scipy.sh). The analysis prints its own tables
// (core/report), with missing values as null.
#include <nlohmann/json.hpp>

#include "core/stats/difference.hpp"
#include "core/stats/edf.hpp"
#include "core/stats/ks.hpp"
#include "core/stats/ks_power.hpp"
#include "core/stats/nds_normalization.hpp"
#include "core/stats/rank_correlation.hpp"

namespace regnet {

nlohmann::json to_json(const KsResult& r);           // d, p_value, method
nlohmann::json to_json(const EdfCurve& c);           // curve_x, curve_y
nlohmann::json to_json(const BootstrapResult& r);    // median, lo, hi, resamples
nlohmann::json to_json(const Summary& s);            // n, min, mean, median, max
nlohmann::json to_json(const DifferenceBand& d);     // estimate, lo, hi
nlohmann::json to_json(const SampleDifferences& d);  // mean, median, m, expected_best, resamples
nlohmann::json to_json(const KsPower& p);            // needed, largest, n, power, repetitions
nlohmann::json to_json(const RankCorrelation& r);    // statistic, p_value, method
nlohmann::json to_json(const NdsNormalization& n);   // bins, range, bin_spacing, edges (and whether automatic)

}  // namespace regnet
