#pragma once
// `regnet-explore sample` as one call: check the request, draw the models (sampler.hpp), write the
// new sweep directory (sweep.hpp, docs/sweep-format.md) with what was asked and the acceptance.
#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/base/threads.hpp"
#include "core/space/sampler.hpp"
#include "core/space/space.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

// Bounds of a request: a sweep holds one file per sample, and each thread is a real one.
constexpr int kMaxSamples = kMaxSweepSamples;          // what a sweep.json may say
constexpr std::int64_t kMaxAttempts = 10'000'000'000;  // 1000 x the default: hours of drawing

// What was asked, as given on the command line (sweep.json records it as "request").
struct SampleRequest {
  std::string space;  // a name from `spaces` or a .json path
  std::string out;    // the new sweep directory
  int n = 0;
  std::string flops, params, acts;  // windows "LO:HI" (units.hpp); "" = open
  std::uint64_t seed = 1;
  int threads = 0;  // 0: every core
  std::int64_t max_attempts = 10'000'000;
  NetworkOverrides net;
};

// min, median (the upper middle of an even count) and max; zeros when empty.
struct CountRange {
  std::int64_t min = 0, median = 0, max = 0;
};
CountRange count_range(std::vector<std::int64_t> values);

struct SampleSummary {
  SampleRequest request;
  DesignSpace space;  // with the network overrides applied
  SampleStats stats;
  double seconds = 0;
  CountRange flops, params, acts;
};

// Throws UserError, with nothing written, for a bad request (-n outside [1, kMaxSamples],
// --max-attempts below 1 or -n, --threads outside [0, kMaxThreads], a
// window, a network option), an --out that exists and is not empty, or fewer than n models in
// max_attempts (the message says how they were rejected). `progress` as in SampleOptions.
SampleSummary sample_sweep(const SampleRequest& request,
                           const std::function<void(const SampleProgress&)>& progress = {});

// The pieces, for tests.
void check_request(const SampleRequest& request);  // the numbers and --out, before any work
ComplexityWindow request_window(const SampleRequest& request);
nlohmann::json to_json(const SampleStats& stats);          // sweep.json's "acceptance"
std::string acceptance_percent(const SampleStats& stats);  // "0.04936%" (4 significant digits)
std::string shortfall_message(const SampleStats& stats, std::size_t found, int wanted);
// sweep.json: request, the space as loaded, the network used, windows, seed, n, acceptance.
nlohmann::json sweep_json(const SampleRequest& request, const DesignSpace& loaded, const NetworkOptions& network,
                          const SampleStats& stats, const std::string& created);
std::string utc_timestamp();  // "2026-01-31T12:00:00Z"

// What the command prints: --json, or the seven-line summary.
nlohmann::json to_json(const SampleSummary& summary);
std::string summary_text(const SampleSummary& summary);
// "sampling [####....] 12/50 accepted, 3,456 attempts (0.347%), 2s elapsed, ETA 8s"
std::string progress_line(const SampleProgress& progress);

}  // namespace regnet
