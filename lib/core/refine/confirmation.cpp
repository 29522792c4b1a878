#include "core/refine/confirmation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/compare/compare_run.hpp"
#include "core/refine/refine_record.hpp"
#include "core/space/sample_sweep.hpp"
#include "core/sweep/directory.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

constexpr int kMaxCandidates = 20;
constexpr int kMaxSteps = 20;

std::string step_dir(const std::string& out, int step) { return fmt::format("{}/step-{}", out, step); }
std::string exploration_path(const std::string& dir) { return dir + "/exploration.json"; }
std::string refined_path(const std::string& dir) { return dir + "/refined-space.json"; }

int trained_count(const std::string& dir) { return static_cast<int>(load_results(dir).size()); }

// A fresh sweep of `space` (written to `space_file`) in the explored sweep's window, recorded as
// `sample` records one; all or nothing, and left as it is when a killed run made it already.
void sample_into(const std::string& dir, const DesignSpace& space, const std::string& space_file,
                 const RefineSweep& origin, int n, std::uint64_t seed, int threads) {
  if (fs::exists(sweep_json_path(dir))) return;
  SampleRequest r;
  r.space = space_file;
  r.out = dir;
  r.n = n;
  r.seed = seed;
  r.threads = threads;
  const auto bound = [](const Window& w) { return w.unbounded() ? std::string() : to_string(w); };
  r.flops = bound(origin.window.flops);
  r.params = bound(origin.window.params);
  r.acts = bound(origin.window.acts);
  r.net.preset = origin.preset;  // so that `train` picks the same data
  SampleOptions so;
  so.n = n;
  so.seed = seed;
  so.window = origin.window;
  so.threads = threads;
  so.max_attempts = r.max_attempts;
  const SampleResult s = sample_space(space, so);
  if (!s.complete) fail(space_file, "restrictions", shortfall_message(s.stats, s.samples.size(), n));
  nlohmann::json j = sweep_json(r, space, space.network, s.stats, utc_timestamp());
  j["command"] = "refine";
  create_sweep(dir, j, s.samples);
}

// Trains every sample of `dir` that has no result (the exploration sweep of a later step).
void train_all(const std::string& dir, const ConfirmRequest& request, const SweepsTrainer& train) {
  TrainingRequest t = request.train;
  t.sweep_dir = dir;
  t.ids.clear();
  const BatchResult b = train({t});
  if (b.interrupted) return;
  if (!b.problems.empty()) fail(dir, "results", b.problems.front());
}

// The proposals a step confirms: the first K in rank order that the exploration does not expect
// to hurt and that keep some of the space (a share of 0 cannot be sampled).
std::vector<size_t> chosen(const Exploration& e, int k, const std::vector<std::string>& ids) {
  std::vector<size_t> out;
  for (const auto& id : ids) {
    const auto it =
        std::find_if(e.estimates.begin(), e.estimates.end(), [&](const Estimate& x) { return x.proposal.id == id; });
    if (it == e.estimates.end())
      fail(e.sweep, "--proposals", one_line(id) + ": not among the sweep's proposals (`refine SWEEP` lists them)");
    out.push_back(static_cast<size_t>(it - e.estimates.begin()));
  }
  if (!ids.empty()) return out;
  for (size_t i = 0; i < e.estimates.size() && static_cast<int>(out.size()) < k; ++i)
    if (e.estimates[i].outlook != Outlook::loss && (e.estimates[i].kept > 0 || e.estimates[i].kept_exact))
      out.push_back(i);
  return out;
}

