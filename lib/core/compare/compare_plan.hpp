#pragma once
// What `compare SWEEP_A SWEEP_B [...]` will do, decided once from what was asked
// (docs/compare.md): the sweeps (each checked by train's plan_training with the same options),
// that they are comparable (dataset, window, input size, schedule of their results), the
// group-sequential design, and the compare directory, new or resumed. Writes nothing.
#include <cstdint>
#include <string>
#include <vector>

#include "core/compare/compare_state.hpp"
#include "core/run/training_plan.hpp"

namespace regnet {

// When a comparison stops training.
enum class CompareUntil {
  decided,  // every pair decided, or undecided at max-n
  max_n,    // every sweep trained to max-n (or all its samples); the decision is the same, more material
};
CompareUntil compare_until_from_string(const std::string& s);  // "decided", "max-n"; UserError (--until)

struct CompareRequest {
  std::vector<std::string> sweeps;  // sweep directories, at least 2
  std::string out;                  // compare directory; "" = default_compare_dir
  TrainingRequest train;            // --data, --schedule, --jobs, --threads, --devices, claims (sweep_dir/ids unused)
  double alpha = 0.05;
  int max_n = 0;      // 0 = the largest sweep's samples
  std::string looks;  // "8,12,16"; "" = default_looks(max_n, spending, alpha / pairs)
  std::string spending = "pocock";
  std::string metric = "best";
  std::string until = "decided";
  int simulations = 100000;
  std::uint64_t seed = 1;
  double margin = 0;         // error points: > 0 asks for three outcomes per pair (different, equivalent, non-inferior)
  std::string non_inferior;  // with a margin: the sweep (its name or directory) asked to be no worse than the others
  bool check_out = true;     // false (compare --plan): --out is neither checked nor written
  bool force = false;        // compare sweeps that differ in dataset, window, input size or schedule (a warning each)
};

struct ComparePlan {
  CompareSetup setup;
  std::string out_dir;
  CompareUntil until = CompareUntil::decided;
  bool resuming = false;              // out_dir already held this comparison's compare.json
  TrainingRequest train;              // the request each look's batch trains with (ids set per batch)
  std::vector<std::string> warnings;  // mismatches let through by --force, looks cut to the samples
};

// UserError (one line, naming the option or file and field) for: fewer than 2 sweeps, a sweep
// named twice, bad training options, sweeps that are not comparable (unless force), alpha or
// looks the design refuses, an --out that holds something else or another comparison.
// Looks beyond the largest sweep's samples are dropped (a warning): the comparison stops at
// what is there.
ComparePlan plan_compare(const CompareRequest& request);

// DIR_OF_FIRST/../compare-A-B[-C...] (names: the sweeps' last components).
std::string default_compare_dir(const std::vector<std::string>& sweeps);

// "compare a (12 samples) vs b (12 samples): looks at 5, 8, 12 models per sweep, alpha 0.05
// (pocock); writing DIR/compare.json" ("resuming" when it exists).
std::string plan_text(const ComparePlan& plan);

}  // namespace regnet
