// analyze() as a sequence of stages over one Analysis: counts and warnings, per-sweep summaries,
// normalized EDFs, KS tests, the bootstrap and width fits (in parallel), trends across regimes.
#include "core/report/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/parallel.hpp"
#include "core/base/text.hpp"
#include "core/compare/audit.hpp"
#include "core/compare/compare_planner.hpp"
#include "core/compare/compare_state.hpp"
#include "core/report/compare_report.hpp"
#include "core/report/refine_report.hpp"
#include "core/stats/nds_normalization.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

namespace {

struct NormalizationName {
  Normalization normalization;
  const char* name;
};
constexpr NormalizationName kNormalizations[] = {
    {Normalization::none, "none"}, {Normalization::flops, "flops"}, {Normalization::params, "params"}};

}  // namespace

std::string to_string(Normalization n) {
  for (const auto& e : kNormalizations)
    if (e.normalization == n) return e.name;
  return "none";
}

Normalization normalization_from_string(const std::string& s, const std::string& where) {
  for (const auto& e : kNormalizations)
    if (s == e.name) return e.normalization;
  fail(where, "--normalize", "'" + s + "' is not one of flops, params, none");
}

std::vector<Parameter> parameters_of(const Analysis& a) {
  std::map<int, Parameter> merged;
  for (const auto& s : a.sweeps)
    for (const auto& b : s.bootstrap) merged[parameter_order(b.parameter.key)] = b.parameter;
  std::vector<Parameter> out;
  for (auto& [order, p] : merged) out.push_back(std::move(p));
  return out;
}

const ParameterBootstrap* find_bootstrap(const SweepAnalysis& s, const std::string& key) {
  for (const auto& b : s.bootstrap)
    if (b.parameter.key == key) return &b;
  return nullptr;
}

WeightedErrors normalized_sample(const SweepAnalysis& s) {
  WeightedErrors out;
  for (size_t i = 0; i < s.models.size() && i < s.weights.size(); ++i)
    if (s.weights[i] > 0) {
      out.errors.push_back(s.models[i].error);
      out.weights.push_back(s.weights[i]);
    }
  return out;
}

std::string normalization_text(const Analysis& a) {
  if (a.normalization == Normalization::none) return "";
  return "by " + to_string(a.normalization) + " over [" + complexity_text(a.range.lo) + ", " +
         complexity_text(a.range.hi) + "] (" + (a.range_auto ? "the intersection of the sweeps' ranges" : "--range") +
         "), K = " + std::to_string(a.bins) + (a.log_bins ? " log-spaced" : " linear") + " bins" +
         (a.bins_auto ? " (automatic)" : "");
}

