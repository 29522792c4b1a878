// analyze() as a sequence of stages over one Analysis: counts and warnings, per-sweep summaries,
// normalized EDFs, KS tests, the bootstrap and width fits (in parallel), trends across regimes.
#include "core/analysis.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "core/compare_state.hpp"
#include "core/error.hpp"
#include "core/parallel.hpp"
#include "core/text.hpp"

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
       "no finished results to analyze (" + std::to_string(total.samples) + " samples: " +
           std::to_string(total.missing) + " without a result, " + std::to_string(total.diverged) + " diverged, " +
           std::to_string(total.failed) + " failed); train first: regnet-explore train SWEEP");
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
}

void add_dataset_warning(const std::vector<SweepData>& input, std::vector<std::string>& out) {
  std::set<std::string> datasets;
  std::vector<std::string> which;
  for (const auto& s : input)
    if (!s.dataset.empty()) {
      datasets.insert(s.dataset);
      which.push_back(s.name + ": " + s.dataset);
    }
  if (datasets.size() > 1)
    out.push_back("sweeps were trained on different datasets (" + join(which, ", ") + "): their errors are not comparable");
}

std::vector<std::string> input_warnings(const std::vector<SweepData>& input) {
  std::vector<std::string> out;
  for (const auto& s : input) add_sweep_warnings(s, out);
  add_dataset_warning(input, out);
  return out;
}

// --- Per-sweep summaries, EDF, random-search efficiency --------------------------------------

SweepAnalysis summarize_sweep(const SweepData& s) {
  SweepAnalysis sa;
  sa.name = s.name;
  sa.dir = s.dir;
  sa.dataset = s.dataset;
  sa.sweep_json = s.sweep_json;
  sa.counts = s.counts;
  sa.models = s.models;
  if (s.models.empty()) return sa;
  const auto errors = errors_of(s.models);
  sa.error = summarize(errors);
  sa.edf = edf_curve(errors);
  for (int m = 1; m <= static_cast<int>(errors.size()); m *= 2) sa.best_of_m.push_back(m);
  sa.expected_best = expected_best_of(errors, sa.best_of_m);
  std::vector<double> flops;
  for (const auto& m : s.models) flops.push_back(m.complexity.flops / 1e6);
  sa.median_flops = median_of(flops);
  return sa;
}

// --- Normalized EDFs: an explicit K must leave no bin empty; the automatic K backs off until none is.

std::vector<double> weights_for(const SweepAnalysis& s, Normalization by, int bins) {
  std::vector<double> c;
  for (const auto& m : s.models)
    c.push_back(static_cast<double>(by == Normalization::params ? m.complexity.params : m.complexity.flops));
  return normalized_weights(c, bins);
}

void use_explicit_bins(Analysis& a, const AnalyzeOptions& opt) {
  for (auto& s : a.sweeps) {
    if (s.models.empty()) continue;
    try {
      s.weights = weights_for(s, opt.normalization, opt.bins);
    } catch (const UserError& e) {
      std::string why = e.what();
      if (why.rfind("bins: ", 0) == 0) why = why.substr(6);
      throw UserError(s.name + " (" + s.dir + "): --normalize " + to_string(opt.normalization) + " --bins " +
                      std::to_string(opt.bins) + ": " + why);
    }
  }
  a.bins = opt.bins;
}

void choose_bins(Analysis& a, const AnalyzeOptions& opt) {
  size_t n_min = std::numeric_limits<size_t>::max();
  for (const auto& s : a.sweeps)
    if (!s.models.empty()) n_min = std::min(n_min, s.models.size());
  for (int k = static_cast<int>(std::clamp<size_t>(n_min / 10, 1, 10)); k >= 1 && a.bins == 0; --k) {
    try {
      std::vector<std::vector<double>> w;
      for (const auto& s : a.sweeps) w.push_back(s.models.empty() ? std::vector<double>{} : weights_for(s, opt.normalization, k));
      for (size_t i = 0; i < w.size(); ++i) a.sweeps[i].weights = std::move(w[i]);
      a.bins = k;
      a.bins_auto = true;
    } catch (const UserError&) {
    }
  }
  if (a.bins == 0)
    a.warnings.push_back("normalized EDFs skipped: no bin count leaves every " + to_string(opt.normalization) +
                         " bin non-empty");
}

void normalize_edfs(Analysis& a, const AnalyzeOptions& opt, const std::function<void(const std::string&)>& progress) {
  if (opt.normalization == Normalization::none) return;
  if (opt.bins > 0)
    use_explicit_bins(a, opt);
  else
    choose_bins(a, opt);
  if (a.bins == 0) return;
  a.normalization = opt.normalization;
  for (auto& s : a.sweeps)
    if (!s.models.empty()) s.normalized_edf = edf_curve(errors_of(s.models), s.weights);
  progress("normalized EDFs by " + to_string(a.normalization) + " with K = " + std::to_string(a.bins) + " bins" +
           (a.bins_auto ? " (automatic; set with --bins)" : ""));
}

