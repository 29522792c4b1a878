#include "core/analysis.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/error.hpp"

namespace regnet {

std::string to_string(ErrorMetric m) { return m == ErrorMetric::best ? "best" : "final"; }

ErrorMetric error_metric_from_string(const std::string& s, const std::string& where) {
  if (s == "best") return ErrorMetric::best;
  if (s == "final") return ErrorMetric::final;
  fail(where, "--metric", "'" + s + "' is not one of final, best");
}

std::string to_string(Normalization n) {
  switch (n) {
    case Normalization::none: return "none";
    case Normalization::flops: return "flops";
    case Normalization::params: return "params";
  }
  return "none";
}

Normalization normalization_from_string(const std::string& s, const std::string& where) {
  if (s == "none") return Normalization::none;
  if (s == "flops") return Normalization::flops;
  if (s == "params") return Normalization::params;
  fail(where, "--normalize", "'" + s + "' is not one of flops, params, none");
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string dataset_name(const nlohmann::json& provenance) {
  if (!provenance.is_object() || !provenance.contains("dataset")) return "";
  const auto& d = provenance["dataset"];
  if (d.is_string()) return d.get<std::string>();
  if (d.is_object() && d.contains("name") && d["name"].is_string()) return d["name"].get<std::string>();
  return "";
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) out += (i ? sep : "") + v[i];
  return out;
}

std::string fmt(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

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

// Runs tasks on up to `threads` threads; rethrows the first exception.
void run_parallel(std::vector<std::function<void()>>& tasks, int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min<int>(threads, static_cast<int>(tasks.size())));
  std::atomic<size_t> next{0};
  std::exception_ptr error;
  std::mutex mu;
  auto worker = [&] {
    for (size_t i; (i = next++) < tasks.size();) {
      try {
        tasks[i]();
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
}

double complexity_of(const ModelPoint& m, Normalization n) {
  return n == Normalization::params ? static_cast<double>(m.complexity.params)
                                    : static_cast<double>(m.complexity.flops);
}

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

}  // namespace

SweepData load_sweep_data(const std::string& dir, const std::string& name, ErrorMetric metric) {
  SweepData s;
  s.name = name;
  s.dir = dir;
  s.sweep_json = read_sweep_json(dir);
  const auto samples = load_samples(dir);
  const auto results = load_results(dir);
  std::map<int, const TrainResult*> by_id;
  for (const auto& r : results) by_id[r.id] = &r;
  std::set<std::string> datasets;
  s.counts.samples = static_cast<int>(samples.size());
  for (const auto& sample : samples) {
    auto it = by_id.find(sample.id);
    if (it == by_id.end()) {
      ++s.counts.missing;
      continue;
    }
    const TrainResult& r = *it->second;
    const std::string ds = dataset_name(r.provenance);
    if (!ds.empty()) datasets.insert(ds);
    const double err = metric == ErrorMetric::best ? r.best_top1_err : r.final_top1_err;
    if (r.status == RunStatus::failed) {
      ++s.counts.failed;
    } else if (r.status == RunStatus::diverged || !std::isfinite(err)) {
      ++s.counts.diverged;
    } else {
      ++s.counts.done;
      s.models.push_back(ModelPoint{sample.id, err, sample.spec, sample.complexity, sample.regnet});
    }
  }
  s.dataset = join({datasets.begin(), datasets.end()}, "+");
  return s;
}

int parameter_order(const std::string& key) {
  static const std::vector<std::string> fixed{"flops", "params", "acts", "d", "w0", "wa", "wm", "g", "b"};
  auto it = std::find(fixed.begin(), fixed.end(), key);
  if (it != fixed.end()) return static_cast<int>(it - fixed.begin());
  const size_t kind = key.empty() ? std::string::npos : std::string("dwbg").find(key[0]);
  if (kind == std::string::npos || key.size() < 2 || !std::isdigit(static_cast<unsigned char>(key[1]))) return 1 << 20;
  return 100 + static_cast<int>(kind) * 1000 + std::atoi(key.c_str() + 1);
}

std::optional<double> parameter_value(const ModelPoint& m, const std::string& key) {
  if (key == "flops") return m.complexity.flops / 1e6;
  if (key == "params") return m.complexity.params / 1e6;
  if (key == "acts") return m.complexity.acts / 1e6;
  if (key == "d" || key == "w0" || key == "wa" || key == "wm" || key == "g" || key == "b") {
    if (!m.regnet) return std::nullopt;
    const RegNetParams& p = *m.regnet;
    if (key == "d") return p.depth;
    if (key == "w0") return p.w0;
    if (key == "wa") return p.wa;
    if (key == "wm") return p.wm;
    if (key == "g") return p.group_width;
    return p.bottleneck_ratio;
  }
  if (key.size() < 2 || std::string("dwbg").find(key[0]) == std::string::npos) return std::nullopt;
  for (size_t i = 1; i < key.size(); ++i)
    if (!std::isdigit(static_cast<unsigned char>(key[i]))) return std::nullopt;
  const int stage = std::stoi(key.substr(1)) - 1;
  if (stage < 0 || stage >= m.spec.num_stages()) return std::nullopt;
  switch (key[0]) {
    case 'd': return m.spec.depths[stage];
    case 'w': return m.spec.widths[stage];
    case 'b': return stage < static_cast<int>(m.spec.bottleneck_ratios.size()) ? std::optional<double>(m.spec.bottleneck_ratios[stage]) : std::nullopt;
    default: return stage < static_cast<int>(m.spec.group_widths.size()) ? std::optional<double>(m.spec.group_widths[stage]) : std::nullopt;
  }
}

std::vector<Parameter> parameters_of(const std::vector<ModelPoint>& models) {
  std::vector<Parameter> out;
  if (models.empty()) return out;
  out.push_back({"flops", "flops (MF)", true});
  out.push_back({"params", "params (M)", true});
  out.push_back({"acts", "acts (M)", true});
  const bool all_regnet = std::all_of(models.begin(), models.end(), [](const ModelPoint& m) { return m.regnet.has_value(); });
  if (all_regnet) {
    out.push_back({"d", "d (depth, blocks)", false});
    out.push_back({"w0", "w_0 (initial width)", true});
    out.push_back({"wa", "w_a (width slope)", true});
    out.push_back({"wm", "w_m (width multiplier)", false});
    out.push_back({"g", "g (group width)", true});
    out.push_back({"b", "b (bottleneck ratio)", true});
  }
  int stages = std::numeric_limits<int>::max();
  for (const auto& m : models)
    stages = std::min({stages, m.spec.num_stages(), static_cast<int>(m.spec.widths.size()),
                       static_cast<int>(m.spec.bottleneck_ratios.size()), static_cast<int>(m.spec.group_widths.size())});
  const struct { char kind; const char* what; bool log; } kinds[] = {
      {'d', "depth", false}, {'w', "width", true}, {'b', "bottleneck ratio", true}, {'g', "group width", true}};
  for (const auto& k : kinds)
    for (int i = 1; i <= stages; ++i) {
      const std::string n = std::to_string(i);
      out.push_back({std::string(1, k.kind) + n, std::string(1, k.kind) + "_" + n + " (stage " + n + " " + k.what + ")", k.log});
    }
  return out;
}

Analysis analyze(const std::vector<SweepData>& input, const AnalyzeOptions& opt) {
  auto progress = [&](const std::string& line) {
    if (opt.progress) opt.progress(line);
  };
  Analysis a;
  a.metric = opt.metric;
  a.resamples = opt.resamples;
  a.fraction = opt.fraction;
  a.seed = opt.seed;

  // Counts, warnings and the "nothing to analyze" error.
  int total_models = 0;
  SweepCounts total;
  std::vector<std::string> dirs;
  for (const auto& s : input) {
    total_models += static_cast<int>(s.models.size());
    total.samples += s.counts.samples;
    total.diverged += s.counts.diverged;
    total.failed += s.counts.failed;
    total.missing += s.counts.missing;
    dirs.push_back(s.dir);
  }
  if (total_models == 0)
    fail(join(dirs, ", "), "results",
         "no finished results to analyze (" + std::to_string(total.samples) + " samples: " +
             std::to_string(total.missing) + " without a result, " + std::to_string(total.diverged) + " diverged, " +
             std::to_string(total.failed) + " failed); train first: regnet-explore train SWEEP");
  for (const auto& s : input) {
    if (s.models.empty())
      a.warnings.push_back(s.name + ": no finished results; left out of the EDFs, tests and figures");
    else if (s.counts.missing > 0)
      a.warnings.push_back(s.name + ": " + std::to_string(s.counts.missing) + " of " + std::to_string(s.counts.samples) +
                           " samples have no result yet (partial sweep); analyzing the " +
                           std::to_string(s.counts.done) + " finished");
    if (s.counts.diverged + s.counts.failed > 0)
      a.warnings.push_back(s.name + ": " + std::to_string(s.counts.diverged) + " diverged and " +
                           std::to_string(s.counts.failed) + " failed runs are left out");
    if (s.dataset.find('+') != std::string::npos)
      a.warnings.push_back(s.name + ": results come from several datasets (" + s.dataset + ")");
  }
  {
    std::set<std::string> datasets;
    std::vector<std::string> which;
    for (const auto& s : input)
      if (!s.dataset.empty()) {
        datasets.insert(s.dataset);
        which.push_back(s.name + ": " + s.dataset);
      }
    if (datasets.size() > 1)
      a.warnings.push_back("sweeps were trained on different datasets (" + join(which, ", ") +
                           "): their errors are not comparable");
  }

  // Per-sweep summaries, EDFs and random-search efficiency.
  for (const auto& s : input) {
    SweepAnalysis sa;
    sa.name = s.name;
    sa.dir = s.dir;
    sa.dataset = s.dataset;
    sa.sweep_json = s.sweep_json;
    sa.counts = s.counts;
    sa.models = s.models;
    if (!s.models.empty()) {
      const auto errors = errors_of(s.models);
      sa.error = summarize(errors);
      sa.edf = edf_curve(errors);
      for (int m = 1; m <= static_cast<int>(errors.size()); m *= 2) sa.best_of_m.push_back(m);
      sa.expected_best = expected_best_of(errors, sa.best_of_m);
      std::vector<double> flops;
      for (const auto& m : s.models) flops.push_back(m.complexity.flops / 1e6);
      sa.median_flops = median_of(flops);
    }
    a.sweeps.push_back(std::move(sa));
  }

  // Normalized EDFs: an explicit K must leave no bin empty; the automatic K backs off until none is.
  if (opt.normalization != Normalization::none) {
    const std::string by = to_string(opt.normalization);
    auto weights_for = [&](const SweepAnalysis& s, int bins) {
      std::vector<double> c;
      for (const auto& m : s.models) c.push_back(complexity_of(m, opt.normalization));
      return normalized_weights(c, bins);
    };
    if (opt.bins > 0) {
      for (auto& s : a.sweeps) {
        if (s.models.empty()) continue;
        try {
          s.weights = weights_for(s, opt.bins);
        } catch (const UserError& e) {
          std::string why = e.what();
          if (why.rfind("bins: ", 0) == 0) why = why.substr(6);
          throw UserError(s.name + " (" + s.dir + "): --normalize " + by + " --bins " + std::to_string(opt.bins) + ": " + why);
        }
      }
      a.bins = opt.bins;
    } else {
      size_t n_min = std::numeric_limits<size_t>::max();
      for (const auto& s : a.sweeps)
        if (!s.models.empty()) n_min = std::min(n_min, s.models.size());
      for (int k = static_cast<int>(std::clamp<size_t>(n_min / 10, 1, 10)); k >= 1 && a.bins == 0; --k) {
        try {
          std::vector<std::vector<double>> w;
          for (const auto& s : a.sweeps) w.push_back(s.models.empty() ? std::vector<double>{} : weights_for(s, k));
          for (size_t i = 0; i < w.size(); ++i) a.sweeps[i].weights = std::move(w[i]);
          a.bins = k;
          a.bins_auto = true;
        } catch (const UserError&) {
        }
      }
      if (a.bins == 0) a.warnings.push_back("normalized EDFs skipped: no bin count leaves every " + by + " bin non-empty");
    }
    if (a.bins > 0) {
      a.normalization = opt.normalization;
      for (auto& s : a.sweeps)
        if (!s.models.empty()) s.normalized_edf = edf_curve(errors_of(s.models), s.weights);
      progress("normalized EDFs by " + by + " with K = " + std::to_string(a.bins) + " bins" +
               (a.bins_auto ? " (automatic; set with --bins)" : ""));
    }
  }

  // Pairwise KS tests.
  const size_t n = a.sweeps.size();
  const KsResult none{kNaN, kNaN};
  a.ks.plain.assign(n, std::vector<KsResult>(n, none));
  if (a.normalization != Normalization::none) a.ks.normalized.assign(n, std::vector<KsResult>(n, none));
  for (size_t i = 0; i < n; ++i) {
    a.ks.names.push_back(a.sweeps[i].name);
    for (size_t j = 0; j < n; ++j) {
      const auto& si = a.sweeps[i];
      const auto& sj = a.sweeps[j];
      if (si.models.empty() || sj.models.empty()) continue;
      if (j < i) {
        a.ks.plain[i][j] = a.ks.plain[j][i];
        if (!a.ks.normalized.empty()) a.ks.normalized[i][j] = a.ks.normalized[j][i];
        continue;
      }
      const auto ei = errors_of(si.models), ej = errors_of(sj.models);
      a.ks.plain[i][j] = ks_two_sample(ei, ej);
      if (!a.ks.normalized.empty()) a.ks.normalized[i][j] = ks_two_sample_weighted(ei, si.weights, ej, sj.weights);
    }
  }

  // Bootstrap of every parameter's best value, and the width fits: the costly part, in parallel.
  std::vector<std::function<void()>> tasks;
  for (size_t si = 0; si < a.sweeps.size(); ++si) {
    auto& s = a.sweeps[si];
    if (s.models.empty()) continue;
    const auto params = parameters_of(s.models);
    s.bootstrap.resize(params.size());
    for (size_t p = 0; p < params.size(); ++p) {
      tasks.push_back([&s, &opt, param = params[p], p, si] {
        std::vector<double> x, e;
        for (const auto& m : s.models) {
          x.push_back(*parameter_value(m, param.key));
          e.push_back(m.error);
        }
        ParameterBootstrap& b = s.bootstrap[p];
        b.parameter = param;
        b.x_min = *std::min_element(x.begin(), x.end());
        b.x_max = *std::max_element(x.begin(), x.end());
        b.constant = b.x_min == b.x_max;
        if (x.size() < 2 || opt.resamples <= 0) {
          const size_t best = static_cast<size_t>(std::min_element(e.begin(), e.end()) - e.begin());
          b.best = BootstrapResult{x[best], x[best], x[best], 0};
        } else {
          b.best = bootstrap_best(x, e, opt.resamples, opt.fraction, task_seed(opt.seed, si, param.key));
        }
      });
    }
    // Best and worst by error; ties go to the lower id.
    size_t best = 0, worst = 0;
    for (size_t i = 1; i < s.models.size(); ++i) {
      if (s.models[i].error < s.models[best].error) best = i;
      if (s.models[i].error > s.models[worst].error) worst = i;
    }
    s.best.emplace();
    s.worst.emplace();
    for (auto [slot, idx] : {std::pair{&*s.best, best}, std::pair{&*s.worst, worst}}) {
      tasks.push_back([slot, &m = s.models[idx]] {
        slot->id = m.id;
        slot->error = m.error;
        slot->widths = block_widths(m.spec);
        slot->fit = fit_widths(slot->widths);
      });
    }
  }
  progress("bootstrap: " + std::to_string(tasks.size()) + " tasks (parameter best values x " +
           std::to_string(opt.resamples) + " resamples of " + fmt(100 * opt.fraction, 0) + "%, width fits)");
  run_parallel(tasks, opt.threads);

  // Trends of the best values across regimes (Fig. 11).
  std::vector<const SweepAnalysis*> analyzed;
  for (const auto& s : a.sweeps)
    if (!s.models.empty()) analyzed.push_back(&s);
  if (analyzed.size() > 1) {
    std::sort(analyzed.begin(), analyzed.end(),
              [](const SweepAnalysis* x, const SweepAnalysis* y) { return x->median_flops < y->median_flops; });
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
    for (auto& [rank, t] : by_rank)
      if (t.sweeps.size() > 1) a.trends.push_back(std::move(t));
  }
  return a;
}

namespace {

nlohmann::json num(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

nlohmann::json ks_json(const KsResult& k) { return {{"d", num(k.d)}, {"p_value", num(k.p_value)}}; }

nlohmann::json bootstrap_json(const BootstrapResult& b) {
  return {{"median", num(b.median)}, {"lo", num(b.lo)}, {"hi", num(b.hi)}, {"resamples", b.resamples}};
}

nlohmann::json fit_json(const std::optional<ModelWidthFit>& f) {
  if (!f) return nullptr;
  return {{"id", f->id},         {"error", num(f->error)}, {"widths", f->widths},
          {"w0", num(f->fit.w0)}, {"wa", num(f->fit.wa)},  {"wm", num(f->fit.wm)},
          {"e_fit", num(f->fit.e_fit)}, {"predicted", f->fit.predicted}};
}

}  // namespace

nlohmann::json to_json(const Analysis& a) {
  nlohmann::json j;
  j["metric"] = to_string(a.metric);
  j["normalization"] = a.normalization == Normalization::none
                           ? nlohmann::json(nullptr)
                           : nlohmann::json{{"by", to_string(a.normalization)}, {"bins", a.bins}, {"auto", a.bins_auto}};
  j["bootstrap"] = {{"resamples", a.resamples}, {"fraction", a.fraction}, {"seed", a.seed}};
  j["sweeps"] = nlohmann::json::array();
  for (const auto& s : a.sweeps) {
    nlohmann::json sj{{"name", s.name},
                      {"dir", s.dir},
                      {"dataset", s.dataset},
                      {"samples", s.counts.samples},
                      {"done", s.counts.done},
                      {"diverged", s.counts.diverged},
                      {"failed", s.counts.failed},
                      {"missing", s.counts.missing}};
    if (!s.models.empty()) {
      sj["error"] = {{"n", s.error.n},
                     {"min", num(s.error.min)},
                     {"mean", num(s.error.mean)},
                     {"median", num(s.error.median)},
                     {"max", num(s.error.max)}};
      sj["median_flops_mf"] = num(s.median_flops);
      nlohmann::json rs = nlohmann::json::array();
      for (size_t i = 0; i < s.best_of_m.size(); ++i)
        rs.push_back({{"m", s.best_of_m[i]}, {"expected_best", num(s.expected_best[i])}});
      sj["random_search"] = rs;
      nlohmann::json bv = nlohmann::json::object();
      for (const auto& b : s.bootstrap) {
        auto bj = bootstrap_json(b.best);
        bj["constant"] = b.constant;
        bv[b.parameter.key] = bj;
      }
      sj["best_values"] = bv;
      sj["best_model"] = fit_json(s.best);
      sj["worst_model"] = fit_json(s.worst);
    } else {
      sj["error"] = nullptr;
    }
    j["sweeps"].push_back(sj);
  }
  nlohmann::json ks = nlohmann::json::array();
  for (size_t i = 0; i < a.ks.names.size(); ++i)
    for (size_t k = i + 1; k < a.ks.names.size(); ++k) {
      nlohmann::json e{{"a", a.ks.names[i]}, {"b", a.ks.names[k]}};
      e.update(ks_json(a.ks.plain[i][k]));
      if (!a.ks.normalized.empty()) e["normalized"] = ks_json(a.ks.normalized[i][k]);
      ks.push_back(e);
    }
  j["ks"] = ks;
  nlohmann::json trends = nlohmann::json::array();
  for (const auto& t : a.trends) {
    nlohmann::json pts = nlohmann::json::array();
    for (size_t i = 0; i < t.sweeps.size(); ++i) {
      auto p = bootstrap_json(t.best[i]);
      p["sweep"] = t.sweeps[i];
      p["flops_mf"] = num(t.flops[i]);
      pts.push_back(p);
    }
    trends.push_back({{"parameter", t.parameter.key}, {"points", pts}});
  }
  j["trends"] = trends;
  j["warnings"] = a.warnings;
  return j;
}

}  // namespace regnet