std::vector<const SweepAnalysis*> regimes(const Analysis& a) {
  std::vector<const SweepAnalysis*> out;
  for (const auto& s : a.sweeps)
    if (!s.models.empty()) out.push_back(&s);
  std::stable_sort(out.begin(), out.end(),
                   [](const SweepAnalysis* x, const SweepAnalysis* y) { return x->median_flops < y->median_flops; });
  return out;
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::vector<double> errors_of(const std::vector<ModelPoint>& models) {
  std::vector<double> e;
  e.reserve(models.size());
  for (const auto& m : models) e.push_back(m.error);
  return e;
}

double median_of(std::vector<double> v) {
  if (v.empty()) return kNaN;
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// --- Counts and warnings --------------------------------------------------------------------

void require_finished_models(const std::vector<SweepData>& input) {
  SweepCounts total;
  std::vector<std::string> dirs;
  for (const auto& s : input) {
    total.done += static_cast<int>(s.models.size());
    total.samples += s.counts.samples;
    total.diverged += s.counts.diverged;
    total.failed += s.counts.failed;
    total.missing += s.counts.missing;
    dirs.push_back(s.dir);
  }
  if (total.done > 0) return;
  fail(join(dirs, ", "), "results",
       "no finished results to analyze (" + std::to_string(total.samples) +
           " samples: " + std::to_string(total.missing) + " without a result, " + std::to_string(total.diverged) +
           " diverged, " + std::to_string(total.failed) + " failed); train first: regnet-explore train SWEEP");
}

void add_sweep_warnings(const SweepData& s, std::vector<std::string>& out) {
  if (s.models.empty())
    out.push_back(s.name + ": no finished results; left out of the EDFs, tests and figures");
  else if (s.counts.missing > 0)
    out.push_back(s.name + ": " + std::to_string(s.counts.missing) + " of " + std::to_string(s.counts.samples) +
                  " samples have no result yet (partial sweep); analyzing the " + std::to_string(s.counts.done) +
                  " finished");
  if (s.counts.diverged + s.counts.failed > 0)
    out.push_back(s.name + ": " + std::to_string(s.counts.diverged) + " diverged and " +
                  std::to_string(s.counts.failed) + " failed runs are left out");
  if (s.dataset.find('+') != std::string::npos)
    out.push_back(s.name + ": results come from several datasets (" + s.dataset + ")");
  if (s.schedule_recipe.find('\n') != std::string::npos)
    out.push_back(s.name + ": results were trained with several schedules (" + s.schedule + ")");
}

// One warning when the sweeps differ in `key` (their errors are then not comparable), naming each
// sweep's `shown` value.
void add_mismatch_warning(const std::vector<SweepData>& input, std::string SweepData::*key,
                          std::string SweepData::*shown, const std::string& what, std::vector<std::string>& out) {
  std::set<std::string> values;
  std::vector<std::string> which;
  for (const auto& s : input)
    if (!(s.*key).empty()) {
      values.insert(s.*key);
      which.push_back(s.name + ": " + s.*shown);
    }
  if (values.size() > 1)
    out.push_back("sweeps were trained " + what + " (" + join(which, ", ") + "): their errors are not comparable");
}

std::vector<std::string> input_warnings(const std::vector<SweepData>& input) {
  std::vector<std::string> out;
  for (const auto& s : input) add_sweep_warnings(s, out);
  add_mismatch_warning(input, &SweepData::dataset, &SweepData::dataset, "on different datasets", out);
  add_mismatch_warning(input, &SweepData::schedule_recipe, &SweepData::schedule, "with different schedules", out);
  return out;
}

// --- Per-sweep summaries, EDF, random-search efficiency --------------------------------------

SweepAnalysis summarize_sweep(const SweepData& s, double alpha) {
  SweepAnalysis sa;
  sa.name = s.name;
  sa.dir = s.dir;
  sa.dataset = s.dataset;
  sa.sweep_json = s.sweep_json;
  sa.identity = sweep_identity(s);
  sa.counts = s.counts;
  sa.models = s.models;
  sa.rows = s.rows;
  if (s.models.empty()) return sa;
  const auto errors = errors_of(s.models);
  sa.error = summarize(errors);
  sa.edf = edf_curve(errors);
  sa.edf_band = dkw_epsilon(static_cast<double>(errors.size()), alpha);
  for (int m = 1; m <= static_cast<int>(errors.size()); m *= 2) sa.best_of_m.push_back(m);
  sa.expected_best = expected_best_of(errors, sa.best_of_m);
  std::vector<double> flops;
  for (const auto& m : s.models) flops.push_back(m.complexity.flops / 1e6);
  sa.median_flops = median_of(flops);
  return sa;
}

// --- Normalized EDFs (NDS): every analyzed sweep binned over one shared complexity range ----

double complexity_of(const ModelPoint& m, Normalization by) {
  return static_cast<double>(by == Normalization::params ? m.complexity.params : m.complexity.flops);
}

NdsOptions nds_options(const AnalyzeOptions& opt) {
  NdsOptions o;
  o.bins = opt.bins;
  if (opt.range.lo) o.lo = static_cast<double>(*opt.range.lo);
  if (opt.range.hi) o.hi = static_cast<double>(*opt.range.hi);
  o.log_bins = opt.log_bins;
  o.measure = to_string(opt.normalization);
  o.hint = ", or skip normalization with --normalize none";
  return o;
}

// Kish's effective sample size of weights: (sum w)^2 / sum w^2.
double effective_n(const std::vector<double>& w) {
  double sum = 0, sum2 = 0;
  for (double v : w) {
    sum += v;
    sum2 += v * v;
  }
  return sum2 > 0 ? sum * sum / sum2 : 0;
}

void normalize_edfs(Analysis& a, const AnalyzeOptions& opt, const std::function<void(const std::string&)>& progress) {
  if (opt.normalization == Normalization::none) return;
  std::vector<SweepAnalysis*> analyzed;
  std::vector<std::vector<double>> complexity;
  std::vector<std::string> names;
  for (auto& s : a.sweeps) {
    if (s.models.empty()) continue;
    analyzed.push_back(&s);
    complexity.emplace_back();
    for (const auto& m : s.models) complexity.back().push_back(complexity_of(m, opt.normalization));
    names.push_back(s.name == s.dir ? s.name : s.name + " (" + s.dir + ")");
  }
  const NdsNormalization n = nds_normalize(complexity, names, nds_options(opt));
  a.normalization = opt.normalization;
  a.bins = n.bins;
  a.bins_auto = n.bins_auto;
  a.range = n.range;
  a.range_auto = n.range_auto;
  a.log_bins = n.log_bins;
  a.bin_edges = n.edges;
  for (size_t k = 0; k < analyzed.size(); ++k) {
    SweepAnalysis& s = *analyzed[k];
    s.weights = n.weights[k];
    s.outside_range = n.outside[k];
    const WeightedErrors in = normalized_sample(s);
    s.normalized_edf = edf_curve(in.errors, in.weights);
    s.normalized_edf_band = dkw_epsilon(effective_n(in.weights), opt.alpha);
  }
  progress("normalized EDFs " + normalization_text(a) + (a.bins_auto ? "; set K with --bins" : ""));
}

// --- Pairwise KS tests ----------------------------------------------------------------------

// Whether a pair (i, j) is computed as (j, i): every pair statistic is computed with the sweep of
// the smaller identity first, so none depends on the order of the arguments.
bool canonical_swap(const std::vector<SweepAnalysis>& sweeps, size_t i, size_t j) {
  return sweeps[j].identity < sweeps[i].identity;
}

KsTable ks_tests(const std::vector<SweepAnalysis>& sweeps, bool normalized) {
  const size_t n = sweeps.size();
  const KsResult none{kNaN, kNaN};
  KsTable t;
  t.plain.assign(n, std::vector<KsResult>(n, none));
  if (normalized) t.normalized.assign(n, std::vector<KsResult>(n, none));
  for (size_t i = 0; i < n; ++i) t.names.push_back(sweeps[i].name);
  for (size_t i = 0; i < n; ++i)
    for (size_t j = i; j < n; ++j) {
      if (sweeps[i].models.empty() || sweeps[j].models.empty()) continue;
      const bool swap = canonical_swap(sweeps, i, j);
      const SweepAnalysis& x = sweeps[swap ? j : i];
      const SweepAnalysis& y = sweeps[swap ? i : j];
      t.plain[i][j] = t.plain[j][i] = ks_two_sample(errors_of(x.models), errors_of(y.models));
      if (!normalized) continue;
      const WeightedErrors nx = normalized_sample(x), ny = normalized_sample(y);
      t.normalized[i][j] = t.normalized[j][i] = ks_two_sample_weighted(nx.errors, nx.weights, ny.errors, ny.weights);
    }
  return t;
}

// --- Per pair: bootstrap intervals of the differences, and the KS power ---------------------

// Every pair of analyzed sweeps, in command-line order.
std::vector<PairAnalysis> analyzed_pairs(const std::vector<SweepAnalysis>& sweeps) {
  std::vector<PairAnalysis> pairs;
  for (size_t i = 0; i < sweeps.size(); ++i)
    for (size_t j = i + 1; j < sweeps.size(); ++j)
      if (!sweeps[i].models.empty() && !sweeps[j].models.empty()) {
        pairs.emplace_back();
        pairs.back().a = i;
        pairs.back().b = j;
      }
  return pairs;
}

// The pairs' statistics as tasks: the differences' bootstrap in chunks (one pair of 10^4 models
// costs seconds), the KS power; finish_pairs stores the differences once every task has run.
struct PairWork {
  std::vector<DifferenceBootstrap> bootstraps;  // per pair, in the canonical order
  std::vector<bool> swapped;                    // per pair: computed as (b, a)
  std::vector<std::function<void()>> tasks;
};

// Fills `w` (its tasks point into it: it must stay where it is until they have run).
void pair_work(Analysis& a, const AnalyzeOptions& opt, PairWork& w) {
  a.pairs = analyzed_pairs(a.sweeps);
  for (auto& p : a.pairs) {
    const bool swap = canonical_swap(a.sweeps, p.a, p.b);
    const SweepAnalysis& x = a.sweeps[swap ? p.b : p.a];
    const SweepAnalysis& y = a.sweeps[swap ? p.a : p.b];
    const std::uint64_t seed = derive_seed(derive_seed(opt.seed, x.identity), y.identity);
    w.bootstraps.emplace_back(errors_of(x.models), errors_of(y.models), opt.resamples, derive_seed(seed, 1));
    w.swapped.push_back(swap);
    w.tasks.push_back([&p, &x, &y, &opt, seed] {
      p.power = ks_power(errors_of(x.models), errors_of(y.models), opt.alpha, 0.8, opt.power_repetitions,
                         derive_seed(seed, 2));
    });
  }
  for (auto& boot : w.bootstraps)
    for (size_t c = 0; c < boot.chunks(); ++c) w.tasks.push_back([&boot, c] { boot.run(c); });
}

void finish_pairs(Analysis& a, const PairWork& w) {
  for (size_t k = 0; k < a.pairs.size(); ++k) {
    const auto d = w.bootstraps[k].result();
    a.pairs[k].difference = w.swapped[k] ? reversed(d) : d;
  }
}

// --- Bootstrap of every parameter's best value, and the width fits: the costly part ----------

// The seed of a sweep's bootstrap: from its identity, not its position or legend name, so that it
// depends neither on the order of the sweeps nor on the order of the tasks.
std::uint64_t sweep_seed(std::uint64_t seed, std::uint64_t sweep) {
  return derive_seed(derive_seed(seed, sweep), hash_text("best"));
}

// The best model of each resample (`best`; empty without resamples) read for one parameter.
ParameterBootstrap bootstrap_parameter(const std::vector<ModelPoint>& models, const Parameter& param,
                                       const std::vector<size_t>& best) {
  std::vector<double> x, e;
  for (const auto& m : models) {
    x.push_back(*parameter_value(m, param.key));
    e.push_back(m.error);
  }
  ParameterBootstrap b;
  b.parameter = param;
  b.x_min = *std::min_element(x.begin(), x.end());
  b.x_max = *std::max_element(x.begin(), x.end());
  b.constant = b.x_min == b.x_max;
  if (x.size() < 2 || best.empty()) {
    const size_t i = static_cast<size_t>(std::min_element(e.begin(), e.end()) - e.begin());
    b.best = BootstrapResult{x[i], x[i], x[i], 0};
  } else {
    b.best = best_value_band(x, best);
  }
  return b;
}

// Every parameter's best value from one set of resamples of the sweep (their best models).
void bootstrap_sweep(SweepAnalysis& s, const AnalyzeOptions& opt) {
  std::vector<size_t> best;
  if (s.models.size() >= 2 && opt.resamples > 0)
    best = bootstrap_best_indices(errors_of(s.models), opt.resamples, opt.fraction, sweep_seed(opt.seed, s.identity));
  const auto params = parameters_of(s.models);
  for (const auto& p : params) s.bootstrap.push_back(bootstrap_parameter(s.models, p, best));
}

ModelWidthFit fit_model(const ModelPoint& m) {
  ModelWidthFit f;
  f.id = m.id;
  f.error = m.error;
  f.widths = block_widths(m.spec);
  f.fit = fit_widths(f.widths);
  return f;
}

// One task per sweep's bootstrap and per best/worst width fit; each writes its own slot.
std::vector<std::function<void()>> bootstrap_tasks(Analysis& a, const AnalyzeOptions& opt) {
  std::vector<std::function<void()>> tasks;
  for (auto& s : a.sweeps) {
    if (s.models.empty()) continue;
    tasks.push_back([&s, &opt] { bootstrap_sweep(s, opt); });
    // Best and worst by error; ties go to the lower id.
    size_t best = 0, worst = 0;
    for (size_t i = 1; i < s.models.size(); ++i) {
      if (s.models[i].error < s.models[best].error) best = i;
      if (s.models[i].error > s.models[worst].error) worst = i;
    }
    tasks.push_back([&s, best] { s.best = fit_model(s.models[best]); });
    tasks.push_back([&s, worst] { s.worst = fit_model(s.models[worst]); });
  }
  return tasks;
}

// --- Trends of the best values across regimes (Fig. 11) -------------------------------------

std::vector<RegimeTrend> regime_trends(const Analysis& a) {
  const auto analyzed = regimes(a);
  if (analyzed.size() < 2) return {};
  std::map<int, RegimeTrend> by_rank;
  for (const auto* s : analyzed)
    for (const auto& b : s->bootstrap) {
      auto& t = by_rank[parameter_order(b.parameter.key)];
      t.parameter = b.parameter;
      t.sweeps.push_back(s->name);
      t.sweep_index.push_back(static_cast<int>(s - a.sweeps.data()));
      t.flops.push_back(s->median_flops);
      t.best.push_back(b.best);
    }
  std::vector<RegimeTrend> out;
  for (auto& [rank, t] : by_rank)
    if (t.sweeps.size() > 1) out.push_back(std::move(t));
  return out;
}

}  // namespace

Analysis analyze(const std::vector<SweepData>& input, const AnalyzeOptions& opt) {
  const auto progress = [&](const std::string& line) {
    if (opt.progress) opt.progress(line);
  };
  require_finished_models(input);
  Analysis a;
  a.metric = opt.metric;
  a.resamples = opt.resamples;
  a.fraction = opt.fraction;
  a.seed = opt.seed;
  a.alpha = opt.alpha;
  a.warnings = input_warnings(input);
  for (const auto& s : input) a.sweeps.push_back(summarize_sweep(s, opt.alpha));
  normalize_edfs(a, opt, progress);
  auto tasks = bootstrap_tasks(a, opt);
  const size_t sweep_tasks = tasks.size();
  const bool normalized = a.normalization != Normalization::none;
  tasks.push_back([&a, normalized] { a.ks = ks_tests(a.sweeps, normalized); });
  PairWork pairs;
  pair_work(a, opt, pairs);
  for (auto& t : pairs.tasks) tasks.push_back(std::move(t));
  progress("bootstrap: " + std::to_string(sweep_tasks) + " tasks (parameter best values x " +
           std::to_string(opt.resamples) + " resamples of " + fixed(100 * opt.fraction, 0) + "%, width fits), " +
           plural(static_cast<long long>(a.pairs.size()), "pair") + " (KS tests, differences, KS power)");
  run_parallel(tasks, opt.threads);
  finish_pairs(a, pairs);
  a.trends = regime_trends(a);
  return a;
}

void check_analyze_options(const std::vector<std::string>& dirs, const std::vector<std::string>& names,
                           const AnalyzeOptions& opt) {
  check_distinct_sweeps(expand_analysis_inputs(dirs), "analyze");
  legend_names(expand_analysis_inputs(dirs), names);
  if (opt.bins < 0) fail("", "--bins", std::to_string(opt.bins) + " must be >= 1 (or 0 to choose automatically)");
  if (opt.resamples < 0) fail("", "--bootstrap", std::to_string(opt.resamples) + " must be >= 0");
  if (!(opt.alpha > 0 && opt.alpha < 1)) fail("", "--alpha", shortest(opt.alpha) + " must be in (0, 1)");
  if (opt.threads < 0)
    fail("", "--threads", std::to_string(opt.threads) + " must be >= 1 (or 0 for all available cores)");
}

std::vector<SweepData> read_sweeps(const std::vector<std::string>& given, const std::vector<std::string>& names,
                                   const AnalyzeOptions& opt) {
  check_analyze_options(given, names, opt);
  const auto dirs = expand_analysis_inputs(given);  // a compare or refine directory stands for its sweeps
  const auto legends = legend_names(dirs, names);
  std::vector<SweepData> sweeps(dirs.size());
  std::vector<std::function<void()>> tasks;
  for (size_t i = 0; i < dirs.size(); ++i)
    tasks.push_back([&, i] {
      sweeps[i] = load_sweep_data(dirs[i], legends[i], opt.metric);
      audit_record(sweeps[i].sweep_json, sweep_json_path(dirs[i]));  // its types, before any work
    });
  run_parallel(tasks, opt.threads);  // the error of the first bad sweep in command-line order
  if (opt.progress)
    for (const auto& s : sweeps) opt.progress(read_line(s));
  return sweeps;
}

Analysis analyze_sweeps(const std::vector<std::string>& dirs, const std::vector<std::string>& names,
                        const AnalyzeOptions& opt) {
  Analysis a = analyze(read_sweeps(dirs, names, opt), opt);
  a.compares = read_compare_records(dirs);
  a.refines = read_refine_records(dirs);
  return a;
}

namespace {

// What `compare --plan` would print for this comparison now (1,000 simulated comparisons per scenario).
std::string forecast_of(const CompareRecord& r) {
  try {
    const CompareSetup setup = compare_setup_from_json(r.json, r.dir);
    if (setup.margin <= 0) return "";
    return forecast_text(forecast_compare(setup, 0, 1000), setup);
  } catch (const UserError& e) {
    return std::string("no prediction: ") + e.what();
  }
}

}  // namespace

std::vector<CompareRecord> read_compare_records(const std::vector<std::string>& dirs) {
  std::vector<CompareRecord> out;
  for (const auto& d : dirs)
    if (is_compare_dir(d)) {
      out.push_back({d, read_json_file(compare_json_path(d)), ""});
      check_compare_results(out.back().json, compare_json_path(d));
      out.back().forecast = forecast_of(out.back());
    }
  return out;
}

}  // namespace regnet
