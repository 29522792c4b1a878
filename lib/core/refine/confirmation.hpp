#pragma once
// `refine SWEEP --confirm K` (docs/refine.md, "Confirming"): the paper's loop, with decisions whose
// error rates hold. A step explores a trained sweep (exploration.hpp), samples the top K proposals'
// child spaces and a fresh sample of the parent (a new seed: the exploration chose the proposals and
// cannot also confirm them), compares each child with that parent by the three-way sequential test
// at alpha / K (Bonferroni: a false claim about any of the K has probability at most alpha), adopts
// the children that are better and those equivalent within the margin, and writes the parent with
// the adopted restrictions as the step's refined space. With steps > 1 a sweep of the refined space
// is sampled, trained and explored in turn. Every model lives in ordinary sweep directories and every
// comparison in an ordinary compare directory under the refine directory; each phase is recomputed
// from them (or read back from the file that marks it done), so a run killed at any moment resumes
// where they are, training nothing twice.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/refine/exploration.hpp"
#include "core/run/batch_training.hpp"
#include "core/stats/three_way_test.hpp"

namespace regnet {

struct ConfirmRequest {
  std::string sweep;                   // the trained sweep the first step explores
  std::string out;                     // the refine directory; "" = default_refine_dir(sweep)
  int candidates = 3;                  // K: proposals confirmed per step
  std::vector<std::string> proposals;  // step 1: these (ids from the exploration's table) instead of the top K
  int steps = 1;
  ExploreOptions explore;
  double alpha = 0.05;  // family-wise over the K of a step
  double margin = 1.0;  // error points: shifts inside +-margin do not matter
  int max_n = 32;       // models per sweep at the last look
  std::string looks;    // "" = compare's default looks
  std::string spending = "pocock";
  std::string metric = "best";
  int explore_n =
      0;  // steps after the first: models of each new exploration sweep (0: as many as the first has trained)
  std::uint64_t seed = 2;    // the fresh sweeps' seeds derive from it (the exploration sweep's was another)
  int simulations = 100000;  // behind the KS boundaries of each comparison
  TrainingRequest train;     // every training's options (sweep_dir and ids set per batch)
};

// What a comparison says of a child against its parent.
enum class Adoption { better, equivalent, worse, undecided, continuing };
std::string to_string(Adoption a);
bool adopted(Adoption a);  // better or equivalent
// The three-way outcome of child (a) against parent (b), as an adoption.
Adoption adoption_of(const ThreeWayOutcome& o);

struct CandidateDecision {
  std::string id;             // the proposal's id ("tie-bottleneck_ratio")
  std::string text;           // "tie b"
  double explored_shift = 0;  // the exploration's estimate (error_shift)
  std::string space_file, sweep_dir, compare_dir;
  Adoption adoption = Adoption::continuing;
  double shift = 0;                      // child - parent, error points (Hodges-Lehmann)
  ShiftInterval different, equivalence;  // the last look's intervals
  int look = 0, n = 0;                   // the settling (or last) look and its models per sweep
  int trained = 0;                       // the child sweep's trained models
  std::string verdict;                   // compare's line
};

struct RefineStep {
  int step = 1;
  std::string explored;  // the sweep explored
  int explored_models = 0;
  std::string parent_space;  // its space's name
  std::string parent_sweep;  // the fresh sample of that space
  int parent_trained = 0;
  std::vector<CandidateDecision> candidates;
  std::vector<std::string> adopted;               // ids, in rank order
  std::string refined_space_file, refined_space;  // "" until every comparison is settled
  int trainings = 0;  // models this step trained (its exploration sweep included after step 1)
  double pair_alpha = 0;
};

struct Refinement {
  ConfirmRequest request;
  std::string out;
  std::vector<RefineStep> steps;
  std::string status;  // done, stopped (a step adopted nothing), interrupted, waiting (--no-train)
  int trainings = 0;   // over every step
  bool interrupted = false;
};

// UserError (one line naming the option) for a request out of bounds, before anything is written.
void check_request(const ConfirmRequest& request);
// SWEEP/../refine-NAME.
std::string default_refine_dir(const std::string& sweep);

using RefineProgress = std::function<void(const std::string& line)>;

// Runs the steps (REFINE_DIR/refine.json: core/refine/refine_record.hpp), training through `train` (child `train`
// processes, SLURM, or a fake in tests; an empty one trains nothing and stops at the first batch needed, "waiting").
// REFINE_DIR/refine.json is rewritten after every phase. A directory holding another refinement is refused.
Refinement run_refinement(const ConfirmRequest& request, const SweepsTrainer& train,
                          const RefineProgress& progress = {});

}  // namespace regnet
