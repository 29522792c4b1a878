#include "core/refine/exploration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <mutex>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"
#include "core/base/rng.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/base/units.hpp"
#include "core/model/spec.hpp"
#include "core/model/width_fit.hpp"
#include "core/run/training_plan.hpp"
#include "core/space/distribution.hpp"
#include "core/stats/hodges_lehmann.hpp"
#include "core/sweep/error_metric.hpp"

namespace regnet {

namespace {

// sweep.json's window of one count: {"lo": N or null, "hi": N or null}.
Window window_from_json(const nlohmann::json& j, const std::string& field, const std::string& where) {
  Window w;
  if (!j.is_object()) fail(where, field, excerpt(j) + " is not an object");
  for (auto [key, side] : {std::pair{"lo", &w.lo}, std::pair{"hi", &w.hi}}) {
    if (!j.contains(key) || j[key].is_null()) continue;
    if (!j[key].is_number_integer() || (j[key].is_number_unsigned() && j[key].get<std::uint64_t>() > INT64_MAX))
      fail(where, field + "." + key, excerpt(j[key]) + " is not a count");
    *side = j[key].get<std::int64_t>();
  }
  return w;
}

std::vector<ScoredModel> scored_models(const std::string& dir, ErrorMetric metric) {
  std::vector<ScoredModel> out;
  for (const auto& r : load_results(dir)) {
    const double e = error_of(r, metric);
    if (r.status != RunStatus::done || !std::isfinite(e)) continue;
    out.push_back({load_sample(dir, r.id), e});
  }
  return out;
}

// The quantity values of a set of records, each computed once: every proposal tests every record,
// and the width fit behind fit_w0, fit_wa, fit_wm and e_fit is the costly one (one fit gives all four).
class QuantityCache {
 public:
  explicit QuantityCache(std::vector<const SampleRecord*> records)
      : records_(std::move(records)), values_(records_.size()) {}
  const std::vector<double>& get(size_t i, const std::string& q) {
    auto& m = values_[i];
    if (auto it = m.find(q); it != m.end()) return it->second;
    const DerivedQuantity* d = find_derived_quantity(q);
    if (d && d->width_fit) {
      const WidthFit f = fit_widths(block_widths(records_[i]->spec));
      m["fit_w0"] = {f.w0};
      m["fit_wa"] = {f.wa};
      m["fit_wm"] = {f.wm};
      m["e_fit"] = {f.e_fit};
      return m[q];
    }
    return m[q] = quantity_values(q, *records_[i]).value_or(std::vector<double>{});
  }
  const SampleRecord& record(size_t i) const { return *records_[i]; }
  size_t size() const { return records_.size(); }

