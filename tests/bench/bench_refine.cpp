// refine --confirm's error rates with a known truth (docs/refine.md, "Proof with a known truth"):
// many refinements of AnyNetXA by the simulated trainer (tests/core/simulated_refinement.hpp), each
// confirming a helpful, a neutral and a harmful proposal at alpha 0.05 over the three. Prints the
// rate of each outcome with its standard error and the trainings against the fixed protocols:
// every sweep at max-n, and the paper's 500 models per step. scripts/bench-refine.sh runs it.
#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>

#include "core/base/error.hpp"
#include "simulated_refinement.hpp"

using namespace regnet;
using namespace regnet::testing;

namespace {

void row(const char* what, int count, int runs, const char* claim) {
  const double p = static_cast<double>(count) / runs;
  fmt::print("  {:<44} {:>5} / {:<5} {:>6.3f} +- {:.3f}  {}\n", what, count, runs, p, std::sqrt(p * (1 - p) / runs),
             claim);
}

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::atoi(argv[1]) : 200;
  const int explore_n = argc > 2 ? std::atoi(argv[2]) : 48;
  const double margin = argc > 3 ? std::atof(argv[3]) : 1.0;
  if (runs < 1 || runs > 100000 || explore_n < 8 || explore_n > 10000 || !(margin > 0 && margin <= 100)) {
    fmt::print(stderr,
               "usage: bench_refine [RUNS (1-100000, default 200)] [EXPLORE_N (8-10000, default 48)] "
               "[MARGIN (error points, default 1; 1.5 puts the harmful proposal at the margin)]\n");
    return 2;
  }
  try {
    const DesignSpace space = load_space("AnyNetXA");
    char tmpl[] = "/tmp/regnet-bench-refine-XXXXXX";
    const std::string root = ::mkdtemp(tmpl);
    const SimulationCounts c = simulate_refinements(space, root, runs, explore_n, margin);
    std::filesystem::remove_all(root);
    const ConfirmRequest r = simulated_request("", "", margin);
    fmt::print(
        "refine --confirm 3 on the simulated truth: {} refinements of AnyNetXA, exploration sweeps of {} models, "
        "alpha {} over the 3 (each {:.4f}), margin {}, max-n {}; {:.0f} s\n",
        runs, explore_n, r.alpha, r.alpha / 3, r.margin, r.max_n, c.seconds);
    row("helpful (tie b): adopted", c.helpful_adopted, runs, "want: most");
    row("helpful (tie b): adopted as better", c.helpful_better, runs, "");
    row("neutral (tie g): adopted as equivalent", c.neutral_equivalent, runs, "want: most");
    row("neutral (tie g): called better (false)", c.neutral_better, runs, "");
    row("neutral (tie g): called worse (false)", c.neutral_worse, runs, "");
    row("harmful (widths non-increasing): adopted", c.harmful_adopted, runs,
        fmt::format("limit alpha + 3 SE = {:.3f}", rate_limit(0.05, runs)).c_str());
    row("harmful (widths non-increasing): called worse", c.harmful_worse, runs, "");
    row("a run with any false claim", c.any_false_claim, runs,
        fmt::format("limit {:.3f}", rate_limit(0.05, runs)).c_str());
    const double per_run = static_cast<double>(c.trainings) / runs, fixed = 4.0 * r.max_n;
    fmt::print(
        "  trainings per step: {:.1f} (every sweep at max-n: {:.0f}, {:.2f}x; the paper's 500 per step: {:.2f}x)\n",
        per_run, fixed, per_run / fixed, per_run / 500);
    fmt::print("  trained twice: {}\n", c.trained_twice);
    const bool ok = c.any_false_claim <= rate_limit(0.05, runs) * runs && c.trained_twice == 0;
    fmt::print("{}\n", ok ? "within the limits" : "OUT OF THE LIMITS");
    return ok ? 0 : 1;
  } catch (const UserError& e) {
    fmt::print(stderr, "bench_refine: {}\n", e.what());
    return 2;
  }
}
