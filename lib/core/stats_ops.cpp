#include "core/stats_ops.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "core/error.hpp"
#include "core/fit.hpp"
#include "core/json_io.hpp"
#include "core/ks.hpp"
#include "core/regnet.hpp"
#include "core/rng.hpp"
#include "core/stats.hpp"
#include "core/stats_ops_sequential.hpp"

namespace regnet {

namespace {

// An operation's inputs, read with errors that name the operation and the option.
class Inputs {
 public:
  Inputs(const std::string& op, const nlohmann::json& in) : op_(op), in_(in), where_("stats " + op) {}
  bool has(const char* key) const { return in_.contains(key); }
  std::vector<double> numbers(const char* key) const {
    if (!has(key)) fail("", std::string("--") + key, "required for '" + op_ + "'");
    return get_double_array(in_, key, where_);
  }
  int integer(const char* key, int fallback) const { return get_int(in_, key, where_, fallback); }
  double real(const char* key, double fallback) const { return get_double(in_, key, where_, fallback); }
  std::uint64_t seed() const { return in_.value("seed", std::uint64_t{0}); }

 private:
  std::string op_;
  const nlohmann::json& in_;
  std::string where_;
};

nlohmann::json ks(const Inputs& in) {
  const auto a = in.numbers("a"), b = in.numbers("b");
  const KsResult r = in.has("wa") || in.has("wb") ? ks_two_sample_weighted(a, in.numbers("wa"), b, in.numbers("wb"))
                                                  : ks_two_sample(a, b);
  return {{"d", r.d}, {"p_value", r.p_value}, {"method", r.method}};
}

nlohmann::json kstwo(const Inputs& in) {
  const int n = in.integer("n", 1);
  const double d = in.real("d", 0);
  return {{"n", n}, {"d", d}, {"sf", kstwo_sf(n, d)}};
}

nlohmann::json edf_op(const Inputs& in) {
  const auto a = in.numbers("a");
  const EdfCurve c = edf_curve(a);
  nlohmann::json j{{"curve_x", c.x}, {"curve_y", c.y}};
  if (in.has("at")) j["edf"] = edf(a, in.numbers("at"));
  return j;
}

// a: complexity; optional errors (and at) for the weighted EDF.
nlohmann::json nds(const Inputs& in) {
  const auto c = in.numbers("a");
  const int bins = in.integer("bins", 5);
  const auto w = normalized_weights(c, bins);
  nlohmann::json j{{"bins", bins}, {"bin", complexity_bins(c, bins)}, {"weights", w}};
  if (in.has("errors")) {
    const auto e = in.numbers("errors");
    j["weighted_edf"] = weighted_edf(e, w, in.has("at") ? in.numbers("at") : e);
    const EdfCurve curve = edf_curve(e, w);
    j["curve_x"] = curve.x;
    j["curve_y"] = curve.y;
  }
  return j;
}

nlohmann::json bootstrap(const Inputs& in) {
  const BootstrapResult r = bootstrap_best(in.numbers("x"), in.numbers("errors"), in.integer("resamples", 10000),
                                           in.real("fraction", 0.25), in.seed());
  return {{"median", r.median}, {"lo", r.lo}, {"hi", r.hi}, {"resamples", r.resamples}};
}

nlohmann::json best_of(const Inputs& in) {
  std::vector<int> ms;
  for (double m : in.numbers("m")) {
    if (m != std::floor(m)) fail("", "--m", std::to_string(m) + " is not an integer");
    ms.push_back(static_cast<int>(m));
  }
  return {{"m", ms}, {"expected_best", expected_best_of(in.numbers("a"), ms)}};
}

nlohmann::json summary(const Inputs& in) {
  const Summary s = summarize(in.numbers("a"));
  return {{"n", s.n}, {"min", s.min}, {"mean", s.mean}, {"median", s.median}, {"max", s.max}};
}

// Random RegNet widths (REGNET.md §4's refined ranges); every other model gets +-10% noise.
std::vector<std::vector<int>> bench_widths(int models, std::uint64_t seed) {
  SplitMix64 rng(seed);
  auto uniform = [&] { return static_cast<double>(rng.next() >> 11) * 0x1.0p-53; };
  std::vector<std::vector<int>> inputs;
  for (int i = 0; i < models; ++i) {
    const int d = 12 + static_cast<int>(rng.below(17));
    const double w0 = 8.0 * (1 + static_cast<double>(rng.below(32)));
    const double wa = 8 * std::exp(uniform() * std::log(32.0));
    const double wm = 2 + uniform();
    auto w = generate_regnet_unchecked(wa, w0, wm, d).block_widths;
    if (i % 2)
      for (int& x : w) x = std::max(8, static_cast<int>(std::lround(x * std::exp(0.1 * (2 * uniform() - 1)) / 8)) * 8);
    inputs.push_back(std::move(w));
  }
  return inputs;
}

nlohmann::json fit_bench(const Inputs& in) {
  const int models = in.integer("models", 200);
  if (models < 1) fail("", "--models", std::to_string(models) + " must be >= 1");
  const auto inputs = bench_widths(models, in.seed());
  using Clock = std::chrono::steady_clock;
  auto ms_since = [](Clock::time_point t) { return std::chrono::duration<double, std::milli>(Clock::now() - t).count(); };
  const auto t0 = Clock::now();
  double e_sum = 0, worst_ms = 0;
  int exact = 0;
  long blocks = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const auto t1 = Clock::now();
    const WidthFit f = fit_widths(inputs[i]);
    worst_ms = std::max(worst_ms, ms_since(t1));
    e_sum += f.e_fit;
    exact += (i % 2 == 0 && f.e_fit == 0) ? 1 : 0;
    blocks += static_cast<long>(inputs[i].size());
  }
  const double ms = ms_since(t0);
  return {{"models", models},
          {"mean_depth", static_cast<double>(blocks) / models},
          {"total_ms", ms},
          {"ms_per_model", ms / models},
          {"max_ms", worst_ms},
          {"exact_inputs", (models + 1) / 2},
          {"exact_recovered", exact},
          {"mean_e_fit", e_sum / models}};
}

struct Operation {
  const char* name;
  nlohmann::json (*run)(const Inputs&);
};
const Operation kOperations[] = {{"ks", ks},           {"kstwo", kstwo},     {"edf", edf_op},
                                 {"nds", nds},         {"bootstrap", bootstrap}, {"best-of", best_of},
                                 {"summary", summary}, {"fit-bench", fit_bench}};

}  // namespace

