#pragma once
// What killed workers leave in a sweep directory, and its removal (docs/workers.md): claims of
// dead processes on done samples and half-made claim files (tidy_claims, core/claims.hpp), the
// checkpoints of done samples, the temporary files of interrupted atomic writes
// (NNNNNN.*.tmp.PID in results/, checkpoints/, weights/) of samples that no live worker holds,
// and the status files of dead workers on this machine. Every worker tidies when it starts
// and when it ends, so a sweep that is finished holds only results, weights and the log.
#include <string>

#include "core/sweep/claims.hpp"

namespace regnet {

struct TidyCount {
  int claims = 0, checkpoints = 0, temporaries = 0, statuses = 0;
  int total() const { return claims + checkpoints + temporaries + statuses; }
};

TidyCount tidy_sweep(const std::string& sweep_dir, const ClaimPolicy& policy = {});

// Removes the temporary files of sample `id`. Only a claim owner writes them, so a new owner
// (the claim just made) knows the writer of any it finds is gone.
int remove_sample_temporaries(const std::string& sweep_dir, int id);

}  // namespace regnet
