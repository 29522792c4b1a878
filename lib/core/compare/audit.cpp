#include "core/compare/audit.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/rng.hpp"
#include "core/base/text.hpp"
#include "core/stats/edf.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/sample_states.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

// The schedule the sweep's results were trained with, as recorded (null when none says).
nlohmann::json trained_schedule(const std::vector<TrainResult>& results) {
  for (const auto& r : results)
    if (r.provenance.is_object() && r.provenance.contains("schedule")) return r.provenance["schedule"];
  return nullptr;
}

// The k models to audit: spread over the error quantiles, then in source-id order.
std::vector<AuditModel> pick_models(const SweepData& d, const std::vector<TrainResult>& results, int k) {
  std::vector<ModelPoint> ranked = d.models;
  std::sort(ranked.begin(), ranked.end(),
            [](const ModelPoint& a, const ModelPoint& b) { return std::tie(a.error, a.id) < std::tie(b.error, b.id); });
  std::vector<int> ids;
  for (int i : quantile_picks(static_cast<int>(ranked.size()), k)) ids.push_back(ranked[static_cast<size_t>(i)].id);
  std::sort(ids.begin(), ids.end());
  std::map<int, const TrainResult*> by_id;
  for (const auto& r : results) by_id[r.id] = &r;
  std::vector<AuditModel> out;
  for (int id : ids) {
    const TrainResult& r = *by_id.at(id);
    out.push_back({static_cast<int>(out.size()), id, error_of(r, ErrorMetric::best), error_of(r, ErrorMetric::final)});
  }
  return out;
}

nlohmann::json audit_json(const AuditPlan& p, const TrainingPlan& longer) {
  std::vector<int> source_ids;
  std::vector<double> best, final_;
  for (const auto& m : p.models) {
    source_ids.push_back(m.source_id);
    best.push_back(m.short_best);
    final_.push_back(m.short_final);
  }
  nlohmann::json schedule = to_json(longer.schedule);
  schedule["file"] = longer.schedule_path;
  return {{"of", fs::absolute(p.source_dir).lexically_relative(fs::absolute(p.out_dir)).string()},
          {"source_ids", source_ids},
          {"metric", to_string(p.metric)},
          {"schedule", schedule},
          {"short_schedule", p.short_schedule},
          {"short_errors", {{"best", best}, {"final", final_}}}};
}

// The source's sweep.json made the audit's: an ordinary sweep of k samples that `train` trains
// with the longer schedule on the source's data by default.
nlohmann::json audit_sweep_json(const AuditPlan& p, const TrainingPlan& longer) {
  nlohmann::json j = read_sweep_json(p.source_dir);
  j["command"] = "audit";
  j["n"] = p.models.size();
  j["audit"] = audit_json(p, longer);
  j["train_defaults"] = {{"schedule", longer.schedule_path}, {"data", longer.data_source}};
  return j;
}

// The models an audit record lists (its picks stand, even if the source has trained more since).
std::vector<AuditModel> recorded_models(const nlohmann::json& rec, const std::string& where) {
  const std::vector<int> ids = get_int_array(rec, "source_ids", where);
  const nlohmann::json& errors = require(rec, "short_errors", where);
  const std::vector<double> best = get_double_array(errors, "best", where),
                            final_ = get_double_array(errors, "final", where);
  if (best.size() != ids.size() || final_.size() != ids.size()) fail(where, "short_errors", "not one per source id");
  std::vector<AuditModel> out;
  for (size_t i = 0; i < ids.size(); ++i) out.push_back({static_cast<int>(i), ids[i], best[i], final_[i]});
  return out;
}

// An existing out_dir must be an audit of the same source with the same schedule and k: it is
// resumed with its recorded picks.
void adopt_existing(AuditPlan& p) {
  std::error_code ec;
  if (!fs::exists(p.out_dir, ec) || (fs::is_directory(p.out_dir, ec) && fs::is_empty(p.out_dir, ec))) {
    require_new_sweep_dir(p.out_dir);  // before any training: create_sweep would refuse it after
    return;
  }
  if (!fs::is_regular_file(sweep_json_path(p.out_dir), ec))
    fail(p.out_dir, "", "exists and is not a sweep: choose another --out");
  const nlohmann::json old = read_sweep_json(p.out_dir);
  const nlohmann::json* rec = audit_record(old, sweep_json_path(p.out_dir));
  // As written: a path in it that is not UTF-8 is stored escaped (json_text), and "of" is followed
  // back to its bytes (stored_text), so that an audit under a Latin-1 name resumes.
  const nlohmann::json want = parse_json_text(json_text(p.sweep_json["audit"]), sweep_json_path(p.out_dir));
  const auto text = [&](const char* key) {
    return rec->contains(key) && rec->at(key).is_string() ? stored_text(rec->at(key).get<std::string>()) : "";
  };
  const bool same = rec && fs::equivalent(fs::path(p.out_dir) / text("of"), p.source_dir, ec) &&
                    rec->value("source_ids", nlohmann::json::array()).size() == p.models.size() &&
                    same_recipe(rec->value("schedule", nlohmann::json()), want["schedule"]);
  if (!same)
    fail(sweep_json_path(p.out_dir), "audit",
         "is not an audit of " + p.source_dir + " with this schedule and -k: choose another --out");
  p.models = recorded_models(*rec, sweep_json_path(p.out_dir) + ": audit");
  p.sweep_json = old;
  p.exists = true;
}