const std::vector<std::string>& stats_operations() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& op : kOperations) n.push_back(op.name);
    for (const auto& op : sequential_stats_operations()) n.push_back(op.name);
    return n;
  }();
  return names;
}

nlohmann::json run_stats_op(const std::string& op, const nlohmann::json& in) {
  for (const auto& o : kOperations)
    if (op == o.name) return o.run(Inputs(op, in));
  for (const auto& o : sequential_stats_operations())
    if (op == o.name) return o.run(in);
  fail("", "stats", "unknown operation '" + op + "'");
}

nlohmann::json run_stats_batch(const nlohmann::json& list, const std::string& where) {
  if (!list.is_array()) fail(where, "", "expected a JSON array of operations");
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < list.size(); ++i) {
    try {
      out.push_back(run_stats_op(get_string(list[i], "op", where + "[" + std::to_string(i) + "]"), list[i]));
    } catch (const UserError& e) {
      out.push_back({{"error", e.what()}});
    }
  }
  return out;
}

std::vector<double> parse_numbers(const std::string& text, const std::string& option) {
  const bool from_file = !text.empty() && text[0] == '@';
  const std::string where = from_file ? text.substr(1) : option;
  const std::string body = from_file ? read_text_file(where) : text;
  auto separator = [](char c) { return c == ',' || std::isspace(static_cast<unsigned char>(c)); };
  std::vector<double> out;
  for (size_t i = 0; i < body.size();) {
    if (separator(body[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < body.size() && !separator(body[j])) ++j;
    const std::string token = body.substr(i, j - i);
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end != token.c_str() + token.size() || !std::isfinite(v))
      fail(from_file ? where : "", option, "'" + token + "' is not a finite number");
    out.push_back(v);
    i = j;
  }
  return out;
}

}  // namespace regnet
