#pragma once
// The group-sequential two-sample KS comparison of design spaces (docs/statistics.md): sweeps
// are trained interleaved in sample-id order, so each one's trained models are a prefix of its
// samples; after each planned look the KS statistic D of the two prefixes is compared with the
// design's boundary (sequential_design.hpp). The first look whose D reaches its boundary decides
// the pair: the error distributions differ, with overall type-I error <= alpha / pairs.
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/stats/sequential_design.hpp"

namespace regnet {

// A sweep's top-1 errors by sample id, as far as trained. NaN marks a model that failed or
// diverged (it counts towards its look but has no error). complete: the sweep has no more
// samples, so a look beyond its size uses all of them instead of waiting.
struct TrainedErrors {
  std::vector<double> errors;
  bool complete = false;
};

// The finite errors of each look's prefixes, for the looks the data has reached (a look at n
// covers ids 0..n-1, or all of a complete sweep), and their sizes.
struct LookPrefixes {
  std::vector<std::vector<double>> a, b;
  std::vector<LookSize> sizes;
};
LookPrefixes look_prefixes(const TrainedErrors& a, const TrainedErrors& b, const std::vector<int>& looks);

// What every look of a sequential comparison records, whichever test it applies.
struct LookHeader {
  int look = 0;            // 1-based
  int n = 0;               // planned models per sweep
  LookSize size;           // models with an error, per sweep
  double t = 0;            // information fraction
  double alpha_spent = 0;  // cumulative alpha this look may have spent
  double d = 0;            // KS statistic of the two prefixes
};
// Look `look` (1-based) at n planned models, as its boundary plans it (d left 0).
LookHeader look_header(const LookPlan& plan, int look, int n);

// The KS distance of two looks' prefixes on their lattice, D = h / lcm: whether h reaches h_reject,
// and the direction: +1 where F_a is above F_b where they differ most (a has the lower errors),
// -1 for b, 0 for D = 0 or a tie.
struct KsDistance {
  double d = 0;
  bool reject = false;
  int direction = 0;
};
KsDistance ks_distance(const std::vector<double>& a, const std::vector<double>& b, long lcm, long h_reject);

struct LookResult : LookHeader {
  double boundary = 0;   // reject when d >= boundary; > 1 when this look cannot reject
  double p_nominal = 1;  // the fixed-n KS p-value of this look's data alone (not sequentially valid)
  bool reject = false;
  int direction = 0;  // as KsDistance's
};

enum class SequentialStatus {
  decided,     // a look rejected H0: the spaces differ
  undecided,   // the last planned look did not reject
  continuing,  // looks remain that the data has not reached
};
std::string to_string(SequentialStatus s);

struct SequentialOutcome {
  SequentialDesign design;
  std::vector<LookResult> looks;  // evaluated, in order; evaluation stops at the deciding look
  SequentialStatus status = SequentialStatus::continuing;
  int decided_at = 0;  // the deciding look (1-based), 0 when none
  LookSize trained;    // ids trained per sweep (errors given, NaN included), to say what a look waits for
};

// Applies `design` to two sweeps' errors. Looks the data has not reached are left out (status
// continuing; verdict() names the next one); bad designs are UserErrors (validate()).
SequentialOutcome sequential_ks(const TrainedErrors& a, const TrainedErrors& b, const SequentialDesign& design);
// Plain numbers (neither sweep complete).
SequentialOutcome sequential_ks(const std::vector<double>& a, const std::vector<double>& b,
                                const SequentialDesign& design);

// The pairs (i, j), i < j, of m sweeps in order; a UserError unless m >= 2.
std::vector<std::pair<int, int>> sweep_pairs(int m);

// Every pair of m >= 2 sweeps, each at alpha / (m (m-1) / 2) (Bonferroni; design.pairs is set).
struct PairOutcome {
  int a = 0, b = 0;  // indices into the sweeps
  SequentialOutcome outcome;
};
std::vector<PairOutcome> sequential_ks_pairs(const std::vector<TrainedErrors>& sweeps, const SequentialDesign& design);
// True when no pair is still continuing: each is decided or undecided at max-n.
bool all_settled(const std::vector<PairOutcome>& pairs);

// One line: "decided at look 3 (n = 16): D = 0.812 >= 0.688, A has the lower errors",
// "undecided at n = 32: D = 0.25 < 0.41", "continuing: look 4 needs n = 24 (...)".
std::string verdict(const SequentialOutcome& o, const std::string& name_a = "a", const std::string& name_b = "b");
// Per look: n per sweep, t, alpha spent, D, boundary, fixed-n p, decision.
std::string looks_table(const SequentialOutcome& o);

// "n = 8", or "n = 8, 7" where the sweeps' sizes differ.
std::string look_sizes_text(const LookSize& s);
// "continuing: look 4 needs 24 models per sweep (a has 17, b has 16)", after `evaluated` looks.
std::string continuing_text(const SequentialDesign& d, size_t evaluated, const LookSize& trained,
                            const std::string& name_a, const std::string& name_b);

// A look's header and its KS boundary (null where > 1: this look cannot decide by KS).
nlohmann::json to_json(const LookHeader& r, double boundary);
nlohmann::json to_json(const LookResult& r);
nlohmann::json to_json(const SequentialOutcome& o);

}  // namespace regnet
