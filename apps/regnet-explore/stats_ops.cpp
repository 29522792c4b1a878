#include "stats_ops.hpp"

#include <cmath>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/fit/fit_bench.hpp"
#include "core/stats/nds_comparison.hpp"
#include "core/stats/sequential_test.hpp"
#include "core/stats/stats_json.hpp"
#include "core/stats/three_way_test.hpp"

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
  // An array of arrays (one per sample), or a single array as one sample.
  std::vector<std::vector<double>> samples(const char* key) const {
    if (!has(key)) fail("", std::string("--") + key, "required for '" + op_ + "'");
    const auto& v = in_[key];
    if (!v.is_array() || v.empty() || !v[0].is_array()) return {numbers(key)};
    std::vector<std::vector<double>> out;
    for (size_t i = 0; i < v.size(); ++i)
      out.push_back(get_double_array(nlohmann::json{{key, v[i]}}, key, where_ + "[" + std::to_string(i) + "]"));
    return out;
  }
  int integer(const char* key, int fallback) const { return get_int(in_, key, where_, fallback); }
  bool flag(const char* key) const { return get_bool(in_, key, where_, false); }
  std::string text(const char* key, const std::string& fallback = "") const {
    return get_string(in_, key, where_, fallback);
  }
  double real(const char* key, double fallback) const { return get_double(in_, key, where_, fallback); }
  std::uint64_t seed(std::uint64_t fallback = 0) const {
    return has("seed") ? get_uint64(in_, "seed", where_) : fallback;
  }
  const std::string& where() const { return where_; }

 private:
  std::string op_;
  const nlohmann::json& in_;
  std::string where_;
};

nlohmann::json ks(const Inputs& in) {
  const auto a = in.numbers("a"), b = in.numbers("b");
  return to_json(in.has("wa") || in.has("wb") ? ks_two_sample_weighted(a, in.numbers("wa"), b, in.numbers("wb"))
                                              : ks_two_sample(a, b));
}

nlohmann::json kstwo(const Inputs& in) {
  const int n = in.integer("n", 1);
  const double d = in.real("d", 0);
  return {{"n", n}, {"d", d}, {"sf", kstwo_sf(n, d)}};
}

nlohmann::json edf_op(const Inputs& in) {
  const auto a = in.numbers("a");
  nlohmann::json j = to_json(edf_curve(a));
  if (in.has("at")) j["edf"] = edf(a, in.numbers("at"));
  return j;
}

// The NDS comparison of one or more samples (complexity: an array per sample, or a and b);
// optional errors (an array per sample) for the weighted EDFs and the pairwise normalized KS tests.
NdsOptions nds_options(const Inputs& in) {
  NdsOptions o;
  o.bins = in.integer("bins", 0);
  o.log_bins = in.flag("log_bins");
  const Window w = parse_window(in.text("range").empty() ? ":" : in.text("range"), "--range");
  if (w.lo) o.lo = static_cast<double>(*w.lo);
  if (w.hi) o.hi = static_cast<double>(*w.hi);
  if (in.has("lo")) o.lo = in.real("lo", 0);
  if (in.has("hi")) o.hi = in.real("hi", 0);
  return o;
}

std::vector<std::vector<double>> nds_complexity(const Inputs& in) {
  if (in.has("complexity")) return in.samples("complexity");
  auto c = std::vector<std::vector<double>>{in.numbers("a")};
  if (in.has("b")) c.push_back(in.numbers("b"));
  return c;
}

nlohmann::json nds(const Inputs& in) {
  const auto errors = in.has("errors") ? in.samples("errors") : std::vector<std::vector<double>>{};
  return to_json(nds_compare(nds_complexity(in), errors, nds_options(in),
                             in.has("at") ? in.numbers("at") : std::vector<double>{}));
}

nlohmann::json best_of(const Inputs& in) {
  std::vector<int> ms;
  for (double m : in.numbers("m")) {
    if (m != std::floor(m)) fail("", "--m", std::to_string(m) + " is not an integer");
    ms.push_back(static_cast<int>(m));
  }
  return {{"m", ms}, {"expected_best", expected_best_of(in.numbers("a"), ms)}};
}

