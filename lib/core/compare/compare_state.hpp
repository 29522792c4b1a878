#pragma once
// A compare directory (docs/compare.md): COMPARE_DIR/compare.json records a group-sequential
// comparison of sweeps: which sweeps (paths relative to the directory, so the tree can move),
// the design (looks, alpha, spending), what each look saw, and the decision. It is a record, not
// the truth: every look is recomputed from the sweeps' results, which only grow, so a compare
// killed at any moment resumes from the sweeps alone. Written atomically (core/json_io.hpp).
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/stats/sequential_test.hpp"
#include "core/stats/three_way_test.hpp"
#include "core/sweep/error_metric.hpp"

namespace regnet {

// 1: the KS comparison; 2: with a margin (three outcomes), which a version-1 reader must refuse
// rather than resume as a KS comparison. A KS comparison is still written as 1.
constexpr int kCompareFormatVersion = 2;

struct CompareSweep {
  std::string name;  // legend name (the directory's last component, made unique)
  std::string dir;   // as the reader can open it (the compare directory joined with the stored path)
  int samples = 0;   // sample records in the sweep
};

// What was asked: fixed when the comparison starts, checked when it resumes.
struct CompareSetup {
  std::vector<CompareSweep> sweeps;
  SequentialDesign design;  // pairs = m (m - 1) / 2
  ErrorMetric metric = ErrorMetric::best;
  double margin = 0;   // error points; > 0: three outcomes per pair (three_way_test.hpp), 0: the KS test alone
  int candidate = -1;  // the sweep asked to be non-inferior (with a margin), -1: none
  nlohmann::json training = nlohmann::json::object();  // data and schedule the looks' batches train with
};

// The setup and its evaluation on the sweeps' trained prefixes.
struct CompareState {
  CompareSetup setup;
  std::vector<TrainedErrors> errors;    // per sweep: errors of ids 0.. as far as contiguously trained
  std::vector<PairOutcome> pairs;       // the KS comparison (margin 0)
  std::vector<ThreeWayPair> three_way;  // three outcomes (margin > 0)
  std::vector<std::string> warnings;    // what --force let through
};

// Either kind of pair, as the loop and the tables see it.
size_t pair_count(const CompareState& s);
std::pair<int, int> pair_sweeps(const CompareState& s, size_t pair);
bool pair_continuing(const CompareState& s, size_t pair);
size_t looks_evaluated(const CompareState& s, size_t pair);
// "decided" (a claim for every pair), "undecided" (none continuing, some undecided), "continuing".
std::string overall_status_text(const CompareState& s);

// "decided" (every pair), "undecided" (none continuing, some undecided), "continuing".
SequentialStatus overall_status(const std::vector<PairOutcome>& pairs);
// One line per pair: "AnyNetXA vs RegNetX: decided at look 2 (n = 8): D = ..., RegNetX has the lower errors".
std::vector<std::string> decision_lines(const CompareState& s);
// The per-look table as compare prints it while it runs: a header, and one row per pair and look
// ("   2     8  AnyNetXA vs RegNetX     8     8  0.750     0.875     0.0183  continue").
std::string look_header();
std::string look_row(const CompareState& s, const PairOutcome& p, const LookResult& r);
// The same for either kind of comparison: its header, and look `look` (0-based) of pair `pair`.
std::string look_header(const CompareState& s);
std::string look_row(const CompareState& s, size_t pair, size_t look);

std::string compare_json_path(const std::string& compare_dir);
bool is_compare_dir(const std::string& dir);

// compare.json's content; sweep paths relative to `compare_dir`.
nlohmann::json to_json(const CompareState& s, const std::string& compare_dir);
// The setup part of a compare.json read from `compare_dir` (sweep dirs resolved against it).
CompareSetup compare_setup_from_json(const nlohmann::json& j, const std::string& compare_dir);

// Creates the directory if needed and writes compare.json atomically.
void write_compare_json(const std::string& compare_dir, const CompareState& s);
// nullopt when the directory has no compare.json; a broken or newer one is a UserError.
std::optional<CompareSetup> read_compare_setup(const std::string& compare_dir);

// For `analyze`: each compare directory among `dirs` replaced by the sweeps it names, in order.
std::vector<std::string> expand_compare_dirs(const std::vector<std::string>& dirs);

}  // namespace regnet