 private:
  std::vector<const SampleRecord*> records_;
  std::vector<std::map<std::string, std::vector<double>>> values_;
};

// Each proposal as a test of a record: its restriction, or its order on the final spec.
std::vector<char> satisfying(const Proposal& p, const DesignSpace& child, QuantityCache& cache) {
  std::vector<char> ok;
  for (size_t i = 0; i < cache.size(); ++i)
    ok.push_back(p.order ? satisfies_constraints(child, cache.record(i).spec)
                         : satisfied_by(*p.restriction, cache.get(i, p.restriction->quantity)));
  return ok;
}

// A tie's probability in the parent, window aside: the mean over the (uniform) stage counts of Z(n).
double tie_probability(const DesignSpace& s, const std::string& name) {
  const SpaceParameter* p = s.find(name);
  const TiedDraw tie(PreparedDistribution(p->dist), s.min_stages, s.max_stages);
  double z = 0;
  for (int n = s.min_stages; n <= s.max_stages; ++n) z += tie.equal_probability(n);
  return z / (s.max_stages - s.min_stages + 1);
}

// gains by shift; simplifications at no estimated loss (removing most, keeping least first); the rest.
void rank(std::vector<Estimate>& v) {
  auto group = [](const Estimate& e) {
    if (e.outlook == Outlook::gain) return 0;
    if (e.outlook == Outlook::no_change) return 1;
    return e.outlook == Outlook::loss ? 2 : 3;
  };
  std::stable_sort(v.begin(), v.end(), [&](const Estimate& a, const Estimate& b) {
    if (group(a) != group(b)) return group(a) < group(b);
    if (group(a) == 1) {
      if (a.proposal.dof_removed != b.proposal.dof_removed) return a.proposal.dof_removed > b.proposal.dof_removed;
      return a.kept < b.kept;
    }
    return a.shift < b.shift;
  });
}

std::vector<SampleRecord> parent_draws(const RefineSweep& s, const ExploreOptions& o) {
  SampleOptions so;
  so.n = o.parent_draws;
  so.seed = mix64(0x7265'6669'6e65ULL ^ static_cast<std::uint64_t>(s.models.size()));  // not the sweep's seed
  so.window = s.window;
  so.threads = o.threads;
  return sample_space(s.space, so).samples;
}

}  // namespace

RefineSweep load_refine_sweep(const std::string& dir, ErrorMetric metric) {
  const nlohmann::json sj = read_sweep_json(dir);
  const std::string where = sweep_json_path(dir);
  RefineSweep s;
  s.dir = dir;
  nlohmann::json space = require(sj, "space", where);
  if (space.is_object()) space.erase("file");  // where it was loaded from, not part of the space
  s.space = space_from_json(space, where);
  if (sj.contains("network")) s.space.network = network_from_json(sj["network"], where, s.space.network);
  if (sj.contains("window") && sj["window"].is_object())
    for (auto [key, w] : {std::pair{"flops", &s.window.flops}, std::pair{"params", &s.window.params},
                          std::pair{"acts", &s.window.acts}})
      if (sj["window"].contains(key)) *w = window_from_json(sj["window"][key], std::string("window.") + key, where);
  const auto samples = load_samples(dir);
  check_sample_files(dir, sj, samples);
  s.samples = static_cast<int>(samples.size());
  s.preset = preset_dataset(sj);
  s.models = scored_models(dir, metric);
  if (s.models.size() < 2)
    fail(dir, "results",
         fmt::format("{} trained models: refine needs at least 2 (train the sweep first)", s.models.size()));
  return s;
}

// The rank of the interval's ends: exact Mann-Whitney counts where they are cheap, else the
// normal approximation (n_a n_b above 10^4, where it is accurate to a rank or two).
// The exact rank costs a Mann-Whitney distribution: computed once per pair of sizes.
std::int64_t interval_rank(int n_a, int n_b) {
  if (static_cast<std::int64_t>(n_a) * n_b <= 10'000) {
    static std::mutex mutex;
    static std::map<std::pair<int, int>, std::int64_t> ranks;
    const std::lock_guard<std::mutex> lock(mutex);
    const auto key = std::make_pair(n_a, n_b);
    if (auto it = ranks.find(key); it != ranks.end()) return it->second;
    return ranks[key] = mann_whitney_rank(n_a, n_b, 0.025);
  }
  const double na = n_a, nb = n_b, sd = std::sqrt(na * nb * (na + nb + 1) / 12);
  return std::max<std::int64_t>(0, static_cast<std::int64_t>(std::floor(na * nb / 2 - 1.959963984540054 * sd)));
}

ErrorShift error_shift(const std::vector<double>& errors, const std::vector<char>& subset) {
  std::vector<double> in, out;
  for (size_t i = 0; i < errors.size(); ++i) (subset[i] ? in : out).push_back(errors[i]);
  ErrorShift x;
  if (in.size() < 2 || out.size() < 2) return x;
  const int n_in = static_cast<int>(in.size()), n_out = static_cast<int>(out.size());
  const PairwiseDifferences d(std::move(in), std::move(out));
  x.shift = hodges_lehmann(d);
  const ShiftInterval ci = shift_interval(d, interval_rank(n_in, n_out));
  x.low = ci.lower;
  x.high = ci.upper;
  x.outlook = x.high < 0 ? Outlook::gain : x.low > 0 ? Outlook::loss : Outlook::no_change;
  return x;
}

Exploration explore(const RefineSweep& sweep, const ExploreOptions& o) {
  Exploration out;
  out.sweep = sweep.dir;
  out.space = sweep.space.name;
  out.models = static_cast<int>(sweep.models.size());
  std::vector<double> errors;
  for (const auto& m : sweep.models) errors.push_back(m.error);
  for (double e : errors) out.mean_error += e / static_cast<double>(errors.size());
  const auto draws = parent_draws(sweep, o);
  out.parent_draws = static_cast<int>(draws.size());
  std::vector<const SampleRecord*> model_records, draw_records;
  for (const auto& m : sweep.models) model_records.push_back(&m.record);
  for (const auto& r : draws) draw_records.push_back(&r);
  QuantityCache models(model_records), parent(draw_records);
  std::uint64_t salt = 0;
  for (const Proposal& p : propose(sweep.space, sweep.models, o.proposals)) {
    const DesignSpace child = child_space(sweep.space, p);
    Estimate e;
    e.proposal = p;
    const std::vector<char> ok = satisfying(p, child, models);
    e.models = static_cast<int>(std::count(ok.begin(), ok.end(), 1));
    const std::vector<char> kept = satisfying(p, child, parent);
    const auto hits = std::count(kept.begin(), kept.end(), 1);
    e.kept = draws.empty() ? 0 : static_cast<double>(hits) / static_cast<double>(draws.size());
    if (p.kind == ProposalKind::tie && hits < 10) {
      e.kept = tie_probability(sweep.space, p.restriction->quantity);
      e.kept_exact = true;
    }
    ++salt;
    if (e.models >= o.min_models) {
      const ErrorShift x = error_shift(errors, ok);
      e.shift = x.shift;
      e.low = x.low;
      e.high = x.high;
      e.outlook = x.outlook;
    }
    out.estimates.push_back(e);
  }
  rank(out.estimates);
  return out;
}

std::string to_string(Outlook o) {
  static const char* names[] = {"gain", "no clear change", "loss", "too few models"};
  return names[static_cast<int>(o)];
}

nlohmann::json to_json(const Exploration& e) {
  nlohmann::json rows = nlohmann::json::array();
  int rank = 0;
  for (const auto& x : e.estimates) {
    const bool has = x.outlook != Outlook::too_few;
    rows.push_back({{"rank", ++rank},
                    {"id", x.proposal.id},
                    {"kind", to_string(x.proposal.kind)},
                    {"restriction", to_text(x.proposal)},
                    {"models", x.models},
                    {"kept", x.kept},
                    {"kept_exact", x.kept_exact},
                    {"dof_removed", x.proposal.dof_removed},
                    {"shift", has ? nlohmann::json(x.shift) : nlohmann::json()},
                    {"interval", has ? nlohmann::json::array({x.low, x.high}) : nlohmann::json()},
                    {"outlook", to_string(x.outlook)}});
  }
  return {{"sweep", e.sweep},
          {"space", e.space},
          {"models", e.models},
          {"mean_error", e.mean_error},
          {"parent_draws", e.parent_draws},
          {"candidates", rows}};
}

std::string to_text(const Exploration& e) {
  std::string t = fmt::format("refine {} ({}): {} trained models, mean error {:.2f}%; share kept from {} fresh draws\n",
                              one_line(e.sweep), one_line(e.space), e.models, e.mean_error, e.parent_draws);
  t += fmt::format("{:>4}  {:<44} {:>6} {:>9} {:>4}  {:>24}  {}\n", "rank", "restriction", "models", "kept", "dof",
                   "error shift [95%]", "outlook");
  int rank = 0;
  for (const auto& x : e.estimates) {
    const std::string kept = (x.kept_exact ? "~" : "") + fmt::format("{:.3g}", x.kept);
    const std::string shift =
        x.outlook == Outlook::too_few ? "-" : fmt::format("{:+.2f} [{:+.2f}, {:+.2f}]", x.shift, x.low, x.high);
    t += fmt::format("{:>4}  {:<44} {:>6} {:>9} {:>4}  {:>24}  {}\n", ++rank, shorten(to_text(x.proposal), 44),
                     x.models, kept, x.proposal.dof_removed, shift, to_string(x.outlook));
  }
  return t;
}

std::vector<std::string> child_space_files(const Exploration& e, const std::string& dir) {
  std::vector<std::string> out;
  int rank = 0;
  for (const auto& x : e.estimates) out.push_back(fmt::format("{}/{:02}-{}.json", dir, ++rank, x.proposal.id));
  return out;
}

void write_child_spaces(const Exploration& e, const DesignSpace& parent, const std::string& dir) {
  const auto paths = child_space_files(e, dir);
  std::vector<std::pair<std::string, std::string>> files;
  for (size_t i = 0; i < paths.size(); ++i)
    files.emplace_back(paths[i], json_text(to_json(child_space(parent, e.estimates[i].proposal))) + "\n");
  create_parent_dirs(dir + "/.", "--out");  // creates DIR: a failure is one line naming it, not exit 3
  write_files_atomic(files);
}

ExploreReport explore_sweep(const std::string& sweep, const std::string& metric, const ExploreOptions& options,
                            const std::string& out, bool force) {
  if (!out.empty()) check_output_dir(out, "--out", force, {sweep});
  const RefineSweep s = load_refine_sweep(sweep, error_metric_from_string(metric, "--metric"));
  ExploreReport r{explore(s, options), out};
  if (!out.empty()) write_child_spaces(r.exploration, s.space, out);
  return r;
}

nlohmann::json to_json(const ExploreReport& r) {
  nlohmann::json j = to_json(r.exploration);
  if (!r.out.empty()) j["out"] = r.out;
  return j;
}

std::string to_text(const ExploreReport& r) {
  std::string text = to_text(r.exploration);
  if (!r.out.empty())
    text += "wrote " + std::to_string(r.exploration.estimates.size()) + " child spaces to " + one_line(r.out) + "\n";
  return text;
}

}  // namespace regnet