nlohmann::json fit_bench(const Inputs& in) {
  const int models = in.integer("models", 200);
  if (models < 1) fail("", "--models", std::to_string(models) + " must be >= 1");
  return to_json(run_fit_bench(models, in.seed()));
}

SequentialDesign design_of(const Inputs& in) {
  SequentialDesign d;
  d.looks.clear();
  for (double v : in.numbers("looks")) d.looks.push_back(as_int(v, "--looks", in.where()));
  d.alpha = in.real("alpha", 0.05);
  d.spending = spending_from_string(in.text("spending", "pocock"), "--spending");
  d.simulations = in.integer("simulations", d.simulations);
  d.seed = in.seed(1);
  return d;
}

// The group-sequential KS test of a and b (errors in trained order) at the given looks.
nlohmann::json sequential(const Inputs& in) {
  const SequentialOutcome o = sequential_ks(in.numbers("a"), in.numbers("b"), design_of(in));
  nlohmann::json j = to_json(o);
  j["table"] = looks_table(o);
  return j;
}

// The three-outcome test of two lists: margin, and non_inferior "a" or "b" for a one-sided question.
nlohmann::json three_way(const Inputs& in) {
  const SequentialDesign d = design_of(in);
  if (!in.has("margin")) fail("", "--margin", "required for 'three-way'");
  ThreeWayQuestion q{in.real("margin", 0), 0};
  const std::string side = in.text("non_inferior");
  if (side == "a" || side == "b")
    q.non_inferior = side == "a" ? 1 : -1;
  else if (!side.empty())
    fail("", "--non-inferior", "'" + printable(side) + "': a or b (the sample asked to be no worse)");
  const ThreeWayOutcome o =
      three_way_test(TrainedErrors{in.numbers("a"), false}, TrainedErrors{in.numbers("b"), false}, d, q);
  nlohmann::json j = to_json(o);
  j["table"] = three_way_table(o);
  return j;
}

struct Operation {
  const char* name;
  nlohmann::json (*run)(const Inputs&);
};
// The one-line operations are written in place.
const Operation kOperations[] = {
    {"ks", ks},
    {"kstwo", kstwo},
    {"edf", edf_op},
    {"nds", nds},
    {"bootstrap",
     [](const Inputs& in) {
       return to_json(bootstrap_best(in.numbers("x"), in.numbers("errors"), in.integer("resamples", 10000),
                                     in.real("fraction", 0.25), in.seed()));
     }},
    {"difference",  // bootstrap intervals of b - a in mean, median, expected best of m
     [](const Inputs& in) {
       return to_json(
           bootstrap_differences(in.numbers("a"), in.numbers("b"), in.integer("resamples", 10000), in.seed()));
     }},
    {"ks-power",  // models per space for 80% KS power (resamples: repetitions per size)
     [](const Inputs& in) {
       return to_json(ks_power(in.numbers("a"), in.numbers("b"), in.real("alpha", 0.05), 0.8,
                               in.integer("resamples", 1000), in.seed()));
     }},
    {"best-of", best_of},
    {"summary", [](const Inputs& in) { return to_json(summarize(in.numbers("a"))); }},
    {"fit-bench", fit_bench},
    {"sequential", sequential},
    {"three-way", three_way},
    {"spearman", [](const Inputs& in) { return to_json(spearman(in.numbers("x"), in.numbers("y"))); }},
    {"kendall", [](const Inputs& in) { return to_json(kendall(in.numbers("x"), in.numbers("y"))); }},
};

}  // namespace

const std::vector<std::string>& stats_operations() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& op : kOperations) n.push_back(op.name);
    return n;
  }();
  return names;
}

nlohmann::json run_stats_op(const std::string& op, const nlohmann::json& in) {
  for (const auto& o : kOperations)
    if (op == o.name) return o.run(Inputs(op, in));
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

}  // namespace regnet
