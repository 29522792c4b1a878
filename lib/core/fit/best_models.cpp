#include "core/fit/best_models.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"
#include "core/model/design_parameters.hpp"
#include "core/space/space.hpp"
#include "core/stats/edf.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

template <typename T>
T most_common(const std::vector<T>& v) {
  std::map<T, int> count;
  for (const T& x : v) ++count[x];
  T best = v.front();
  int n = 0;
  for (const auto& [x, c] : count)  // ascending: ties keep the smaller value
    if (c > n) {
      best = x;
      n = c;
    }
  return best;
}

ParameterSummary summarize_parameter(const std::string& name, const std::vector<double>& v, const FitOptions& o,
                                     std::uint64_t salt) {
  ParameterSummary s;
  s.name = name;
  const Summary basic = summarize(v);
  s.median = basic.median;
  s.min = basic.min;
  s.max = basic.max;
  // Each parameter gets its own stream, so adding one never changes another's band.
  const BootstrapResult b = bootstrap_median(v, o.resamples, o.seed ^ (salt * 0x9e3779b97f4a7c15ULL));
  s.lo = b.lo;
  s.hi = b.hi;
  return s;
}

// The finished models as (error, id), best first (ties: the lower id).
std::vector<std::pair<double, int>> ranked_models(const std::vector<TrainResult>& results, ErrorMetric metric) {
  std::vector<std::pair<double, int>> ranked;
  for (const TrainResult& r : results) {
    const double e = error_of(r, metric);
    if (r.status == RunStatus::done && std::isfinite(e)) ranked.emplace_back(e, r.id);
  }
  std::sort(ranked.begin(), ranked.end());
  return ranked;
}

FittedModel fit_model(int id, double error, const SampleRecord& sample, const FitGrid& grid) {
  FittedModel m;
  m.id = id;
  m.error = error;
  m.spec = sample.spec;
  m.widths = block_widths(m.spec);
  m.fit = fit_widths(m.widths, grid);
  m.fitted = generate_regnet_unchecked(m.fit.wa, m.fit.w0, m.fit.wm, m.fit.depth, grid.q);
  return m;
}

// The fits of the first k ranked models.
std::vector<FittedModel> fit_top(const std::string& dir, const std::vector<std::pair<double, int>>& ranked, int k,
                                 const std::vector<SampleRecord>& samples, const FitGrid& grid) {
  std::map<int, const SampleRecord*> by_id;
  for (const auto& s : samples) by_id[s.id] = &s;
  std::vector<FittedModel> out;
  for (int i = 0; i < k; ++i) {
    const auto [err, id] = ranked[static_cast<size_t>(i)];
    const auto it = by_id.find(id);
    if (it == by_id.end()) fail(result_path(dir, id), "id", std::to_string(id) + " has a result but no sample record");
    out.push_back(fit_model(id, err, *it->second, grid));
  }
  return out;
}

// One value of each fitted parameter per model.
struct FittedValues {
  std::vector<double> d, w0, wa, wm, e_fit;
};

FittedValues fitted_values(const std::vector<FittedModel>& models) {
  FittedValues v;
  for (const auto& m : models) {
    v.d.push_back(m.fit.depth);
    v.w0.push_back(m.fit.w0);
    v.wa.push_back(m.fit.wa);
    v.wm.push_back(m.fit.wm);
    v.e_fit.push_back(m.fit.e_fit);
  }
  return v;
}

std::vector<ParameterSummary> summarize_fits(const FittedValues& v, const FitOptions& o) {
  return {summarize_parameter("d", v.d, o, 1), summarize_parameter("w0", v.w0, o, 2),
          summarize_parameter("wa", v.wa, o, 3), summarize_parameter("wm", v.wm, o, 4),
          summarize_parameter("e_fit", v.e_fit, o, 5)};
}

double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }
double max_of(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }

SuggestedSpace suggest_space(const std::vector<FittedModel>& models, const FittedValues& v) {
  SuggestedSpace s;
  s.depth_min = static_cast<int>(min_of(v.d));
  s.depth_max = static_cast<int>(max_of(v.d));
  s.w0_min = static_cast<int>(min_of(v.w0));
  s.w0_max = static_cast<int>(max_of(v.w0));
  s.wa_min = std::floor(min_of(v.wa) * 10) / 10;
  s.wa_max = std::ceil(max_of(v.wa) * 10) / 10;
  s.wm_min = std::floor(min_of(v.wm) * 1000 + 1e-9) / 1000;
  s.wm_max = std::ceil(max_of(v.wm) * 1000 - 1e-9) / 1000;
  s.stages_min = s.stages_max = models.front().fitted.num_stages;
  std::set<int> gs;
  std::set<double> bs, ses, acts;
  for (const auto& m : models) {
    s.stages_min = std::min(s.stages_min, m.fitted.num_stages);
    s.stages_max = std::max(s.stages_max, m.fitted.num_stages);
    const RegNetParams p = fitted_params(m);
    gs.insert(p.group_width);
    bs.insert(p.bottleneck_ratio);
    ses.insert(p.se_ratio);
    acts.insert(static_cast<double>(m.spec.activation));
  }
  s.group_widths.assign(gs.begin(), gs.end());
  s.bottleneck_ratios.assign(bs.begin(), bs.end());
  s.se_ratios.assign(ses.begin(), ses.end());
  s.activations.assign(acts.begin(), acts.end());
  return s;
}

}  // namespace

