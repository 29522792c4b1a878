// `regnet-explore stats`: the statistics of lib/core on numbers given on the command line.
// Hidden from the main help: it exists for checks (tests/cli/stats_vs_scipy.sh compares it with
// scipy) and for the fit benchmark (scripts/bench-fit.sh). The operations are stats_ops.hpp.
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/lists.hpp"
#include "core/base/text.hpp"
#include "output.hpp"
#include "stats_ops.hpp"

namespace regnet::cli {

namespace {

struct Inputs {
  std::string a, b, wa, wb, at, x, errors, errors_b, m, range, batch;
  std::string y, looks, spending = "pocock";  // sequential, spearman, kendall
  int bins = 0, resamples = 10000, n = 1, models = 200;
  double d = 0, fraction = 0.25, alpha = 0.05;
  std::uint64_t seed = 0;
  bool log_bins = false, json = false;
};

nlohmann::json inputs_json(const Inputs& in) {
  nlohmann::json j{{"bins", in.bins},
                   {"resamples", in.resamples},
                   {"n", in.n},
                   {"models", in.models},
                   {"d", in.d},
                   {"fraction", in.fraction},
                   {"seed", in.seed},
                   {"range", in.range},
                   {"log_bins", in.log_bins},
                   {"alpha", in.alpha},
                   {"spending", in.spending}};
  const std::pair<const char*, const std::string*> lists[] = {
      {"a", &in.a}, {"b", &in.b},           {"wa", &in.wa}, {"wb", &in.wb}, {"at", &in.at},
      {"x", &in.x}, {"errors", &in.errors}, {"m", &in.m},   {"y", &in.y},   {"looks", &in.looks}};
  for (const auto& [key, text] : lists)
    if (!text->empty()) j[key] = parse_numbers(*text, std::string("--") + key);
  if (!in.errors_b.empty())
    j["errors"] = {j.value("errors", nlohmann::json::array()), parse_numbers(in.errors_b, "--errors-b")};
  return j;
}

// JSON, or one "key: value" line per field (sequential: its looks table and verdict).
void print(const nlohmann::json& j, bool json) {
  std::string text;
  if (j.contains("table"))
    text = j["table"].get<std::string>() + j["verdict"].get<std::string>() + "\n";
  else
    for (auto it = j.begin(); it != j.end(); ++it) text += it.key() + ": " + it.value().dump() + "\n";
  print_result(json, j, text);
}

}  // namespace

void add_stats_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("stats", "Statistics on numbers given inline (for checks; hidden)");
  cmd->group("");  // not listed in the main --help
  auto in = std::make_shared<Inputs>();
  auto op = std::make_shared<std::string>();
  cmd->add_option("operation", *op, join(stats_operations(), " | "))->check(CLI::IsMember(stats_operations()));
  cmd->add_option("--a", in->a, "Sample a (ks, edf, best-of, summary) or its complexity values (nds): 1,2,3 or @FILE");
  cmd->add_option("--b", in->b, "Sample b (ks, difference, ks-power) or its complexity values (nds)");
  cmd->add_option("--wa", in->wa, "Weights of sample a (weighted ks)");
  cmd->add_option("--wb", in->wb, "Weights of sample b (weighted ks)");
  cmd->add_option("--at", in->at, "Where to evaluate the EDF (edf, nds)");
  cmd->add_option("--x", in->x, "Parameter values (bootstrap)");
  cmd->add_option("--errors", in->errors, "Errors (bootstrap; nds: of sample a)");
  cmd->add_option("--errors-b", in->errors_b, "Errors of sample b (nds)");
  cmd->add_option("--m", in->m, "Sample sizes m (best-of)");
  cmd->add_option("--bins", in->bins, "Complexity bins (nds; 0: automatic)");
  cmd->add_option("--range", in->range, "Shared complexity range LO:HI, SI suffixes (nds; default: the intersection)");
  cmd->add_flag("--log-bins", in->log_bins, "Bins linear in log(complexity) (nds)");
  cmd->add_option("--resamples", in->resamples, "Bootstrap repetitions (ks-power: KS tests per sample size)");
  cmd->add_option("--alpha", in->alpha, "Significance level (ks-power; sequential: type-I error over all looks)");
  cmd->add_option("--fraction", in->fraction, "Bootstrap resample fraction");
  cmd->add_option("--seed", in->seed, "Random seed (bootstrap, fit-bench)");
  cmd->add_option("--n", in->n, "Sample size (kstwo)");
  cmd->add_option("--d", in->d, "Statistic (kstwo)");
  cmd->add_option("--models", in->models, "Models to fit (fit-bench)");
  cmd->add_option("--y", in->y, "Second variable (spearman, kendall; with --x)");
  cmd->add_option("--looks", in->looks,
                  "Models per sample at each look, increasing (sequential: --a, --b in trained order)");
  cmd->add_option("--spending", in->spending, "Alpha spending: pocock or obrien-fleming (sequential)");
  cmd->add_option("--batch", in->batch,
                  "JSON file: an array of {\"op\": ..., inputs by option name} run in one process; "
                  "prints the array of results (an error becomes {\"error\": message})");
  cmd->add_flag("--json", in->json, "Print JSON");
  cmd->callback([in, op] {
    if (!in->batch.empty()) {
      std::cout << run_stats_batch(read_json_file(in->batch), in->batch).dump() << "\n";
      return;
    }
    if (op->empty()) fail("", "stats", "give an operation (" + join(stats_operations(), ", ") + ") or --batch FILE");
    print(run_stats_op(*op, inputs_json(*in)), in->json);
  });
}

}  // namespace regnet::cli
