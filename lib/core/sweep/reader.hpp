#pragma once
// A sweep as `analyze` reads it: what it asked for, how many of its samples have finished, and
// the finished models with their errors by the chosen metric.
#include <cmath>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/model/complexity.hpp"
#include "core/model/regnet.hpp"
#include "core/model/spec.hpp"
#include "core/sweep/error_metric.hpp"

namespace regnet {

// One finished model as the analysis sees it.
struct ModelPoint {
  int id = 0;
  double error = 0;  // top-1 error in %, by the chosen metric
  Spec spec;
  Complexity complexity;
  std::optional<RegNetParams> regnet;
};

// Every sample as models.csv lists it: its result's numbers, NaN where there are none.
struct SampleRow {
  ModelPoint model;    // id, spec, complexity, RegNet parameters; error by the metric (NaN without one)
  std::string status;  // "done", "diverged", "failed", or "missing" (no result yet)
  double final_top1 = NAN, best_top1 = NAN, final_top5 = NAN, best_top5 = NAN;
  double seconds = NAN;
};

struct SweepCounts {
  int samples = 0;   // sample records in the sweep
  int done = 0;      // results with status done and a finite error (the analyzed models)
  int diverged = 0;  // status diverged, or done without a finite error
  int failed = 0;
  int missing = 0;  // samples without a result yet (partial sweep)
};

struct SweepData {
  std::string name;  // legend name
  std::string dir;
  std::string dataset;          // provenance.dataset.name of its results ("" when unknown; "a+b" when mixed)
  std::string schedule;         // provenance.schedule.name of its results, the same way
  std::string schedule_recipe;  // the recipes themselves (without names), one a line: what must agree
  nlohmann::json sweep_json = nlohmann::json::object();
  SweepCounts counts;
  std::vector<ModelPoint> models;  // the done ones, by id
  std::vector<SampleRow> rows;     // every sample, by id
};

// Reads DIR/sweep.json, the samples and whatever results exist. Missing results are counted,
// not an error; a directory that is not a sweep, a missing sample file, a result without a sample
// or of another model than its sample's are UserErrors (nothing is left out silently).
SweepData load_sweep_data(const std::string& dir, const std::string& name, ErrorMetric metric);

// What identifies a sweep's data whatever its legend name, directory or position on the command
// line: a hash of its sweep.json and its analyzed models (ids and errors). The bootstraps are
// seeded from it, so `analyze A B` and `analyze B A` draw the same numbers.
std::uint64_t sweep_identity(const SweepData& s);

// UserError naming the second spelling of a directory given twice (links and ".." resolved):
// "DIR: named twice: VERB each sweep once".
void check_distinct_sweeps(const std::vector<std::string>& dirs, const std::string& verb);

// The legend name of each sweep: names[i], or (names empty) the last component of dirs[i]; a
// name already taken gets "-2", "-3", ... UserError (--names) when the counts differ.
std::vector<std::string> legend_names(const std::vector<std::string>& dirs, const std::vector<std::string>& names);

// "read NAME (DIR): 60 samples, 48 done, 0 diverged, 0 failed, 12 without a result".
std::string read_line(const SweepData& s);

}  // namespace regnet
