#pragma once
// Which samples of a sweep are done, claimed by a live worker, stale (claimed by a dead one) or
// pending, and the id lists that select samples (--ids). Pure functions over plain values;
// reading the directory is observe_sweep's only job.
#include <map>
#include <set>
#include <string>
#include <vector>

#include "core/sweep/claims.hpp"

namespace regnet {

// "0-9,12,20-" style id lists (inclusive ranges; an open end runs to max_id). Throws UserError
// naming `where` for malformed text or an id outside [0, max_id].
std::vector<int> parse_id_list(const std::string& text, int max_id, const std::string& where = "--ids");

// The inverse, compact: {0,1,2,3,5,7,8,9} -> "0-3,5,7-9".
std::string format_id_list(const std::vector<int>& ids);

// Snapshot of a sweep: every selected sample's state, ids ascending within each list.
struct SweepState {
  std::vector<int> done, claimed, stale, pending;
  int total() const { return static_cast<int>(done.size() + claimed.size() + stale.size() + pending.size()); }
  // What a worker may claim now, in order: stale claims are taken over first (their
  // checkpoints are furthest along), then pending samples by id.
  std::vector<int> claimable() const;
};

// Pure: a sample with a result is done whatever its claim; else its claim decides.
SweepState classify(const std::vector<int>& ids, const std::set<int>& with_result,
                    const std::map<int, ClaimObservation::State>& claims);

// Reads DIR/results and DIR/claims for the given sample ids (all samples when `ids` is empty).
SweepState observe_sweep(const std::string& sweep_dir, const std::vector<int>& ids, const ClaimPolicy& policy = {});
std::set<int> result_ids(const std::string& sweep_dir);
std::vector<int> sample_ids(const std::string& sweep_dir);

}  // namespace regnet
