#include "core/compare/compare_plan.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <set>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/lists.hpp"
#include "core/base/output_path.hpp"
#include "core/base/text.hpp"
#include "core/sweep/reader.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

std::string canonical_dir(const std::string& d) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(fs::absolute(d), ec);
  return (ec ? fs::absolute(d).lexically_normal() : c).string();
}

void check_sweep_list(const std::vector<std::string>& sweeps) {
  if (sweeps.size() < 2)
    fail("", "SWEEP", plural(static_cast<long long>(sweeps.size()), "sweep") + " given: a comparison needs at least 2");
  check_distinct_sweeps(sweeps, "compare");
  for (const auto& s : sweeps)  // compare.json keeps the path to resume and analyze: escaped, it would name nothing
    if (!is_utf8(s))
      fail(printable(s), "SWEEP", "is not UTF-8, which compare.json must hold to find the sweep again: rename it");
}

// The first result of the sweep trained with another recipe than `plan`'s: its path and the
// recipe's name ("" when all agree).
std::pair<std::string, std::string> other_schedule(const TrainingPlan& plan) {
  const nlohmann::json want = to_json(plan.schedule);
  for (const auto& r : load_results(plan.sweep_dir)) {
    if (!r.provenance.is_object() || !r.provenance.contains("schedule")) continue;
    const nlohmann::json& got = r.provenance["schedule"];
    if (!same_recipe(got, want))
      return {result_path(plan.sweep_dir, r.id), got.is_object() && got.contains("name") && got["name"].is_string()
                                                     ? got["name"].get<std::string>()
                                                     : "?"};
  }
  return {"", ""};
}

// What must agree between compared sweeps: a value per sweep, and what a mismatch means.
struct Trait {
  const char* field;
  std::function<std::string(const TrainingPlan&)> value;
};

const std::vector<Trait>& traits() {
  static const std::vector<Trait> t{
      {"dataset", [](const TrainingPlan& p) { return p.data_source; }},
      {"window",
       [](const TrainingPlan& p) { return read_sweep_json(p.sweep_dir).value("window", nlohmann::json()).dump(); }},
      {"spec.input_size", [](const TrainingPlan& p) { return std::to_string(p.image_size()); }},
  };
  return t;
}

// A mismatch is an error, or with --force a warning.
void mismatch(const std::string& file, const std::string& field, const std::string& message, bool force,
              std::vector<std::string>& warnings) {
  if (!force) fail(file, field, message + " (--force compares them anyway)");
  warnings.push_back(error_context(file, field, message));
}

void check_comparable(const std::vector<TrainingPlan>& plans, const std::vector<CompareSweep>& sweeps, bool force,
                      std::vector<std::string>& warnings) {
  for (const Trait& t : traits()) {
    const std::string first = t.value(plans[0]);
    for (size_t i = 1; i < plans.size(); ++i) {
      const std::string v = t.value(plans[i]);
      if (v != first)
        mismatch(sweep_json_path(plans[i].sweep_dir), t.field,
                 sweeps[i].name + " has " + v + ", " + sweeps[0].name + " has " + first + ": they are not comparable",
                 force, warnings);
    }
  }
  for (const auto& p : plans) {
    const auto [file, name] = other_schedule(p);
    if (!file.empty())
      mismatch(file, "provenance.schedule",
               "trained with '" + name + "', not " + p.schedule_path + ": the errors would mix recipes", force,
               warnings);
  }
}

std::vector<int> parse_looks(const std::string& text) {
  std::vector<int> looks;
  for (double v : parse_numbers(text, "--looks")) {
    if (v != std::floor(v) || v < 1 || v > 1e6)
      fail("", "--looks", shortest(v) + " is not a whole number of models in [1, 1000000]");
    looks.push_back(static_cast<int>(v));
  }
  if (looks.empty()) fail("", "--looks", "'" + text + "' lists no look");
  return looks;
}

// Looks past the largest sweep cannot be reached: stop at what is there.
void cut_looks(std::vector<int>& looks, int largest, std::vector<std::string>& warnings) {
  if (looks.back() <= largest) return;
  const int asked = looks.back();
  while (!looks.empty() && looks.back() >= largest) looks.pop_back();
  looks.push_back(largest);
  warnings.push_back(
      fmt::format("looks: {} is more than the {} samples of the largest sweep: the comparison stops at {}", asked,
                  largest, largest));
}

