#include "core/compare/compare_run.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>

#include "core/base/error.hpp"
#include "core/base/text.hpp"
#include "core/run/worker_loop.hpp"
#include "core/sweep/directory.hpp"
#include "core/sweep/sample_states.hpp"

namespace regnet {

namespace {

int ids_wanted(const CompareSweep& s, int n) { return std::min(n, s.samples); }

int trained(const CompareState& s, int i) { return static_cast<int>(s.errors[static_cast<size_t>(i)].errors.size()); }

// The sweeps in a pair that is still continuing.
std::vector<bool> needed_for_decision(const CompareState& s) {
  std::vector<bool> need(s.setup.sweeps.size(), false);
  for (size_t p = 0; p < pair_count(s); ++p)
    if (pair_continuing(s, p)) {
      const auto [a, b] = pair_sweeps(s, p);
      need[static_cast<size_t>(a)] = need[static_cast<size_t>(b)] = true;
    }
  return need;
}

// The first look that `need`ed sweeps have not reached, with the ones short of it.
std::optional<LookBatch> batch_for(const CompareState& s, const std::vector<bool>& need) {
  const auto& looks = s.setup.design.looks;
  for (size_t k = 0; k < looks.size(); ++k) {
    LookBatch b{static_cast<int>(k + 1), looks[k], {}};
    for (size_t i = 0; i < need.size(); ++i)
      if (need[i] && trained(s, static_cast<int>(i)) < ids_wanted(s.setup.sweeps[i], looks[k]))
        b.sweeps.push_back(static_cast<int>(i));
    if (!b.sweeps.empty()) return b;
  }
  return std::nullopt;
}

// After a batch: every sweep of it has its look's models, or the batch failed silently.
void check_batch_done(const CompareState& s, const LookBatch& b) {
  for (int i : b.sweeps) {
    const CompareSweep& w = s.setup.sweeps[static_cast<size_t>(i)];
    const int want = ids_wanted(w, b.n), have = trained(s, i);
    if (have < want)
      fail(w.dir, "results",
           fmt::format("sample {} has no result after look {}'s training (ids 0-{} wanted): see {} and run compare "
                       "again",
                       have, b.look, want - 1, events_log_path(w.dir)));
  }
}

}  // namespace

TrainedErrors trained_prefix(const std::string& sweep_dir, int samples, ErrorMetric metric) {
  std::map<int, TrainResult> by_id;
  for (auto& r : load_results(sweep_dir)) by_id.emplace(r.id, std::move(r));
  TrainedErrors e;
  for (int id = 0; id < samples; ++id) {
    const auto it = by_id.find(id);
    if (it == by_id.end()) break;
    const double err = error_of(it->second, metric);
    const bool usable = it->second.status == RunStatus::done && std::isfinite(err);
    e.errors.push_back(usable ? err : std::numeric_limits<double>::quiet_NaN());
  }
  e.complete = static_cast<int>(e.errors.size()) == samples;
  return e;
}

CompareState evaluate_compare(const CompareSetup& setup) {
  CompareState s;
  s.setup = setup;
  for (const auto& w : setup.sweeps) s.errors.push_back(trained_prefix(w.dir, w.samples, setup.metric));
  if (setup.margin > 0)
    s.three_way = three_way_pairs(s.errors, setup.design, setup.margin, setup.candidate);
  else
    s.pairs = sequential_ks_pairs(s.errors, setup.design);
  return s;
}

std::optional<LookBatch> next_batch(const CompareState& s, CompareUntil until) {
  if (until == CompareUntil::max_n) return batch_for(s, std::vector<bool>(s.setup.sweeps.size(), true));
  return batch_for(s, needed_for_decision(s));
}

std::vector<TrainingRequest> batch_requests(const ComparePlan& plan, const LookBatch& batch) {
  std::vector<TrainingRequest> out;
  for (int i : batch.sweeps) {
    const CompareSweep& w = plan.setup.sweeps[static_cast<size_t>(i)];
    std::vector<int> ids(static_cast<size_t>(ids_wanted(w, batch.n)));
    std::iota(ids.begin(), ids.end(), 0);
    TrainingRequest t = plan.train;
    t.sweep_dir = w.dir;
    t.ids = format_id_list(ids);
    out.push_back(t);
  }
  return out;
}

std::string batch_text(const ComparePlan& plan, const LookBatch& b) {
  std::vector<std::string> names;
  for (int i : b.sweeps) names.push_back(plan.setup.sweeps[static_cast<size_t>(i)].name);
  return fmt::format("look {} needs {} per sweep: training {}", b.look, plural(b.n, "model"), join(names, ", "));
}

BatchTrainer look_trainer(const ComparePlan& plan, const SweepsTrainer& train,
                          std::function<void(const std::string&)> announce) {
  if (!train) return {};
  return [&plan, train, announce](const LookBatch& b) {
    if (announce) announce(batch_text(plan, b));
    return train(batch_requests(plan, b));
  };
}

CompareOutcome run_compare(const ComparePlan& plan, const BatchTrainer& train,
                           const std::function<void(const CompareState&)>& on_evaluated) {
  CompareOutcome out;
  auto evaluate = [&] {
    out.state = evaluate_compare(plan.setup);
    out.state.warnings = plan.warnings;
    write_compare_json(plan.out_dir, out.state);
    if (on_evaluated) on_evaluated(out.state);
  };
  evaluate();
  if (!train) return out;
  while (const auto batch = next_batch(out.state, plan.until)) {
    const BatchResult r = train(*batch);
    ++out.batches;
    evaluate();
    if (r.interrupted) {
      out.interrupted = true;
      return out;
    }
    if (!r.problems.empty()) fail(plan.out_dir, "", join(r.problems, "; ") + " (run compare again to resume)");
    check_batch_done(out.state, *batch);
  }
  return out;
}

std::vector<std::string> LookRows::next(const CompareState& s) {
  std::vector<std::string> lines;
  for (size_t p = 0; p < pair_count(s); ++p)
    for (size_t& done = returned_[pair_sweeps(s, p)]; done < looks_evaluated(s, p); ++done) {
      if (!header_) lines.push_back(look_header(s));
      header_ = true;
      lines.push_back(look_row(s, p, done));
    }
  return lines;
}

}  // namespace regnet