RegNetParams fitted_params(const FittedModel& m) {
  RegNetParams p;
  p.depth = m.fit.depth;
  p.w0 = m.fit.w0;
  p.wa = m.fit.wa;
  p.wm = m.fit.wm;
  p.group_width = most_common(m.spec.group_widths);
  p.bottleneck_ratio = most_common(m.spec.bottleneck_ratios);
  p.se_ratio = m.spec.se_ratio;
  return p;
}

FitGrid grid_up_to(int w0_max) {
  FitGrid grid;
  if (w0_max < grid.w0_min || w0_max > kMaxFitW0)
    fail("", "--w0-max", fmt::format("{} must be in [{}, {}]", w0_max, grid.w0_min, kMaxFitW0));
  grid.w0_max = w0_max;
  return grid;
}

SweepFit fit_sweep(const std::string& dir, const FitOptions& o) {
  if (o.resamples < 1) fail("", "--resamples", std::to_string(o.resamples) + " must be >= 1");
  if (o.top < 1) fail("", "--top", std::to_string(o.top) + " must be >= 1");
  SweepFit rep;
  rep.dir = dir;
  rep.metric = o.metric;
  rep.requested = o.top;
  const nlohmann::json sweep_json = read_sweep_json(dir);  // "not a sweep" errors come first
  const std::vector<SampleRecord> samples = load_samples(dir);
  check_sample_files(dir, sweep_json, samples);
  const std::vector<TrainResult> results = load_results(dir);
  check_results_match(dir, samples, results);
  rep.samples = static_cast<int>(samples.size());
  rep.results = static_cast<int>(results.size());
  const auto ranked = ranked_models(results, o.metric);
  rep.done = static_cast<int>(ranked.size());
  if (ranked.empty())
    fail(dir, "results",
         "no finished models yet (" + std::to_string(rep.results) + " results for " + std::to_string(rep.samples) +
             " samples, none with status done); train first: regnet-explore train " + dir);
  int k = o.top;
  if (k > rep.done) {
    rep.warnings.push_back("--top " + std::to_string(o.top) + " exceeds the " + std::to_string(rep.done) +
                           " finished models; fitting all " + std::to_string(rep.done));
    k = rep.done;
  }
  rep.models = fit_top(dir, ranked, k, samples, o.grid);
  const FittedValues values = fitted_values(rep.models);
  rep.summary = summarize_fits(values, o);
  rep.suggested = suggest_space(rep.models, values);
  return rep;
}

nlohmann::json to_json(const WidthFit& f) {
  const RegNetWidths g = generate_regnet_unchecked(f.wa, f.w0, f.wm, f.depth);
  return {{"depth", f.depth},
          {"w0", f.w0},
          {"wa", f.wa},
          {"wm", f.wm},
          {"e_fit", f.e_fit},
          {"predicted", f.predicted},
          {"stage_widths", g.stage_widths},
          {"stage_depths", g.stage_depths}};
}

nlohmann::json to_json(const SweepFit& r) {
  nlohmann::json models = nlohmann::json::array();
  for (const auto& m : r.models) {
    nlohmann::json f = to_json(m.fit);
    f["stage_widths"] = m.fitted.stage_widths;
    f["stage_depths"] = m.fitted.stage_depths;
    models.push_back({{"id", m.id},
                      {"error", m.error},
                      {"observed", m.widths},
                      {"observed_stage_widths", m.spec.widths},
                      {"observed_stage_depths", m.spec.depths},
                      {"fit", f},
                      {"regnet", to_json(fitted_params(m))}});
  }
  nlohmann::json summary = nlohmann::json::object();
  for (const auto& s : r.summary)
    summary[s.name] = {{"median", s.median}, {"lo", s.lo}, {"hi", s.hi}, {"min", s.min}, {"max", s.max}};
  const SuggestedSpace& s = r.suggested;
  return {{"sweep", r.dir},
          {"metric", to_string(r.metric)},
          {"top_requested", r.requested},
          {"top", r.models.size()},
          {"samples", r.samples},
          {"results", r.results},
          {"done", r.done},
          {"models", models},
          {"summary", summary},
          {"suggested",
           {{"depth", {s.depth_min, s.depth_max}},
            {"w0", {s.w0_min, s.w0_max}},
            {"wa", {s.wa_min, s.wa_max}},
            {"wm", {s.wm_min, s.wm_max}},
            {"num_stages", {s.stages_min, s.stages_max}},
            {"group_width", s.group_widths},
            {"bottleneck_ratio", s.bottleneck_ratios},
            {"se_ratio", s.se_ratios}}},
          {"warnings", r.warnings}};
}

