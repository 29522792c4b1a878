// `regnet-explore stats`: the statistics of lib/core on numbers given on the command line.
// Hidden from the main help: it exists for checks (tests/cli/stats_vs_scipy.sh compares it with
// scipy) and for the fit benchmark (scripts/bench-fit.sh).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/fit.hpp"
#include "core/json_io.hpp"
#include "core/regnet.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"

namespace regnet::cli {

namespace {

// "1,2.5,3" or "@FILE" (numbers separated by commas or white space).
std::vector<double> parse_numbers(const std::string& text, const std::string& option) {
  std::string body = text;
  std::string where = option;
  if (!text.empty() && text[0] == '@') {
    where = text.substr(1);
    body = read_text_file(where);
  }
  std::vector<double> out;
  size_t i = 0;
  while (i < body.size()) {
    while (i < body.size() && (body[i] == ',' || std::isspace(static_cast<unsigned char>(body[i])))) ++i;
    if (i >= body.size()) break;
    size_t j = i;
    while (j < body.size() && body[j] != ',' && !std::isspace(static_cast<unsigned char>(body[j]))) ++j;
    const std::string token = body.substr(i, j - i);
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(v))
      fail(where == option ? "" : where, option, "'" + token + "' is not a finite number");
    out.push_back(v);
    i = j;
  }
  return out;
}


void emit(const nlohmann::json& j, bool json) {
  if (json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  for (auto it = j.begin(); it != j.end(); ++it) std::cout << it.key() << ": " << it.value().dump() << "\n";
}

// One operation on named inputs: arrays of numbers ("a", "b", "wa", "wb", "at", "x", "errors",
// "m") and scalars ("bins", "resamples", "fraction", "seed", "n", "d", "models").
nlohmann::json run_op(const std::string& op, const nlohmann::json& in) {
  auto vec = [&](const char* key) {
    if (!in.contains(key)) fail("", std::string("--") + key, "required for '" + op + "'");
    return get_double_array(in, key, "stats " + op);
  };
  auto has = [&](const char* key) { return in.contains(key); };
  auto integer = [&](const char* key, int fallback) { return get_int(in, key, "stats " + op, fallback); };
  auto real = [&](const char* key, double fallback) { return get_double(in, key, "stats " + op, fallback); };
  if (op == "ks") {
    const auto a = vec("a"), b = vec("b");
    const KsResult r = has("wa") || has("wb") ? ks_two_sample_weighted(a, vec("wa"), b, vec("wb")) : ks_two_sample(a, b);
    return {{"d", r.d}, {"p_value", r.p_value}, {"method", r.method}};
  }
  if (op == "kstwo") {
    const int n = integer("n", 1);
    const double d = real("d", 0);
    return {{"n", n}, {"d", d}, {"sf", kstwo_sf(n, d)}};
  }
  if (op == "edf") {
    const auto a = vec("a");
    const EdfCurve c = edf_curve(a);
    nlohmann::json j{{"curve_x", c.x}, {"curve_y", c.y}};
    if (has("at")) j["edf"] = edf(a, vec("at"));
    return j;
  }
  if (op == "nds") {
    // a: complexity; optional errors (and at) for the weighted EDF.
    const auto c = vec("a");
    const int bins = integer("bins", 5);
    const auto w = normalized_weights(c, bins);
    nlohmann::json j{{"bins", bins}, {"bin", complexity_bins(c, bins)}, {"weights", w}};
    if (has("errors")) {
      const auto e = vec("errors");
      j["weighted_edf"] = weighted_edf(e, w, has("at") ? vec("at") : e);
      const EdfCurve curve = edf_curve(e, w);
      j["curve_x"] = curve.x;
      j["curve_y"] = curve.y;
    }
    return j;
  }
  if (op == "bootstrap") {
    const BootstrapResult r = bootstrap_best(vec("x"), vec("errors"), integer("resamples", 10000),
                                             real("fraction", 0.25), in.value("seed", std::uint64_t{0}));
    return {{"median", r.median}, {"lo", r.lo}, {"hi", r.hi}, {"resamples", r.resamples}};
  }
  if (op == "best-of") {
    std::vector<int> ms;
    for (double m : vec("m")) {
      if (m != std::floor(m)) fail("", "--m", std::to_string(m) + " is not an integer");
      ms.push_back(static_cast<int>(m));
    }
    return {{"m", ms}, {"expected_best", expected_best_of(vec("a"), ms)}};
  }
  if (op == "summary") {
    const Summary s = summarize(vec("a"));
    return {{"n", s.n}, {"min", s.min}, {"mean", s.mean}, {"median", s.median}, {"max", s.max}};
  }
  if (op == "fit-bench") {
    // Random RegNet widths (REGNET.md §4's refined ranges); every other model gets +-10% noise.
    const int models = integer("models", 200);
    if (models < 1) fail("", "--models", std::to_string(models) + " must be >= 1");
    SplitMix64 rng(in.value("seed", std::uint64_t{0}));
    auto uniform = [&] { return static_cast<double>(rng.next() >> 11) * 0x1.0p-53; };
    std::vector<std::vector<int>> inputs;
    long blocks = 0;
    for (int i = 0; i < models; ++i) {
      const int d = 12 + static_cast<int>(rng.below(17));
      const double w0 = 8.0 * (1 + static_cast<double>(rng.below(32)));
      const double wa = 8 * std::exp(uniform() * std::log(32.0));
      const double wm = 2 + uniform();
      auto w = generate_regnet_unchecked(wa, w0, wm, d).block_widths;
      if (i % 2)
        for (int& x : w)
          x = std::max(8, static_cast<int>(std::lround(x * std::exp(0.1 * (2 * uniform() - 1)) / 8)) * 8);
      blocks += d;
      inputs.push_back(std::move(w));
    }
    const auto t0 = std::chrono::steady_clock::now();
    double e_sum = 0, worst_ms = 0;
    int exact = 0;
    for (size_t i = 0; i < inputs.size(); ++i) {
      const auto t1 = std::chrono::steady_clock::now();
      const WidthFit f = fit_widths(inputs[i]);
      worst_ms = std::max(worst_ms,
                          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t1).count());
      e_sum += f.e_fit;
      exact += (i % 2 == 0 && f.e_fit == 0) ? 1 : 0;
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return {{"models", models},
            {"mean_depth", static_cast<double>(blocks) / models},
            {"total_ms", ms},
            {"ms_per_model", ms / models},
            {"max_ms", worst_ms},
            {"exact_inputs", (models + 1) / 2},
            {"exact_recovered", exact},
            {"mean_e_fit", e_sum / models}};
  }
  fail("", "stats", "unknown operation '" + op + "'");
}

struct Inputs {
  std::string a, b, wa, wb, at, x, errors, m, batch;
  int bins = 5, resamples = 10000, n = 1, models = 200;
  double d = 0, fraction = 0.25;
  std::uint64_t seed = 0;
  bool json = false;
};

nlohmann::json inputs_json(const Inputs& in) {
  nlohmann::json j{{"bins", in.bins}, {"resamples", in.resamples}, {"n", in.n},       {"models", in.models},
                   {"d", in.d},       {"fraction", in.fraction},   {"seed", in.seed}};
  const std::pair<const char*, const std::string*> lists[] = {{"a", &in.a},   {"b", &in.b}, {"wa", &in.wa},
                                                              {"wb", &in.wb}, {"at", &in.at}, {"x", &in.x},
                                                              {"errors", &in.errors}, {"m", &in.m}};
  for (const auto& [key, text] : lists)
    if (!text->empty()) j[key] = parse_numbers(*text, std::string("--") + key);
  return j;
}

}  // namespace

void add_stats_command(CLI::App& app) {
  auto* cmd = app.add_subcommand("stats", "Statistics on numbers given inline (for checks; hidden)");
  cmd->group("");  // not listed in the main --help
  auto in = std::make_shared<Inputs>();
  auto op = std::make_shared<std::string>();
  const std::vector<std::string> ops = {"ks", "kstwo", "edf", "nds", "bootstrap", "best-of", "summary", "fit-bench"};
  cmd->add_option("operation", *op, "ks | kstwo | edf | nds | bootstrap | best-of | summary | fit-bench")
      ->check(CLI::IsMember(ops));
  cmd->add_option("--a", in->a, "Sample a (ks, edf, best-of, summary) or complexity values (nds): 1,2,3 or @FILE");
  cmd->add_option("--b", in->b, "Sample b (ks)");
  cmd->add_option("--wa", in->wa, "Weights of sample a (weighted ks)");
  cmd->add_option("--wb", in->wb, "Weights of sample b (weighted ks)");
  cmd->add_option("--at", in->at, "Where to evaluate the EDF (edf, nds)");
  cmd->add_option("--x", in->x, "Parameter values (bootstrap)");
  cmd->add_option("--errors", in->errors, "Errors (bootstrap, nds)");
  cmd->add_option("--m", in->m, "Sample sizes m (best-of)");
  cmd->add_option("--bins", in->bins, "Complexity bins (nds)");
  cmd->add_option("--resamples", in->resamples, "Bootstrap repetitions");
  cmd->add_option("--fraction", in->fraction, "Bootstrap resample fraction");
  cmd->add_option("--seed", in->seed, "Random seed (bootstrap, fit-bench)");
  cmd->add_option("--n", in->n, "Sample size (kstwo)");
  cmd->add_option("--d", in->d, "Statistic (kstwo)");
  cmd->add_option("--models", in->models, "Models to fit (fit-bench)");
  cmd->add_option("--batch", in->batch,
                  "JSON file: an array of {\"op\": ..., inputs by option name} run in one process; "
                  "prints the array of results (an error becomes {\"error\": message})");
  cmd->add_flag("--json", in->json, "Print JSON");
  cmd->footer(
      "For checks: exposes lib/core's statistics so that tests can compare them with scipy.\n"
      "Examples:\n"
      "  regnet-explore stats ks --a 1,2,3,4 --b 2.5,3.5,5 --json\n"
      "  regnet-explore stats ks --a @a.txt --b @b.txt --wa @wa.txt --wb @wb.txt\n"
      "  regnet-explore stats kstwo --n 50 --d 0.2\n"
      "  regnet-explore stats nds --a 380,362,399,371 --bins 2 --errors 40,38,36,39\n"
      "  regnet-explore stats bootstrap --x 1,2,3,4 --errors 9,7,6,8 --seed 1\n"
      "  regnet-explore stats best-of --a 30,31,35,40 --m 1,2,4\n"
      "  regnet-explore stats --batch checks.json     # [{\"op\": \"ks\", \"a\": [1, 2], \"b\": [3]}, ...]\n"
      "  regnet-explore stats fit-bench --models 1000   # ms per width fit");
  cmd->callback([in, op] {
    if (!in->batch.empty()) {
      const nlohmann::json list = read_json_file(in->batch);
      if (!list.is_array()) fail(in->batch, "", "expected a JSON array of operations");
      nlohmann::json out = nlohmann::json::array();
      for (size_t i = 0; i < list.size(); ++i) {
        const std::string where = in->batch + "[" + std::to_string(i) + "]";
        try {
          out.push_back(run_op(get_string(list[i], "op", where), list[i]));
        } catch (const UserError& e) {
          out.push_back({{"error", e.what()}});
        }
      }
      std::cout << out.dump() << "\n";
      return;
    }
    if (op->empty()) fail("", "stats", "give an operation (ks, kstwo, edf, nds, bootstrap, best-of, summary, fit-bench) or --batch FILE");
    emit(run_op(*op, inputs_json(*in)), in->json);
  });
}

}  // namespace regnet::cli
