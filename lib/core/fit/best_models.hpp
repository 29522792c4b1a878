#pragma once
// The fit of a sweep's best models (docs/reference.md §7, docs/fit.md): the linear width fit of each of
// the top K models by error, a summary across them (median and bootstrap band), and the RegNet
// design space their fits suggest.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/model/width_fit.hpp"
#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/error_metric.hpp"

namespace regnet {

struct FittedModel {
  int id = 0;
  double error = 0;         // top-1 error in %, by the chosen metric
  Spec spec;                // as sampled
  std::vector<int> widths;  // observed per-block widths, block_widths(spec)
  WidthFit fit;
  RegNetWidths fitted;  // stages of the fitted RegNet (before group compatibility)
};

// Median across the top K, its 95% bootstrap band, and the range.
struct ParameterSummary {
  std::string name;  // d, w0, wa, wm, e_fit
  double median = 0, lo = 0, hi = 0;
  double min = 0, max = 0;
};

// The RegNet design space spanned by the fits of the top K (each range is [min, max] across them).
struct SuggestedSpace {
  int depth_min = 0, depth_max = 0;
  int w0_min = 0, w0_max = 0;
  double wa_min = 0, wa_max = 0;       // rounded outwards to 0.1
  double wm_min = 0, wm_max = 0;       // rounded outwards to 0.001
  int stages_min = 0, stages_max = 0;  // stage counts of the fitted RegNets
  std::vector<int> group_widths;       // distinct values among the top K
  std::vector<double> bottleneck_ratios;
  std::vector<double> se_ratios;
  std::vector<double> activations;  // indices into the activation row's words
};

struct FitOptions {
  int top = 20;
  ErrorMetric metric = ErrorMetric::best;
  FitGrid grid;
  int resamples = 10000;  // bootstrap of the medians
  std::uint64_t seed = 0;
};

struct SweepFit {
  std::string dir;
  ErrorMetric metric = ErrorMetric::best;
  int requested = 0;                      // K asked for
  int samples = 0;                        // sample records in the sweep
  int results = 0;                        // results written
  int done = 0;                           // status done with a finite error: the candidates
  std::vector<FittedModel> models;        // the top K (clamped to done), best first
  std::vector<ParameterSummary> summary;  // d, w0, wa, wm, e_fit
  SuggestedSpace suggested;
  std::vector<std::string> warnings;  // e.g. K clamped
};

// Reads DIR's samples and results. UserError when K < 1 or resamples < 1 (named --top,
// --resamples), or DIR holds no finished model; a K above the number of finished models is
// clamped, with a warning in the result.
SweepFit fit_sweep(const std::string& dir, const FitOptions& options = {});

// The default search grid with w0 up to `w0_max` (--w0-max); UserError outside [w0_min, kMaxFitW0]
// (the search's time grows with the number of w0: kMaxFitW0 keeps one fit within seconds).
constexpr int kMaxFitW0 = 65536;
FitGrid grid_up_to(int w0_max);

// The fit of one model (depth, w0, wa, wm, e_fit, predicted, the fitted stages), for `fit --widths`.
nlohmann::json to_json(const WidthFit& f);
nlohmann::json to_json(const SweepFit& r);

// RegNet parameters of a fitted model: the fitted d, w0, wa, wm; the model's most common group
// width and bottleneck ratio (ties: the smaller) and its SE ratio.
RegNetParams fitted_params(const FittedModel& m);

// A design-space file in the schema of configs/spaces/*.json (validated by space_from_json).
// `network` is the sweep's network object (sweep.json "network"); null takes the top model's.
DesignSpace suggested_space(const SweepFit& r, const std::string& name, const nlohmann::json& network = {});
// Its JSON (core/space's writer), checked to parse.
nlohmann::json suggested_space_json(const SweepFit& r, const std::string& name, const nlohmann::json& network = {});

// `fit --out-space FILE`: the suggested space named `name` (empty: FILE's stem) with the sweep's
// network, written atomically to FILE. An existing FILE is a UserError unless force (output_path.hpp).
void write_suggested_space(const SweepFit& r, const std::string& file, const std::string& name = "",
                           bool force = false);

// DIR/NNNNNN.json per top model: {"id", "error", "e_fit", "regnet", "spec", ...}, readable by
// `describe`. Creates DIR, which must be new or empty unless force; all files or none are written.
void write_fitted_specs(const SweepFit& r, const std::string& dir, bool force = false);

}  // namespace regnet