// Explores the step's sweep once: the chosen candidates' spaces and the parent's are written,
// then exploration.json marks the phase done (a resumed run reads the choice back, so more models
// trained in the sweep meanwhile cannot change what is being confirmed).
ExploredStep explore_step(const std::string& dir, const RefineSweep& sweep, const ConfirmRequest& request, int step) {
  if (fs::exists(exploration_path(dir))) return read_explored_step(exploration_path(dir));
  const Exploration e = explore(sweep, request.explore);
  ExploredStep x;
  x.exploration = to_json(e);
  x.parent_file = dir + "/spaces/parent.json";
  std::vector<std::pair<std::string, std::string>> files{{x.parent_file, json_text(to_json(sweep.space)) + "\n"}};
  int rank = 0;
  for (size_t i : chosen(e, request.candidates, step == 1 ? request.proposals : std::vector<std::string>{})) {
    const Estimate& est = e.estimates[i];
    ExploredCandidate c{est.proposal.id, to_text(est.proposal), est.shift,
                        fmt::format("{}/spaces/{:02}-{}.json", dir, ++rank, est.proposal.id)};
    files.emplace_back(c.space_file, json_text(to_json(child_space(sweep.space, est.proposal))) + "\n");
    x.candidates.push_back(c);
  }
  create_parent_dirs(x.parent_file, "--out");
  write_files_atomic(files);
  write_json_atomic(exploration_path(dir), to_json(x, dir));
  return read_explored_step(exploration_path(dir));
}

// The restrictions and orders `child` adds to `parent` (child_space appends them).
void add_restrictions(DesignSpace& refined, const DesignSpace& parent, const DesignSpace& child) {
  for (size_t i = parent.restrictions.size(); i < child.restrictions.size(); ++i)
    refined.restrictions.push_back(child.restrictions[i]);
  for (size_t i = parent.constraints.size(); i < child.constraints.size(); ++i)
    refined.constraints.push_back(child.constraints[i]);
}

// The compare of one candidate's sweep with the parent's fresh sweep, run (or resumed) to its end.
CompareOutcome confirm_candidate(const CandidateDecision& c, const std::string& parent_sweep,
                                 const ConfirmRequest& request, int k, const SweepsTrainer& train,
                                 const RefineProgress& progress) {
  CompareRequest cr;
  cr.sweeps = {c.sweep_dir, parent_sweep};
  cr.out = c.compare_dir;
  cr.train = request.train;
  cr.alpha = request.alpha / k;
  cr.max_n = request.max_n;
  cr.looks = request.looks;
  cr.spending = request.spending;
  cr.metric = request.metric;
  cr.simulations = request.simulations;
  cr.margin = request.margin;
  const ComparePlan plan = plan_compare(cr);
  return run_compare(plan, look_trainer(plan, train, [&progress](const std::string& line) {
                       if (progress) progress("  " + line);
                     }));
}

void record_outcome(CandidateDecision& c, const CompareOutcome& o) {
  const ThreeWayOutcome& t = o.state.three_way.at(0).outcome;
  c.adoption = adoption_of(t);
  c.trained = trained_count(c.sweep_dir);
  c.verdict = decision_lines(o.state).at(0);
  if (t.looks.empty()) return;
  const ThreeWayLook& r = t.looks.back();
  c.shift = r.shift;
  c.different = r.ci_different;
  c.equivalence = r.ci_equivalence;
  c.look = r.look;
  c.n = r.n;
}

// The step's parent with every adopted restriction, written once all candidates are settled.
void write_refined(RefineStep& st, const DesignSpace& parent, const std::string& base_name, const std::string& dir) {
  DesignSpace refined = parent;
  refined.name = fmt::format("{}-r{}", base_name, st.step);
  refined.file.clear();
  std::string with;
  for (const auto& c : st.candidates)
    if (adopted(c.adoption)) {
      add_restrictions(refined, parent, load_space(c.space_file));
      st.adopted.push_back(c.id);
      with += (with.empty() ? "" : ", ") + c.text;
    }
  refined.description = "refine step " + std::to_string(st.step) + ": " + parent.name + " with " +
                        (with.empty() ? "nothing adopted" : with);
  st.refined_space_file = refined_path(dir);
  st.refined_space = refined.name;
  if (!fs::exists(st.refined_space_file)) write_json_atomic(st.refined_space_file, to_json(refined));
}