namespace {

// A shared parameter: fixed when the range is one value, else `kind` over [lo, hi] with quantum q.
SpaceParameter range_param(const char* name, double lo, double hi, DistKind kind, double q) {
  SpaceParameter p{name, false, {}};
  if (lo == hi)
    p.dist.values = {lo};
  else
    p.dist = {kind, lo, hi, q, {}};
  return p;
}

// A shared parameter: fixed at the one value seen, else a choice of those seen.
SpaceParameter set_param(const char* name, const std::vector<double>& values) {
  SpaceParameter p{name, false, {}};
  p.dist.kind = values.size() == 1 ? DistKind::fixed : DistKind::choice;
  p.dist.values = values;
  return p;
}

NetworkOptions network_of(const SweepFit& r, const nlohmann::json& network) {
  if (network.is_object()) return network_from_json(network, r.dir + "/sweep.json");  // the sweep's own
  return network_options_of(r.models.front().spec);
}

}  // namespace

DesignSpace suggested_space(const SweepFit& r, const std::string& name, const nlohmann::json& network) {
  if (r.models.empty()) fail(r.dir, "fit", "no fitted models");
  const SuggestedSpace& s = r.suggested;
  DesignSpace d;
  d.name = name;
  d.description = fmt::format(
      "RegNet range spanned by the width fits of the top {} models (by {} top-1 error) of {}: "
      "d {}..{}, w0 {}..{}, wa {:.1f}..{:.1f}, wm {:.3f}..{:.3f} (regnet-explore fit).",
      r.models.size(), to_string(r.metric), r.dir, s.depth_min, s.depth_max, s.w0_min, s.w0_max, s.wa_min, s.wa_max,
      s.wm_min, s.wm_max);
  d.type = SpaceType::regnet;
  d.min_stages = s.stages_min;
  d.max_stages = s.stages_max;
  d.width_quantum = 8;
  // log-uniform needs a positive low; a fitted wa of 0 (one stage) makes wa uniform from 0.
  const DistKind wa_dist = s.wa_min > 0 ? DistKind::log_uniform : DistKind::uniform;
  d.parameters = {range_param("depth", s.depth_min, s.depth_max, DistKind::uniform, 1),
                  range_param("w0", s.w0_min, s.w0_max, DistKind::log_uniform, 8),
                  range_param("wa", s.wa_min, s.wa_max, wa_dist, 0.1),
                  range_param("wm", s.wm_min, s.wm_max, DistKind::log_uniform, 0.001),
                  set_param("group_width", std::vector<double>(s.group_widths.begin(), s.group_widths.end())),
                  set_param("bottleneck_ratio", s.bottleneck_ratios),
                  set_param("se_ratio", s.se_ratios),
                  set_param("activation", s.activations)};
  d.network = network_of(r, network);
  return d;
}

nlohmann::json suggested_space_json(const SweepFit& r, const std::string& name, const nlohmann::json& network) {
  const nlohmann::json j = to_json(suggested_space(r, name, network));
  space_from_json(j, name + ".json");  // what `sample --space` will read must parse
  return j;
}

void write_suggested_space(const SweepFit& r, const std::string& file, const std::string& name, bool force) {
  const std::string target = output_file(file, "--out-space", force, {r.dir});
  const nlohmann::json sweep = read_sweep_json(r.dir);
  const std::string space_name = name.empty() ? fs::path(file).stem().string() : name;
  write_json_atomic(target, suggested_space_json(r, space_name, sweep.value("network", nlohmann::json())));
}

void write_fitted_specs(const SweepFit& r, const std::string& dir, bool force) {
  check_output_dir(dir, "--out-specs", force, {r.dir});
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec || !fs::is_directory(dir)) fail(dir, "--out-specs", "cannot create directory: " + ec.message());
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& m : r.models) {
    const RegNetParams p = fitted_params(m);
    const Spec spec = regnet_spec(p, network_options_of(m.spec));
    const nlohmann::json j{
        {"id", m.id},           {"sweep", r.dir},       {"error", m.error},      {"metric", to_string(r.metric)},
        {"e_fit", m.fit.e_fit}, {"regnet", to_json(p)}, {"spec", to_json(spec)}, {"block_widths", block_widths(spec)}};
    const std::string file = fmt::format("{:06d}.json", m.id);  // the sweep's id naming
    files.emplace_back((fs::path(dir) / file).string(), json_text(j) + "\n");
  }
  write_files_atomic(files);
}

}  // namespace regnet