Interval percentiles(const std::vector<double>& v) { return {quantile(v, 0.025), quantile(v, 0.975)}; }

bool constant(const std::vector<double>& v) {
  return std::all_of(v.begin(), v.end(), [&](double x) { return x == v[0]; });
}

// Pairs resampled with replacement; resamples with a constant side have no correlation.
void bootstrap(const AuditPairs& p, int resamples, std::uint64_t seed, AuditReport& r) {
  SplitMix64 rng(seed);
  std::vector<double> rhos, taus;
  const size_t n = p.short_errors.size();
  std::vector<double> x(n), y(n);
  for (int b = 0; b < resamples; ++b) {
    for (size_t i = 0; i < n; ++i) {
      const size_t j = rng.below(n);
      x[i] = p.short_errors[j];
      y[i] = p.long_errors[j];
    }
    if (constant(x) || constant(y)) continue;
    rhos.push_back(spearman(x, y).statistic);
    taus.push_back(kendall(x, y).statistic);
  }
  r.resamples = static_cast<int>(rhos.size());
  if (rhos.empty()) return;
  r.rho_ci = percentiles(rhos);
  r.tau_ci = percentiles(taus);
}

// The ids of the `top` lowest errors (ties by id).
std::set<int> top_ids(const std::vector<int>& ids, const std::vector<double>& errors, int top) {
  std::vector<size_t> order(ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return std::tie(errors[a], ids[a]) < std::tie(errors[b], ids[b]); });
  std::set<int> out;
  for (int i = 0; i < top; ++i) out.insert(ids[order[static_cast<size_t>(i)]]);
  return out;
}

std::string numbers_text(const AuditReport& r) {
  return fmt::format("Spearman rho {} [{}, {}], Kendall tau {} [{}, {}], top quarter {} of {} shared",
                     fixed(r.rho.statistic, 2), fixed(r.rho_ci.lo, 2), fixed(r.rho_ci.hi, 2), fixed(r.tau.statistic, 2),
                     fixed(r.tau_ci.lo, 2), fixed(r.tau_ci.hi, 2), r.top_shared, r.top);
}

std::string verdict_text(const AuditReport& r, const FaithfulRule& rule) {
  if (r.faithful)
    return fmt::format("faithful: the short and the long schedule rank the {} models alike ({})", r.trained,
                       numbers_text(r));
  std::vector<std::string> why;
  if (r.rho.statistic < rule.rho) why.push_back(fmt::format("rho {} < {}", fixed(r.rho.statistic, 2), rule.rho));
  if (r.rho_ci.lo < rule.rho_lo)
    why.push_back(fmt::format("its 95% interval reaches {} < {}", fixed(r.rho_ci.lo, 2), rule.rho_lo));
  if (r.top_shared < rule.top_overlap * r.top)
    why.push_back(fmt::format("{} of the long schedule's top {} in the short one's", r.top_shared, r.top));
  return fmt::format(
      "warning: the short schedule ranks the {} models unlike the long one ({}): {}; rank by the "
      "longer schedule, or audit more models",
      r.trained, join(why, ", "), numbers_text(r));
}

}  // namespace

std::vector<int> quantile_picks(int n, int k) {
  std::vector<int> out;
  if (k == 1) return {(n - 1) / 2};
  for (int i = 0; i < k; ++i) out.push_back(static_cast<int>(std::lround(static_cast<double>(i) * (n - 1) / (k - 1))));
  return out;
}

std::string default_audit_dir(const std::string& sweep, const std::string& schedule_name) {
  fs::path p = fs::path(sweep).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();
  return (p.parent_path() / (p.filename().string() + "-audit-" + schedule_name)).string();
}