// The options alone, before any sweep is read.
void check_design_options(const CompareRequest& r) {
  if (!(r.alpha > 0 && r.alpha < 0.5)) fail("", "--alpha", shortest(r.alpha) + " must be in (0, 0.5)");
  if (r.max_n < 0) fail("", "--max-n", std::to_string(r.max_n) + " must be >= 1 (0: the largest sweep's samples)");
  spending_from_string(r.spending, "--spending");
  if (r.margin != 0 && !(r.margin > 0 && r.margin <= 100))
    fail("", "--margin", shortest(r.margin) + " must be in (0, 100] error points");
  if (!r.non_inferior.empty() && r.margin == 0)
    fail("", "--non-inferior", "needs --margin: no worse than the other sweeps by how many error points?");
  if (r.looks.empty()) return;
  SequentialDesign d;
  d.looks = parse_looks(r.looks);
  d.alpha = r.alpha;
  d.simulations = r.simulations;
  validate(d);  // increasing, before cutting
  if (r.max_n > 0 && d.looks.back() != r.max_n)
    fail("", "--looks", fmt::format("the last look, {}, is not --max-n {}", d.looks.back(), r.max_n));
}

SequentialDesign make_design(const CompareRequest& r, int largest, int pairs, std::vector<std::string>& warnings) {
  SequentialDesign d;
  d.alpha = r.alpha;
  d.spending = spending_from_string(r.spending, "--spending");
  d.pairs = pairs;
  d.simulations = r.simulations;
  d.seed = r.seed;
  d.looks = r.looks.empty() ? default_looks(r.max_n > 0 ? r.max_n : largest, d.spending, d.alpha / pairs)
                            : parse_looks(r.looks);
  cut_looks(d.looks, largest, warnings);
  validate(d);
  return d;
}

bool same_sweeps(const CompareSetup& a, const CompareSetup& b) {
  if (a.sweeps.size() != b.sweeps.size()) return false;
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    if (canonical_dir(a.sweeps[i].dir) != canonical_dir(b.sweeps[i].dir)) return false;
  return true;
}

// What differs between a stored setup and the one asked for ("" when nothing).
std::string setup_difference(const CompareSetup& stored, const CompareSetup& asked) {
  if (!same_sweeps(stored, asked)) return "sweeps";
  const nlohmann::json a = to_json(stored.design), b = to_json(asked.design);
  for (auto it = a.begin(); it != a.end(); ++it)
    if (!b.contains(it.key()) || b[it.key()] != it.value())
      return "design." + it.key() + " " + it.value().dump() + " (asked: " + b.value(it.key(), nlohmann::json()).dump() +
             ")";
  if (stored.metric != asked.metric) return "metric " + to_string(stored.metric);
  if (stored.margin != asked.margin)
    return "design.margin " + (stored.margin > 0 ? shortest(stored.margin) : std::string("none")) +
           " (asked: " + (asked.margin > 0 ? shortest(asked.margin) : std::string("none")) + ")";
  if (stored.candidate != asked.candidate) return "design.non_inferior";
  return "";
}

// Absent, or empty but for what a killed first write of compare.json left (compare.json.tmp.PID).
bool fresh_directory(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return true;
  if (!fs::is_directory(dir, ec)) return false;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().filename().string().rfind("compare.json.tmp.", 0) != 0) return false;
  return true;
}

// A new comparison, this one resumed, or (only with --force) another one's record replaced.
void resolve_out(ComparePlan& p, bool force) {
  if (const auto stored = read_compare_setup(p.out_dir)) {
    const std::string diff = setup_difference(*stored, p.setup);
    if (diff.empty()) {
      p.resuming = true;
      return;
    }
    const std::string message = "holds another comparison (" + diff + ")";
    if (!force)
      fail(compare_json_path(p.out_dir), "",
           message +
               ": resume it with the same options, choose another --out, or --force to start over "
               "(trained models are kept, but a design changed after seeing data is no longer a valid test)");
    p.warnings.push_back(compare_json_path(p.out_dir) + ": " + message + ": replaced (--force)");
    return;
  }
  if (!fresh_directory(p.out_dir))
    fail(p.out_dir, "", "exists and is not a compare directory (no compare.json): choose another --out");
}

// Each sweep through train's plan, with the options given; the setup's sweeps from them.
std::vector<TrainingPlan> plan_sweeps(const CompareRequest& r, CompareSetup& setup) {
  const auto names = legend_names(r.sweeps, {});
  std::vector<TrainingPlan> plans;
  for (size_t i = 0; i < r.sweeps.size(); ++i) {
    TrainingRequest t = r.train;
    t.sweep_dir = r.sweeps[i];
    t.ids.clear();
    plans.push_back(plan_training(t));
    setup.sweeps.push_back({names[i], r.sweeps[i], static_cast<int>(plans.back().selected.size())});
  }
  return plans;
}