// --- Pairwise KS tests ----------------------------------------------------------------------

KsTable ks_tests(const std::vector<SweepAnalysis>& sweeps, bool normalized) {
  const size_t n = sweeps.size();
  const KsResult none{kNaN, kNaN};
  KsTable t;
  t.plain.assign(n, std::vector<KsResult>(n, none));
  if (normalized) t.normalized.assign(n, std::vector<KsResult>(n, none));
  for (size_t i = 0; i < n; ++i) {
    t.names.push_back(sweeps[i].name);
    for (size_t j = 0; j < n; ++j) {
      const auto& si = sweeps[i];
      const auto& sj = sweeps[j];
      if (si.models.empty() || sj.models.empty()) continue;
      if (j < i) {
        t.plain[i][j] = t.plain[j][i];
        if (normalized) t.normalized[i][j] = t.normalized[j][i];
        continue;
      }
      const auto ei = errors_of(si.models), ej = errors_of(sj.models);
      t.plain[i][j] = ks_two_sample(ei, ej);
      if (normalized) t.normalized[i][j] = ks_two_sample_weighted(ei, si.weights, ej, sj.weights);
    }
  }
  return t;
}

// --- Bootstrap of every parameter's best value, and the width fits: the costly part ----------

// FNV-1a then splitmix64: a seed per (sweep position, parameter) that depends neither on the
// task order nor on the legend names.
std::uint64_t task_seed(std::uint64_t seed, size_t sweep, const std::string& key) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : std::to_string(sweep) + '\x1f' + key) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  std::uint64_t z = seed + 0x9E3779B97F4A7C15ull * (h | 1);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

ParameterBootstrap bootstrap_parameter(const std::vector<ModelPoint>& models, const Parameter& param,
                                       const AnalyzeOptions& opt, std::uint64_t seed) {
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
  if (x.size() < 2 || opt.resamples <= 0) {
    const size_t best = static_cast<size_t>(std::min_element(e.begin(), e.end()) - e.begin());
    b.best = BootstrapResult{x[best], x[best], x[best], 0};
  } else {
    b.best = bootstrap_best(x, e, opt.resamples, opt.fraction, seed);
  }
  return b;
}

ModelWidthFit fit_model(const ModelPoint& m) {
  ModelWidthFit f;
  f.id = m.id;
  f.error = m.error;
  f.widths = block_widths(m.spec);
  f.fit = fit_widths(f.widths);
  return f;
}

// One task per (sweep, parameter) bootstrap and per best/worst width fit; each writes its own slot.
std::vector<std::function<void()>> bootstrap_tasks(Analysis& a, const AnalyzeOptions& opt) {
  std::vector<std::function<void()>> tasks;
  for (size_t si = 0; si < a.sweeps.size(); ++si) {
    SweepAnalysis& s = a.sweeps[si];
    if (s.models.empty()) continue;
    const auto params = parameters_of(s.models);
    s.bootstrap.resize(params.size());
    for (size_t p = 0; p < params.size(); ++p)
      tasks.push_back([&s, &opt, param = params[p], p, seed = task_seed(opt.seed, si, params[p].key)] {
        s.bootstrap[p] = bootstrap_parameter(s.models, param, opt, seed);
      });
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
  a.warnings = input_warnings(input);
  for (const auto& s : input) a.sweeps.push_back(summarize_sweep(s));
  normalize_edfs(a, opt, progress);
  a.ks = ks_tests(a.sweeps, a.normalization != Normalization::none);
  const auto tasks = bootstrap_tasks(a, opt);
  progress("bootstrap: " + std::to_string(tasks.size()) + " tasks (parameter best values x " +
           std::to_string(opt.resamples) + " resamples of " + fixed(100 * opt.fraction, 0) + "%, width fits)");
  run_parallel(tasks, opt.threads);
  a.trends = regime_trends(a);
  return a;
}

Analysis analyze_sweeps(const std::vector<std::string>& given, const std::vector<std::string>& names,
                        const AnalyzeOptions& opt) {
  const auto dirs = expand_compare_dirs(given);  // a compare directory stands for its sweeps
  const auto legends = legend_names(dirs, names);
  if (opt.bins < 0) fail("", "--bins", std::to_string(opt.bins) + " must be >= 1 (or 0 to choose automatically)");
  if (opt.resamples < 0) fail("", "--bootstrap", std::to_string(opt.resamples) + " must be >= 0");
  std::vector<SweepData> sweeps;
  for (size_t i = 0; i < dirs.size(); ++i) {
    sweeps.push_back(load_sweep_data(dirs[i], legends[i], opt.metric));
    if (opt.progress) opt.progress(read_line(sweeps.back()));
  }
  return analyze(sweeps, opt);
}

}  // namespace regnet
