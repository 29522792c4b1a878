#pragma once
// The one thread pool of lib/core: independent pieces of work on a few threads (the analysis's
// bootstrap and width fits, gnuplot batches, the sampler's attempts, the sequential design's
// simulations). Threads live for one call; the calling thread is one of them.
#include <cstdint>
#include <functional>
#include <vector>

namespace regnet {

// Runs body(i) once for every i in [0, n) on up to default_threads(threads) threads (never more
// than n). Indices are handed out in increasing order. After every index has run, the exception
// of the lowest index that threw is rethrown, whatever the timing. A thread that cannot be
// started leaves its share to the others.
void parallel_for(std::int64_t n, int threads, const std::function<void(std::int64_t)>& body);

// [0, n) cut into min(default_threads(threads), n) contiguous slices, slice s being
// [n * s / slices, n * (s + 1) / slices), each run as body(s, begin, end) on a thread of its own
// (through parallel_for: errors as there). For work that keeps state per thread (a buffer, results
// in index order); what the work computes must not depend on where the cuts fall.
void parallel_slices(std::int64_t n, int threads,
                     const std::function<void(int slice, std::int64_t begin, std::int64_t end)>& body);

// Every task once: parallel_for over the tasks.
void run_parallel(const std::vector<std::function<void()>>& tasks, int threads);

}  // namespace regnet
