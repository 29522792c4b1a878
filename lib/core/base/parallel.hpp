#pragma once
// Independent tasks on a few threads: the analysis's bootstrap and width fits, gnuplot batches.
#include <functional>
#include <vector>

namespace regnet {

// Runs every task once on up to default_threads(threads) threads (never more than there are
// tasks; the calling thread is one of them). Tasks are taken in order; after all have run, the
// exception of the first task (in order) that threw is rethrown, whatever the timing.
void run_parallel(const std::vector<std::function<void()>>& tasks, int threads);

}  // namespace regnet