// A data directory is checked once here, rather than by every look's train process.
void check_data_directory(const TrainingPlan& plan, const std::string& asked) {
  const fs::path data = plan.data_source;
  std::error_code ec;
  if (data.is_absolute() && !fs::is_directory(data, ec))
    fail("", "--data", "'" + asked + "' is not a directory (nor a known dataset name)");
}

// The sweep --non-inferior names: its legend name, or its directory as given; -1 when not asked.
int candidate_index(const CompareRequest& r, const std::vector<CompareSweep>& sweeps) {
  if (r.non_inferior.empty()) return -1;
  for (size_t i = 0; i < sweeps.size(); ++i)
    if (sweeps[i].name == r.non_inferior || canonical_dir(sweeps[i].dir) == canonical_dir(r.non_inferior))
      return static_cast<int>(i);
  std::vector<std::string> names;
  for (const auto& s : sweeps) names.push_back(s.name);
  fail("", "--non-inferior",
       "'" + printable(r.non_inferior) + "' is none of the compared sweeps (" + join(names, ", ") + ")");
}

}  // namespace

CompareUntil compare_until_from_string(const std::string& s) {
  if (s == "decided") return CompareUntil::decided;
  if (s == "max-n") return CompareUntil::max_n;
  fail("", "--until", "'" + s + "': decided (stop once every pair is decided) or max-n (train to max-n)");
}

std::string default_compare_dir(const std::vector<std::string>& sweeps) {
  const fs::path first = fs::path(sweeps.front()).lexically_normal();
  fs::path parent = (first.filename().empty() ? first.parent_path() : first).parent_path();
  if (parent.empty()) parent = ".";
  return (parent / ("compare-" + join(legend_names(sweeps, {}), "-"))).string();
}

ComparePlan plan_compare(const CompareRequest& r) {
  check_sweep_list(r.sweeps);
  check_design_options(r);
  ComparePlan p;
  p.until = compare_until_from_string(r.until);
  p.setup.metric = error_metric_from_string(r.metric, "--metric");
  const std::vector<TrainingPlan> plans = plan_sweeps(r, p.setup);
  check_comparable(plans, p.setup.sweeps, r.force, p.warnings);
  check_data_directory(plans[0], r.train.data);
  const int m = static_cast<int>(r.sweeps.size());
  int largest = 0;
  for (const auto& s : p.setup.sweeps) largest = std::max(largest, s.samples);
  p.setup.margin = r.margin;
  p.setup.candidate = candidate_index(r, p.setup.sweeps);
  p.setup.design = make_design(r, largest, p.setup.candidate >= 0 ? m - 1 : m * (m - 1) / 2, p.warnings);
  p.setup.training = {
      {"data", plans[0].data_source}, {"schedule", plans[0].schedule_path}, {"schedule_name", plans[0].schedule.name}};
  p.out_dir = r.out.empty() ? default_compare_dir(r.sweeps) : r.out;
  if (r.check_out) {
    check_apart_from_inputs(p.out_dir, "--out", r.sweeps);
    resolve_out(p, r.force);
  }
  p.train = r.train;
  return p;
}

namespace {

// ", margin M" and, for a one-sided question, which sweep is asked to be no worse.
std::string margin_text(const CompareSetup& s) {
  if (!(s.margin > 0)) return "";
  const std::string question =
      s.candidate >= 0 ? ", is " + s.sweeps[static_cast<size_t>(s.candidate)].name + " non-inferior?" : "";
  return ", margin " + shortest(s.margin) + question;
}

}  // namespace

std::string plan_text(const ComparePlan& p) {
  std::vector<std::string> sweeps, looks;
  for (const auto& s : p.setup.sweeps) sweeps.push_back(fmt::format("{} ({} samples)", s.name, s.samples));
  const SequentialDesign& d = p.setup.design;
  for (int n : d.looks) looks.push_back(std::to_string(n));
  return fmt::format("compare {}: looks at {} models per sweep, alpha {} ({}{}{}); {} {}", join(sweeps, " vs "),
                     join(looks, ", "), shortest(d.alpha), to_string(d.spending),
                     d.pairs > 1 ? fmt::format(", {} per pair", significant(pair_alpha(d), 3)) : "",
                     margin_text(p.setup), p.resuming ? "resuming" : "writing", compare_json_path(p.out_dir));
}

}  // namespace regnet