AuditPlan plan_audit(const AuditRequest& r) {
  if (r.schedule.empty())
    fail("", "--schedule", "give the longer schedule to audit with (a name in configs/schedules, or a .json file)");
  if (r.k < 3) fail("", "-k", std::to_string(r.k) + " must be >= 3 (rank correlations need 3 models)");
  AuditPlan p;
  p.source_dir = r.sweep;
  p.metric = error_metric_from_string(r.metric, "--metric");
  TrainingRequest t = r.train;
  t.sweep_dir = r.sweep;
  t.schedule = r.schedule;
  t.ids.clear();
  const TrainingPlan longer = plan_training(t);  // checks --schedule, --data and the rest as train does
  const SweepData d = load_sweep_data(r.sweep, "", p.metric);
  if (d.models.empty()) fail(r.sweep, "results", "no trained model with an error: train the sweep before auditing it");
  if (r.k > static_cast<int>(d.models.size()))
    fail("", "-k", fmt::format("{} is more than the {} trained models of {}", r.k, d.models.size(), r.sweep));
  const std::vector<TrainResult> results = load_results(r.sweep);
  const nlohmann::json short_schedule = trained_schedule(results);
  if (!short_schedule.is_null() && same_recipe(short_schedule, to_json(longer.schedule)))
    fail("", "--schedule",
         "'" + r.schedule + "' is the schedule " + r.sweep + " was trained with: audit with a longer one");
  p.short_schedule = short_schedule.is_object() && short_schedule.contains("name") && short_schedule["name"].is_string()
                         ? short_schedule["name"].get<std::string>()
                         : "";
  p.models = pick_models(d, results, r.k);
  p.out_dir = r.out.empty() ? default_audit_dir(r.sweep, longer.schedule.name) : r.out;
  p.sweep_json = audit_sweep_json(p, longer);
  adopt_existing(p);
  p.train = r.train;
  p.train.sweep_dir = p.out_dir;
  p.train.schedule = longer.schedule_path;
  p.train.data = longer.data_source;
  p.train.data_root = longer.data_root;
  p.train.ids.clear();
  p.resamples = r.resamples;
  p.seed = r.seed;
  return p;
}

void create_audit_sweep(const AuditPlan& p) {
  if (p.exists) return;
  std::vector<SampleRecord> samples;
  for (const auto& m : p.models) {
    SampleRecord s = load_sample(p.source_dir, m.source_id);
    s.id = m.id;
    samples.push_back(std::move(s));
  }
  create_sweep(p.out_dir, p.sweep_json, samples);
}

namespace {

bool is_text(const nlohmann::json& v) { return v.is_string(); }
bool is_list(const nlohmann::json& v) { return v.is_array(); }
bool is_schedule(const nlohmann::json& v) { return v.is_object() && (!v.contains("name") || v["name"].is_string()); }
// {"best": [...], "final": [...]}: errors by metric, a number or null (not trained) each.
bool is_error_lists(const nlohmann::json& v) {
  if (!v.is_object()) return false;
  for (const auto& list : v)
    if (!list.is_array() ||
        !std::all_of(list.begin(), list.end(), [](const auto& e) { return e.is_number() || e.is_null(); }))
      return false;
  return true;
}

struct RecordField {
  const char* key;
  bool (*ok)(const nlohmann::json&);
  const char* what;
};
// What analyze, audit and its resume read of the record (audit_json writes it).
constexpr RecordField kAuditFields[] = {{"of", is_text, "a string"},
                                        {"metric", is_text, "a string"},
                                        {"short_schedule", is_text, "a string"},
                                        {"schedule", is_schedule, "a schedule object (its name a string)"},
                                        {"source_ids", is_list, "an array"},
                                        {"short_errors", is_error_lists, "an object of error lists (numbers or null)"}};

}  // namespace

const nlohmann::json* audit_record(const nlohmann::json& sweep_json, const std::string& where) {
  if (!sweep_json.is_object() || !sweep_json.contains("audit")) return nullptr;
  const nlohmann::json& rec = sweep_json["audit"];
  if (!rec.is_object()) fail(where, "audit", excerpt(rec) + " is not an object");
  for (const auto& f : kAuditFields)
    if (rec.contains(f.key) && !f.ok(rec[f.key]))
      fail(where, std::string("audit.") + f.key, excerpt(rec[f.key]) + " is not " + f.what);
  return &rec;
}

AuditPairs audit_pairs(const nlohmann::json& sweep_json, const std::vector<ModelPoint>& trained, ErrorMetric metric,
                       const std::string& where) {
  AuditPairs p;
  const nlohmann::json* rec = audit_record(sweep_json, where);
  if (!rec) return p;
  const nlohmann::json shorts =
      rec->value("short_errors", nlohmann::json::object()).value(to_string(metric), nlohmann::json::array());
  for (const auto& m : trained) {
    if (m.id < 0 || static_cast<size_t>(m.id) >= shorts.size() || !shorts[static_cast<size_t>(m.id)].is_number())
      continue;
    p.ids.push_back(m.id);
    p.short_errors.push_back(shorts[static_cast<size_t>(m.id)].get<double>());
    p.long_errors.push_back(m.error);
  }
  return p;
}