void count_trainings(Refinement& r) {
  r.trainings = 0;
  for (auto& st : r.steps) {
    st.parent_trained = st.parent_sweep.empty() ? 0 : trained_count(st.parent_sweep);
    st.trainings = st.parent_trained + (st.step > 1 ? trained_count(st.explored) : 0);
    for (const auto& c : st.candidates) st.trainings += c.trained;
    r.trainings += st.trainings;
  }
}

// One step, from the exploration to the refined space; false when it stopped before the end
// (interrupted, or waiting for training that `train` does not do).
bool run_step(Refinement& r, RefineStep& st, const std::string& explored, const RefineSweep& origin,
              const ConfirmRequest& request, const SweepsTrainer& train, const RefineProgress& progress) {
  const std::string dir = step_dir(r.out, st.step);
  const RefineSweep sweep = load_refine_sweep(explored, error_metric_from_string(request.metric, "--metric"));
  st.explored = explored;
  st.explored_models = static_cast<int>(sweep.models.size());
  st.parent_space = sweep.space.name;
  const ExploredStep x = explore_step(dir, sweep, request, st.step);
  const int k = std::max<int>(1, static_cast<int>(x.candidates.size()));
  st.pair_alpha = request.alpha / k;
  const std::uint64_t seed = request.seed + 1000 * static_cast<std::uint64_t>(st.step - 1);
  st.parent_sweep = dir + "/parent";
  sample_into(st.parent_sweep, sweep.space, x.parent_file, origin, request.max_n, seed, request.explore.threads);
  for (size_t i = 0; i < x.candidates.size(); ++i) {
    const ExploredCandidate& e = x.candidates[i];
    CandidateDecision c;
    c.id = e.id;
    c.text = e.text;
    c.explored_shift = e.explored_shift;
    c.space_file = e.space_file;
    c.sweep_dir = fmt::format("{}/{:02}-{}", dir, i + 1, e.id);
    c.compare_dir = fmt::format("{}/compare-{:02}-{}", dir, i + 1, e.id);
    sample_into(c.sweep_dir, load_space(c.space_file), c.space_file, origin, request.max_n, seed + i + 1,
                request.explore.threads);
    st.candidates.push_back(c);
  }
  if (progress)
    progress(fmt::format("step {}: {} candidates of {} against a fresh sample of it, alpha {} each, margin {}", st.step,
                         x.candidates.size(), one_line(sweep.space.name), significant(st.pair_alpha, 3),
                         request.margin));
  for (auto& c : st.candidates) {
    const CompareOutcome o = confirm_candidate(c, st.parent_sweep, request, k, train, progress);
    record_outcome(c, o);
    count_trainings(r);
    write_json_atomic(refine_json_path(r.out), to_json(r));
    if (o.interrupted) {
      r.interrupted = true;
      return false;
    }
    if (c.adoption == Adoption::continuing) return false;  // nothing trains it: --no-train
    if (progress) progress("  " + c.id + ": " + to_string(c.adoption) + ": " + c.verdict);
  }
  write_refined(st, sweep.space, r.steps.front().parent_space, dir);
  return true;
}

}  // namespace

std::string to_string(Adoption a) {
  static const char* names[] = {"better", "equivalent", "worse", "undecided", "continuing"};
  return names[static_cast<int>(a)];
}

bool adopted(Adoption a) { return a == Adoption::better || a == Adoption::equivalent; }

Adoption adoption_of(const ThreeWayOutcome& o) {
  switch (o.status) {
    case ThreeWayStatus::equivalent: return Adoption::equivalent;
    case ThreeWayStatus::different: return o.looks.back().direction > 0 ? Adoption::better : Adoption::worse;
    case ThreeWayStatus::continuing: return Adoption::continuing;
    default: return Adoption::undecided;
  }
}

