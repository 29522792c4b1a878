#pragma once
// The numbers behind `analyze` (docs/reference.md §6): per-sweep counts and error summaries, error EDFs
// (plain with DKW bands, and complexity-normalized over one shared range as NDS defines it),
// pairwise two-sample KS tests, per pair the bootstrap intervals of the differences and the KS
// power, the empirical bootstrap of the best value of each parameter, random-search efficiency,
// width fits of the best and worst models, and trends of the best values across regimes. No
// number depends on the order of the sweeps. Pure computation: the figures are built
// by analysis_figures.hpp, the page by html_report.hpp, the terminal tables by terminal_summary.hpp.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/base/units.hpp"
#include "core/model/width_fit.hpp"
#include "core/report/analysis_parameters.hpp"
#include "core/stats/difference.hpp"
#include "core/stats/edf.hpp"
#include "core/stats/ks.hpp"
#include "core/stats/ks_power.hpp"
#include "core/sweep/error_metric.hpp"
#include "core/sweep/reader.hpp"

namespace regnet {

// NDS normalization of the EDF by a complexity measure (or none).
enum class Normalization { none, flops, params };
std::string to_string(Normalization n);
Normalization normalization_from_string(const std::string& s, const std::string& where = "");

struct ParameterBootstrap {
  Parameter parameter;
  BootstrapResult best;         // median and 95% interval of the best model's value
  double x_min = 0, x_max = 0;  // range of the parameter in the sweep
  bool constant = false;        // one value for every model (nothing to learn)
};

// The best or worst model of a sweep with the linear fit of its per-block widths (Fig. 6, 8).
struct ModelWidthFit {
  int id = 0;
  double error = 0;
  std::vector<int> widths;  // observed per-block widths
  WidthFit fit;
};

struct SweepAnalysis {
  std::string name, dir, dataset;
  nlohmann::json sweep_json = nlohmann::json::object();
  std::uint64_t identity = 0;  // sweep_identity: what its random streams are seeded from
  SweepCounts counts;
  std::vector<ModelPoint> models;
  std::vector<SampleRow> rows;        // every sample, for models.csv
  Summary error;                      // of the analyzed models
  EdfCurve edf;                       // plain error EDF
  double edf_band = 0;                // half-width of its 95% DKW band (n models)
  EdfCurve normalized_edf;            // of the models in the shared range; empty unless normalized
  double normalized_edf_band = 0;     // its DKW half-width at the Kish effective n (approximate)
  std::vector<double> weights;        // normalized weight per model (0 outside the range); empty unless normalized
  int outside_range = 0;              // models outside the shared range: left out of the normalized EDF and KS
  std::vector<int> best_of_m;         // m = 1, 2, 4, ... <= n
  std::vector<double> expected_best;  // expected best error among m random models
  std::vector<ParameterBootstrap> bootstrap;  // in parameters_of order
  std::optional<ModelWidthFit> best, worst;
  double median_flops = 0;  // the regime's position on trend plots (MF)
};

// Pairwise KS D and p-value; NaN when either sweep has no finished model.
struct KsTable {
  std::vector<std::string> names;
  std::vector<std::vector<KsResult>> plain;       // [i][j], symmetric, diagonal D = 0
  std::vector<std::vector<KsResult>> normalized;  // empty unless normalized
};

// The best value of one parameter across regimes (Fig. 11): one point per sweep that has it,
// ordered by the sweep's median flops.
struct RegimeTrend {
  Parameter parameter;
  std::vector<std::string> sweeps;
  std::vector<int> sweep_index;  // position in Analysis::sweeps (for its color)
  std::vector<double> flops;     // median flops of each sweep (MF)
  std::vector<BootstrapResult> best;
};

// A compare directory among analyze's arguments: its compare.json, as compare last wrote it.
struct CompareRecord {
  std::string dir;
  nlohmann::json json;
  std::string forecast;  // with a margin: the planner's table from what is trained (compare --plan), or why none
};

// A refine directory among analyze's arguments: its refine.json, as refine last wrote it.
struct RefineRecord {
  std::string dir;
  nlohmann::json json;
  std::vector<nlohmann::json> explorations;  // per step: its exploration's ranked table (null when absent)
};

// A pair of analyzed sweeps (a before b on the command line): how sure their difference is.
struct PairAnalysis {
  size_t a = 0, b = 0;           // indices into Analysis::sweeps
  SampleDifferences difference;  // b - a: mean, median, expected best of m, bootstrap 95% intervals
  KsPower power;                 // models per space the KS test needs to detect the difference
};

struct AnalyzeOptions {
  ErrorMetric metric = ErrorMetric::best;
  Normalization normalization = Normalization::flops;
  int bins = 0;                  // 0: the largest K <= min(10, n/10) with no empty bin in any sweep
  Window range;                  // the shared normalization range; a side not given: the intersection's
  bool log_bins = false;         // bins linear in log(complexity) (NDS uses linear bins)
  double alpha = 0.05;           // of the KS power estimate and the EDF bands (1 - alpha)
  int power_repetitions = 1000;  // resampled KS tests per sample size of the power estimate
  int resamples = 10000;         // bootstrap repetitions
  double fraction = 0.25;        // bootstrap resample size as a fraction of n
  std::uint64_t seed = 0;
  int threads = 0;                                   // 0: default_threads (all available cores)
  std::function<void(const std::string&)> progress;  // one line per step; may be empty
};

struct Analysis {
  ErrorMetric metric = ErrorMetric::best;
  Normalization normalization = Normalization::none;  // none when it was skipped
  int bins = 0;
  bool bins_auto = false;
  ComplexityRange range;    // the shared normalization range (flops or params)
  bool range_auto = false;  // the intersection of the sweeps' ranges
  bool log_bins = false;
  std::vector<double> bin_edges;  // K + 1 edges
  double alpha = 0.05;
  int resamples = 0;
  double fraction = 0.25;
  std::uint64_t seed = 0;
  std::vector<SweepAnalysis> sweeps;
  KsTable ks;
  std::vector<PairAnalysis> pairs;      // every pair of analyzed sweeps, in command-line order
  std::vector<RegimeTrend> trends;      // only with more than one analyzed sweep
  std::vector<CompareRecord> compares;  // compare directories given to analyze, in order
  std::vector<RefineRecord> refines;    // refine directories given to analyze, in order
  std::vector<std::string> warnings;    // partial sweeps, mixed datasets, skipped steps
};

// Throws UserError when no sweep has a finished model, when the sweeps' complexity ranges do not
// overlap (or --range holds no model of one), or when an explicit bin count leaves a bin empty
// (naming the sweep and suggesting a smaller K). Deterministic in options.seed and each sweep's
// identity, whatever the thread count or the order of the sweeps.
Analysis analyze(const std::vector<SweepData>& sweeps, const AnalyzeOptions& options);

// UserError naming the option: --bins < 0, --bootstrap < 0, --alpha outside (0, 1), --threads < 0,
// --names not one per sweep.
void check_analyze_options(const std::vector<std::string>& dirs, const std::vector<std::string>& names,
                           const AnalyzeOptions& options);
// Checks the options, then reads each sweep under its legend name (legend_names), in parallel; a
// compare directory stands for its sweeps (expand_compare_dirs).
std::vector<SweepData> read_sweeps(const std::vector<std::string>& dirs, const std::vector<std::string>& names,
                                   const AnalyzeOptions& options);
// The compare.json of each compare directory among `dirs`, in order (for the report's compare section).
std::vector<CompareRecord> read_compare_records(const std::vector<std::string>& dirs);
// What `analyze DIR...` computes: read_sweeps, then analyze(), and the compare records.
Analysis analyze_sweeps(const std::vector<std::string>& dirs, const std::vector<std::string>& names,
                        const AnalyzeOptions& options);

// The parameters of every analyzed sweep, merged, in parameter_order.
std::vector<Parameter> parameters_of(const Analysis& a);
// The bootstrap of parameter `key` in sweep `s`; null when the sweep does not have it.
const ParameterBootstrap* find_bootstrap(const SweepAnalysis& s, const std::string& key);
// The analyzed sweeps (those with finished models) by median flops: the regimes of the trends.
std::vector<const SweepAnalysis*> regimes(const Analysis& a);

// The errors (and normalized weights) of a sweep's models inside the shared range.
struct WeightedErrors {
  std::vector<double> errors, weights;
};
WeightedErrors normalized_sample(const SweepAnalysis& s);

// How the EDFs were normalized: "by flops over [2.1M, 4.9M] (the intersection of the sweeps'
// ranges), K = 2 linear bins (automatic)"; "" when they were not.
std::string normalization_text(const Analysis& a);

// The summary tables (counts, error summary, KS, pairs, best values, random search, fits, trends).
nlohmann::json to_json(const Analysis& a);

}  // namespace regnet
