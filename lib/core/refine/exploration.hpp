#pragma once
// `refine SWEEP` without --confirm (docs/refine.md): what each proposal would keep of the space and
// how the errors of the sweep's models that satisfy it compare with all of them. It trains nothing:
// it ranks restrictions worth confirming on fresh models (the sweep chose them, so it cannot also
// confirm them).
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/refine/proposals.hpp"
#include "core/space/sampler.hpp"
#include "core/sweep/error_metric.hpp"

namespace regnet {

// A sweep as refine reads it: the space it was sampled from (with its network), its window, and
// its trained models.
struct RefineSweep {
  std::string dir;
  DesignSpace space;
  ComplexityWindow window;
  std::vector<ScoredModel> models;  // done, with a finite error, by id
  int samples = 0;
  std::string preset;  // the dataset preset it was sampled with: the sweeps refine samples carry it
};
// UserError for a directory that is not a sweep, or one without 2 trained models.
RefineSweep load_refine_sweep(const std::string& dir, ErrorMetric metric);

struct ExploreOptions {
  ProposalOptions proposals;
  int parent_draws = 2000;  // fresh draws of the parent in its window, for the share kept
  int min_models = 5;       // fewer satisfying models: no estimate
  int threads = 0;
};

enum class Outlook { gain, no_change, loss, too_few };
std::string to_string(Outlook o);

// How the errors of the models in `subset` sit against the others': the Hodges-Lehmann shift
// (the median of the pairwise differences, in error points) and its distribution-free 95% interval
// (Mann-Whitney ranks; exact under a shift model, whatever the error distribution). Outlook: gain
// when the interval lies below 0, loss above, too_few with under 2 models on either side. Its
// error rates with no true shift (normal, skewed, tied errors): tests/core/test_refine.cpp.
struct ErrorShift {
  double shift = 0, low = 0, high = 0;
  Outlook outlook = Outlook::too_few;
};
ErrorShift error_shift(const std::vector<double>& errors, const std::vector<char>& subset);

struct Estimate {
  Proposal proposal;
  int models = 0;           // trained models that satisfy it
  double kept = 0;          // share of the parent's draws (in the window) that satisfy it
  bool kept_exact = false;  // a tie too rare to count in the draws: its exact probability, window aside
  // The errors of the satisfying models against the others' (error_shift): below 0 is a gain.
  double shift = 0, low = 0, high = 0;
  Outlook outlook = Outlook::too_few;
};

struct Exploration {
  std::string sweep;
  std::string space;
  int models = 0;
  double mean_error = 0;
  int parent_draws = 0;
  std::vector<Estimate> estimates;  // ranked: gains by shift; then simplifications at no estimated
                                    // loss, most removed first; then the rest
};

Exploration explore(const RefineSweep& sweep, const ExploreOptions& options = {});
nlohmann::json to_json(const Exploration& e);
std::string to_text(const Exploration& e);

// DIR/NN-ID.json: the child space of each estimate, in rank order (NN from 01).
std::vector<std::string> child_space_files(const Exploration& e, const std::string& dir);
void write_child_spaces(const Exploration& e, const DesignSpace& parent, const std::string& dir);

// `refine SWEEP` without --confirm: the exploration of SWEEP's errors (metric "best" or "final"),
// and with `out`, its child spaces written there (a new or empty directory, unless force).
struct ExploreReport {
  Exploration exploration;
  std::string out;  // "" = nothing written
};
ExploreReport explore_sweep(const std::string& sweep, const std::string& metric, const ExploreOptions& options,
                            const std::string& out, bool force);
nlohmann::json to_json(const ExploreReport& r);
std::string to_text(const ExploreReport& r);

}  // namespace regnet