void check_request(const ConfirmRequest& r) {
  if (r.candidates < 1 || r.candidates > kMaxCandidates)
    fail("", "--confirm", fmt::format("{} must be in [1, {}]", r.candidates, kMaxCandidates));
  if (!r.proposals.empty() && r.proposals.size() != static_cast<size_t>(r.candidates))
    fail("", "--confirm",
         fmt::format("{} differs from the {} proposals named by --proposals", r.candidates, r.proposals.size()));
  for (size_t i = 0; i < r.proposals.size(); ++i)
    if (std::find(r.proposals.begin(), r.proposals.begin() + static_cast<std::ptrdiff_t>(i), r.proposals[i]) !=
        r.proposals.begin() + static_cast<std::ptrdiff_t>(i))
      fail("", "--proposals", one_line(r.proposals[i]) + " is named twice");
  if (r.steps < 1 || r.steps > kMaxSteps) fail("", "--steps", fmt::format("{} must be in [1, {}]", r.steps, kMaxSteps));
  if (!(r.alpha > 0 && r.alpha < 0.5)) fail("", "--alpha", fmt::format("{} must be in (0, 0.5)", r.alpha));
  if (!(r.margin > 0 && r.margin <= 100)) fail("", "--margin", fmt::format("{} must be in (0, 100]", r.margin));
  if (r.max_n < 2 || r.max_n > kMaxSamples)
    fail("", "--max-n", fmt::format("{} must be in [2, {}]", r.max_n, kMaxSamples));
  if (r.explore_n < 0 || r.explore_n > kMaxSamples)
    fail("", "--explore-n", fmt::format("{} must be in [0, {}]", r.explore_n, kMaxSamples));
}

std::string default_refine_dir(const std::string& sweep) {
  const fs::path p = fs::path(sweep).lexically_normal();
  const fs::path name = p.has_filename() ? p.filename() : p.parent_path().filename();
  const fs::path base = p.has_filename() ? p.parent_path() : p.parent_path().parent_path();
  return (base / ("refine-" + name.string())).string();
}

Refinement run_refinement(const ConfirmRequest& request, const SweepsTrainer& train, const RefineProgress& progress) {
  check_request(request);
  Refinement r;
  r.request = request;
  r.out = request.out.empty() ? default_refine_dir(request.sweep) : request.out;
  check_apart_from_inputs(r.out, "--out", {request.sweep});  // a sweep's folder holds records only
  const RefineSweep origin = load_refine_sweep(request.sweep, error_metric_from_string(request.metric, "--metric"));
  check_refine_dir(r.out, request);
  r.status = "running";
  write_json_atomic(refine_json_path(r.out), to_json(r));  // first: a run killed from here on resumes
  std::string explored = request.sweep;
  const int first_models = static_cast<int>(origin.models.size());
  r.status = "done";
  for (int s = 1; s <= request.steps; ++s) {
    if (s > 1) {
      const RefineStep& last = r.steps.back();
      if (last.adopted.empty()) {
        r.status = "stopped";  // the refined space is the parent: another step would explore it again
        break;
      }
      explored = step_dir(r.out, s) + "/explore";
      const int n = request.explore_n > 0 ? request.explore_n : first_models;
      sample_into(explored, load_space(last.refined_space_file), last.refined_space_file, origin, n,
                  request.seed + 1000 * static_cast<std::uint64_t>(s - 1) + 999, request.explore.threads);
      if (!train && trained_count(explored) < n) {
        r.status = "waiting";
        break;
      }
      if (progress)
        progress(fmt::format("step {}: training the exploration sweep of {} ({} models)", s, last.refined_space, n));
      if (train) train_all(explored, request, train);
      if (trained_count(explored) < n) {
        r.status = "interrupted";
        r.interrupted = true;
        break;
      }
    }
    r.steps.push_back({});
    r.steps.back().step = s;
    const bool finished = run_step(r, r.steps.back(), explored, origin, request, train, progress);
    count_trainings(r);
    write_json_atomic(refine_json_path(r.out), to_json(r));
    if (!finished) {
      r.status = r.interrupted ? "interrupted" : "waiting";
      break;
    }
  }
  count_trainings(r);
  write_json_atomic(refine_json_path(r.out), to_json(r));
  return r;
}

}  // namespace regnet
