#pragma once
// The three-outcome sequential comparison of two sweeps (docs/statistics.md, "Three outcomes"):
// at each look, repeated confidence intervals for the shift between their errors
// (three_way_design.hpp) settle the pair as
//   different     the (1 - alpha) interval excludes 0, or the KS distance reaches its boundary;
//   equivalent    the (1 - 2 alpha) interval lies inside (-margin, +margin);
//   non-inferior  (one-sided question) its upper end for candidate - other is below +margin;
// or it continues; at the last look it ends undecided, with the interval. Where a margin claim and
// "different" hold at once (a real shift inside the margin), the margin claim settles the pair and
// the verdict names the difference as well. Each claim is wrong
// with probability at most alpha / pairs, however early it is made: the intervals cover the true
// shift at every look at once.
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/stats/hodges_lehmann.hpp"
#include "core/stats/sequential_test.hpp"
#include "core/stats/three_way_design.hpp"

namespace regnet {

// What is asked of a pair, with the shift measured as a's errors minus b's, in error points.
struct ThreeWayQuestion {
  double margin = 1;     // differences inside +-margin do not matter
  int non_inferior = 0;  // 0: different or equivalent; +1: is a no worse than b by margin or more; -1: b than a
};
// UserError unless 0 < margin <= 100 (error points).
void validate(const ThreeWayQuestion& q);

enum class ThreeWayStatus { different, equivalent, non_inferior, undecided, continuing };
std::string to_string(ThreeWayStatus s);

struct ThreeWayLook : LookHeader {
  double ks_boundary = 2;                           // d >= ks_boundary decides "different"; > 1: KS cannot decide here
  double shift = 0;                                 // Hodges-Lehmann estimate of a - b
  ShiftInterval ci_different, ci_equivalence;       // the (1 - alpha) and (1 - 2 alpha) repeated intervals
  bool ks_reject = false, interval_reject = false;  // "different" by KS; by the interval excluding 0
  bool equivalent = false, non_inferior = false;    // non_inferior: only asked with a one-sided question
  int direction = 0;                                // +1: a has the lower errors, -1: b, 0: neither shown
  bool different() const { return ks_reject || interval_reject; }
};

struct ThreeWayOutcome {
  SequentialDesign design;
  ThreeWayQuestion question;
  std::vector<ThreeWayLook> looks;  // evaluated, in order, up to the settling one
  ThreeWayStatus status = ThreeWayStatus::continuing;
  int settled_at = 0;  // the look that settled it (1-based), 0 when none
  LookSize trained;    // ids trained per sweep (NaN included)
};

// Applies the design to two sweeps' errors (TrainedErrors as for sequential_ks: prefixes in id
// order, NaN for failed models, complete sweeps end early). UserErrors for bad designs or margins.
ThreeWayOutcome three_way_test(const TrainedErrors& a, const TrainedErrors& b, const SequentialDesign& design,
                               const ThreeWayQuestion& question);

// The pairs of m >= 2 sweeps a comparison tests, with the question each answers: every pair, or
// with candidate >= 0 (a non-inferiority question) the candidate against each other sweep.
struct PairQuestion {
  int a = 0, b = 0;  // indices into the sweeps, a < b
  ThreeWayQuestion question;
};
std::vector<PairQuestion> pair_questions(int m, double margin, int candidate = -1);

// Every pair of pair_questions at alpha / pairs (Bonferroni): alpha / (m (m - 1) / 2), or with a
// candidate alpha / (m - 1).
struct ThreeWayPair {
  int a = 0, b = 0;  // indices into the sweeps, a < b
  ThreeWayOutcome outcome;
};
std::vector<ThreeWayPair> three_way_pairs(const std::vector<TrainedErrors>& sweeps, const SequentialDesign& design,
                                          double margin, int candidate = -1);

// Which test decided "different": "KS", "interval" or "KS and interval"; "" when neither.
std::string decided_by(const ThreeWayLook& r);

// One line, e.g. "equivalent within 1.0 at look 4 (n = 24): shift -0.21 [-0.83, 0.47]".
std::string verdict(const ThreeWayOutcome& o, const std::string& name_a = "a", const std::string& name_b = "b");
// What one look shows, as the compare table's decision column ("continue", "different (KS)", ...).
std::string look_decision(const ThreeWayOutcome& o, const ThreeWayLook& r);
// Per look: n per sweep, D and its boundary, the shift, both intervals and the decision.
std::string three_way_table(const ThreeWayOutcome& o);

nlohmann::json to_json(const ThreeWayQuestion& q);
nlohmann::json to_json(const ThreeWayLook& r);
nlohmann::json to_json(const ThreeWayOutcome& o);

}  // namespace regnet