AuditReport audit_report(const AuditPairs& pairs, int audited, int resamples, std::uint64_t seed,
                         const FaithfulRule& rule) {
  AuditReport r;
  r.audited = audited;
  r.trained = static_cast<int>(pairs.ids.size());
  if (r.trained < 3)
    fail("", "audit", fmt::format("{} of the {} audited models trained: rank correlations need 3", r.trained, audited));
  r.rho = spearman(pairs.short_errors, pairs.long_errors);
  r.tau = kendall(pairs.short_errors, pairs.long_errors);
  bootstrap(pairs, resamples, seed, r);
  r.top = std::max(1, (r.trained + 3) / 4);
  const std::set<int> a = top_ids(pairs.ids, pairs.short_errors, r.top),
                      b = top_ids(pairs.ids, pairs.long_errors, r.top);
  r.top_shared = static_cast<int>(std::count_if(a.begin(), a.end(), [&](int id) { return b.count(id) > 0; }));
  r.faithful = r.rho.statistic >= rule.rho && r.rho_ci.lo >= rule.rho_lo && r.top_shared >= rule.top_overlap * r.top;
  r.verdict = verdict_text(r, rule);
  return r;
}

nlohmann::json to_json(const AuditReport& r) {
  return {{"audited", r.audited},
          {"trained", r.trained},
          {"spearman", {{"rho", r.rho.statistic}, {"p_value", r.rho.p_value}, {"ci", {r.rho_ci.lo, r.rho_ci.hi}}}},
          {"kendall",
           {{"tau", r.tau.statistic},
            {"p_value", r.tau.p_value},
            {"method", r.tau.method},
            {"ci", {r.tau_ci.lo, r.tau_ci.hi}}}},
          {"bootstrap_resamples", r.resamples},
          {"top_quarter", {{"size", r.top}, {"shared", r.top_shared}}},
          {"faithful", r.faithful},
          {"verdict", r.verdict}};
}

std::string plan_text(const AuditPlan& p) {
  std::vector<int> source_ids;
  for (const auto& m : p.models) source_ids.push_back(m.source_id);
  return fmt::format("audit {}: {} over the error quantiles (ids {}), retrained with {} in {}{}", p.source_dir,
                     plural(static_cast<long long>(p.models.size()), "model"), format_id_list(source_ids),
                     p.train.schedule, p.out_dir, p.exists ? " (resuming)" : "");
}

AuditOutcome run_audit(const AuditPlan& p, const SweepsTrainer& train) {
  AuditOutcome out;
  out.plan = p;
  create_audit_sweep(p);
  if (train) {
    const BatchResult r = train({p.train});
    if (r.interrupted) {
      out.interrupted = true;
      return out;
    }
    if (!r.problems.empty()) fail(p.out_dir, "", join(r.problems, "; ") + " (run audit again to resume)");
  }
  const SweepData d = load_sweep_data(p.out_dir, "", p.metric);
  out.pairs = audit_pairs(d.sweep_json, d.models, p.metric, sweep_json_path(p.out_dir));
  if (out.pairs.ids.size() < 3)
    fail(p.out_dir, "results",
         fmt::format("{} of the {} audited models trained: rank correlations need 3 (train or launch {}, then run "
                     "audit again)",
                     out.pairs.ids.size(), p.models.size(), p.out_dir));
  out.report = audit_report(out.pairs, static_cast<int>(p.models.size()), p.resamples, p.seed);
  return out;
}

std::string to_text(const AuditOutcome& o) {
  const AuditPairs& pairs = o.pairs;
  std::vector<size_t> order(pairs.ids.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return pairs.short_errors[a] < pairs.short_errors[b]; });
  std::string text = fmt::format("{:>5} {:>9} {:>9} {:>9}\n", "id", "source id", "short %", "long %");
  for (size_t i : order)
    text += fmt::format("{:>5} {:>9} {:>9} {:>9}\n", pairs.ids[i],
                        o.plan.models[static_cast<size_t>(pairs.ids[i])].source_id, fixed(pairs.short_errors[i], 2),
                        fixed(pairs.long_errors[i], 2));
  return text + o.report.verdict + "\n";
}

nlohmann::json to_json(const AuditOutcome& o) {
  nlohmann::json j = to_json(o.report);
  j["sweep"] = o.plan.source_dir;
  j["audit_sweep"] = o.plan.out_dir;
  j["metric"] = to_string(o.plan.metric);
  j["ids"] = o.pairs.ids;
  j["short_errors"] = o.pairs.short_errors;
  j["long_errors"] = o.pairs.long_errors;
  return j;
}

}  // namespace regnet
