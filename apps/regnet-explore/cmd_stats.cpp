// `regnet-explore stats`: the statistics of lib/core on numbers given on the command line.
// Hidden from the main help: it exists for checks (tests/cli/stats_vs_scipy.sh compares it with
// scipy) and for the fit benchmark (scripts/bench-fit.sh). The operations are stats_ops.hpp.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "cli/output.hpp"
#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/lists.hpp"
#include "core/base/text.hpp"
#include "stats_ops.hpp"

namespace regnet::cli {

namespace {

// An operation's input as an option --NAME; its JSON key is NAME with '-' as '_'.
enum class Kind { numbers, integer, seed, real, text, flag };
struct Input {
  const char* name;
  Kind kind;
  const char* help;
  const char* always = nullptr;  // a default that is passed even when the option is not given
};
const Input kInputs[] = {
    {"a", Kind::numbers, "sample a (ks, edf, best-of, summary) or its complexity values (nds): 1,2,3 or @FILE"},
    {"b", Kind::numbers, "sample b (ks, difference, ks-power, sequential, three-way) or its complexity values (nds)"},
    {"wa", Kind::numbers, "weights of sample a (weighted ks)"},
    {"wb", Kind::numbers, "weights of sample b (weighted ks)"},
    {"at", Kind::numbers, "where to evaluate the EDF (edf, nds)"},
    {"x", Kind::numbers, "parameter values (bootstrap)"},
    {"errors", Kind::numbers, "errors (bootstrap; nds: of sample a)"},
    {"errors-b", Kind::numbers, "errors of sample b (nds)"},
    {"m", Kind::numbers, "sample sizes m (best-of)"},
    {"y", Kind::numbers, "second variable (spearman, kendall; with --x)"},
    {"looks", Kind::numbers,
     "models per sample at each look, increasing (sequential, three-way: a, b in trained order)"},
    {"bins", Kind::integer, "complexity bins (nds; 0: automatic)", "0"},
    {"range", Kind::text, "shared complexity range LO:HI, SI suffixes (nds; default: the intersection)", ""},
    {"log-bins", Kind::flag, "bins linear in log(complexity) (nds)"},
    {"resamples", Kind::integer, "bootstrap repetitions (ks-power: KS tests per sample size)", "10000"},
    {"alpha", Kind::real, "significance level (ks-power; sequential, three-way: over all looks)", "0.05"},
    {"fraction", Kind::real, "bootstrap resample fraction", "0.25"},
    {"seed", Kind::seed, "random seed (bootstrap, fit-bench, sequential, three-way)", "0"},
    {"n", Kind::integer, "sample size (kstwo)", "1"},
    {"d", Kind::real, "statistic (kstwo)", "0"},
    {"models", Kind::integer, "models to fit (fit-bench)", "200"},
    {"spending", Kind::text, "alpha spending: pocock or obrien-fleming (sequential, three-way)", "pocock"},
    {"margin", Kind::real, "error points: equivalent when the shift is inside +-margin (three-way)"},
    {"non-inferior", Kind::text, "a or b: the sample asked to be no worse by the margin (three-way)"},
};

std::string key_of(const char* name) {
  std::string key = name;
  for (char& c : key)
    if (c == '-') c = '_';
  return key;
}

// The given options (and the defaults passed always) as the operation's JSON inputs.
nlohmann::json inputs_json(const CLI::App& cmd, const std::map<std::string, std::string>& values) {
  nlohmann::json j;
  for (const Input& in : kInputs) {
    const std::string option = std::string("--") + in.name, key = key_of(in.name);
    const bool given = cmd.count(option) > 0;
    if (!given && !in.always) continue;
    const std::string text = given ? values.at(in.name) : in.always;
    switch (in.kind) {
      case Kind::numbers: j[key] = parse_numbers(text, option); break;
      case Kind::integer: j[key] = std::strtoll(text.c_str(), nullptr, 10); break;  // checked by add_input
      case Kind::seed: j[key] = std::strtoull(text.c_str(), nullptr, 10); break;
      case Kind::real: j[key] = std::strtod(text.c_str(), nullptr); break;
      case Kind::text: j[key] = text; break;
      case Kind::flag: j[key] = given; break;
    }
  }
  if (j.contains("errors_b")) {  // nds: one array of errors per sample
    j["errors"] = {j.value("errors", nlohmann::json::array()), j["errors_b"]};
    j.erase("errors_b");
  }
  return j;
}

CLI::Option* add_input(CLI::App* cmd, const Input& in, std::string& value) {
  const std::string option = std::string("--") + in.name;
  if (in.kind == Kind::flag) return cmd->add_flag(option, in.help);
  CLI::Option* o = cmd->add_option(option, value, in.help);
  if (in.kind == Kind::integer) o->check(CLI::TypeValidator<long long>());
  if (in.kind == Kind::seed) o->check(CLI::TypeValidator<std::uint64_t>());
  if (in.kind == Kind::real) o->check(CLI::TypeValidator<double>());
  return o;
}

// JSON, or one "key: value" line per field (sequential, three-way: the looks table and verdict).
void print(const nlohmann::json& j, bool json) {
  std::string text;
  if (j.contains("table"))
    text = j["table"].get<std::string>() + j["verdict"].get<std::string>() + "\n";
  else
    for (auto it = j.begin(); it != j.end(); ++it) text += it.key() + ": " + it.value().dump() + "\n";
  print_result(json, j, text);
}

struct Options {
  std::string op, batch;
  std::map<std::string, std::string> values;
  bool json = false;
};

}  // namespace

void add_stats_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("stats", "Statistics on numbers given inline (for checks; hidden)");
  auto o = std::make_shared<Options>();
  cmd->add_option("operation", o->op, join(stats_operations(), " | "))->check(CLI::IsMember(stats_operations()));
  for (const Input& in : kInputs) add_input(cmd, in, o->values[in.name]);
  cmd->add_option("--batch", o->batch,
                  "JSON file: an array of {\"op\": ..., inputs by option name} run in one process; "
                  "prints the array of results (an error becomes {\"error\": message})");
  cmd->add_flag("--json", o->json, "print JSON");
  cmd->callback([o, cmd] {
    if (!o->batch.empty()) {
      std::cout << json_text(run_stats_batch(read_json_file(o->batch), o->batch), -1) << "\n";
      return;
    }
    if (o->op.empty()) fail("", "stats", "give an operation (" + join(stats_operations(), ", ") + ") or --batch FILE");
    print(run_stats_op(o->op, inputs_json(*cmd, o->values)), o->json);
  });
}

}  // namespace regnet::cli
