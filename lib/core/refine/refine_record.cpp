#include "core/refine/refine_record.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/sweep/directory.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

constexpr int kPaperTrainingsPerStep = 500;  // the paper's chain: 500 models per space

std::string relative_to(const std::string& path, const std::string& dir) {
  return fs::absolute(path).lexically_normal().lexically_relative(fs::absolute(dir).lexically_normal()).string();
}
std::string resolve(const std::string& stored, const std::string& dir) {
  return fs::path(stored).is_absolute() ? stored : (fs::path(dir) / stored).lexically_normal().string();
}

nlohmann::json end_json(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(); }
nlohmann::json interval_json(const ShiftInterval& i) { return {end_json(i.lower), end_json(i.upper)}; }

std::string text_of(const nlohmann::json& j, const char* key, const std::string& where) {
  if (!j.contains(key) || !j[key].is_string()) fail(where, key, "missing, or not a string");
  return stored_text(j[key].get<std::string>());
}

nlohmann::json to_json(const CandidateDecision& c, const std::string& out) {
  return {{"id", c.id},
          {"restriction", c.text},
          {"explored_shift", end_json(c.explored_shift)},
          {"space_file", relative_to(c.space_file, out)},
          {"sweep", relative_to(c.sweep_dir, out)},
          {"compare", relative_to(c.compare_dir, out)},
          {"adoption", to_string(c.adoption)},
          {"adopted", adopted(c.adoption)},
          {"shift", end_json(c.shift)},
          {"interval_different", interval_json(c.different)},
          {"interval_equivalence", interval_json(c.equivalence)},
          {"look", c.look},
          {"n", c.n},
          {"trained", c.trained},
          {"verdict", c.verdict}};
}

nlohmann::json to_json(const RefineStep& st, const std::string& out) {
  nlohmann::json cands = nlohmann::json::array();
  for (const auto& c : st.candidates) cands.push_back(to_json(c, out));
  return {{"step", st.step},
          {"explored", relative_to(st.explored, out)},
          {"explored_models", st.explored_models},
          {"parent_space", st.parent_space},
          {"parent_sweep", st.parent_sweep.empty() ? "" : relative_to(st.parent_sweep, out)},
          {"parent_trained", st.parent_trained},
          {"pair_alpha", st.pair_alpha},
          {"candidates", cands},
          {"adopted", st.adopted},
          {"refined_space", st.refined_space},
          {"refined_space_file", st.refined_space_file.empty() ? "" : relative_to(st.refined_space_file, out)},
          {"trainings", st.trainings}};
}

std::string interval_text(const ShiftInterval& i) {
  return fmt::format("[{}, {}]", fixed(i.lower, 2), fixed(i.upper, 2));
}

std::string step_text(const RefineStep& st) {
  std::string s =
      fmt::format("step {}: {} (explored {}, {} models): {} candidates against a fresh sample, alpha {} each\n",
                  st.step, one_line(st.parent_space), one_line(st.explored), st.explored_models, st.candidates.size(),
                  significant(st.pair_alpha, 3));
  for (const auto& c : st.candidates) {
    const std::string at = c.look > 0 ? fmt::format("look {} (n = {})", c.look, c.n) : "no look yet";
    const ShiftInterval& i = c.adoption == Adoption::equivalent ? c.equivalence : c.different;
    s += fmt::format("  {:<36} {:<10} shift {:>6} {:<16} {}, {} models: {}\n", one_line(c.id), to_string(c.adoption),
                     fixed(c.shift, 2), interval_text(i), at, c.trained, one_line(c.text));
  }
  if (!st.refined_space.empty())
    s += fmt::format("  adopted: {} -> {} ({})\n", st.adopted.empty() ? "nothing" : join(st.adopted, ", "),
                     one_line(st.refined_space), one_line(st.refined_space_file));
  s += fmt::format("  trainings: {}\n", st.trainings);
  return s;
}

}  // namespace

nlohmann::json to_json(const ExploredStep& x, const std::string& dir) {
  nlohmann::json cands = nlohmann::json::array();
  for (const auto& c : x.candidates)
    cands.push_back({{"id", c.id},
                     {"restriction", c.text},
                     {"explored_shift", end_json(c.explored_shift)},
                     {"space_file", relative_to(c.space_file, dir)}});
  return {{"format_version", kRefineFormatVersion},
          {"parent_space_file", relative_to(x.parent_file, dir)},
          {"candidates", cands},
          {"exploration", x.exploration}};
}

ExploredStep read_explored_step(const std::string& path) {
  const nlohmann::json j = read_json_file(path);
  const std::string dir = fs::path(path).parent_path().string();
  if (!j.is_object() || !j.contains("candidates") || !j["candidates"].is_array())
    fail(path, "candidates", "missing, or not an array");
  ExploredStep x;
  x.exploration = j.value("exploration", nlohmann::json::object());
  x.parent_file = resolve(text_of(j, "parent_space_file", path), dir);
  for (const auto& c : j["candidates"]) {
    if (!c.is_object()) fail(path, "candidates", excerpt(c) + " is not an object");
    const double shift = c.contains("explored_shift") && c["explored_shift"].is_number()
                             ? c["explored_shift"].get<double>()
                             : std::nan("");
    x.candidates.push_back(
        {text_of(c, "id", path), text_of(c, "restriction", path), shift, resolve(text_of(c, "space_file", path), dir)});
  }
  return x;
}

std::string refine_json_path(const std::string& refine_dir) { return refine_dir + "/refine.json"; }

nlohmann::json to_json(const ConfirmRequest& r) {
  return {{"sweep", fs::absolute(r.sweep).lexically_normal().string()},
          {"candidates", r.candidates},
          {"proposals", r.proposals},
          {"alpha", r.alpha},
          {"margin", r.margin},
          {"max_n", r.max_n},
          {"looks", r.looks},
          {"spending", r.spending},
          {"metric", r.metric},
          {"explore_n", r.explore_n},
          {"seed", r.seed},
          {"simulations", r.simulations},
          {"best", r.explore.proposals.best_fraction},
          {"bootstrap", r.explore.proposals.bootstrap},
          {"bootstrap_seed", r.explore.proposals.seed},
          {"draws", r.explore.parent_draws}};
}

void check_refine_dir(const std::string& dir, const ConfirmRequest& request) {
  const std::string path = refine_json_path(dir);
  if (fs::exists(path)) {
    const nlohmann::json stored = read_json_file(path).value("request", nlohmann::json::object());
    const nlohmann::json asked_request = to_json(request);
    for (const auto& [key, asked] : asked_request.items())
      if (!stored.contains(key) || stored[key] != asked)
        fail(path, "request." + key,
             fmt::format("{} (asked: {}): it holds another refinement; give another --out",
                         stored.contains(key) ? excerpt(stored[key]) : "missing", excerpt(asked)));
    return;
  }
  std::error_code ec;
  if (fs::exists(dir, ec) && !(fs::is_directory(dir, ec) && fs::is_empty(dir, ec)))
    fail(dir, "--out", "exists and holds no refinement (no refine.json): give a new or empty directory");
  create_parent_dirs(path, "--out");
}

nlohmann::json to_json(const Refinement& r) {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& st : r.steps) steps.push_back(to_json(st, r.out));
  return {{"format_version", kRefineFormatVersion},
          {"command", "refine"},
          {"tool_version", REGNET_VERSION},
          {"updated_unix", unix_seconds()},
          {"request", to_json(r.request)},
          {"status", r.status},
          {"trainings", r.trainings},
          {"paper_trainings", kPaperTrainingsPerStep * static_cast<int>(r.steps.size())},
          {"steps", steps}};
}

std::string to_text(const Refinement& r) {
  std::string s;
  for (const auto& st : r.steps) s += step_text(st);
  s += fmt::format("refine: {}: {} step{}, {} trainings (the paper's chain: {} per step); {}\n", r.status,
                   r.steps.size(), r.steps.size() == 1 ? "" : "s", r.trainings, kPaperTrainingsPerStep,
                   one_line(refine_json_path(r.out)));
  return s;
}

bool is_refine_dir(const std::string& dir) {
  std::error_code ec;
  return fs::is_regular_file(refine_json_path(dir), ec);
}

std::vector<std::string> refine_sweep_dirs(const std::string& refine_dir) {
  const std::string path = refine_json_path(refine_dir);
  const nlohmann::json j = read_json_file(path);
  std::vector<std::string> out;
  const auto array = [&](const nlohmann::json& v, const std::string& field) -> const nlohmann::json& {
    if (!v.is_object() || !v.contains(field) || !v[field].is_array()) fail(path, field, "missing, or not an array");
    return v[field];
  };
  for (const auto& step : array(j, "steps")) {
    const std::string parent = text_of(step, "parent_sweep", path);
    if (!parent.empty()) out.push_back(resolve(parent, refine_dir));
    for (const auto& c : array(step, "candidates")) out.push_back(resolve(text_of(c, "sweep", path), refine_dir));
  }
  return out;
}

std::vector<std::string> expand_refine_dirs(const std::vector<std::string>& dirs) {
  std::vector<std::string> out;
  for (const auto& d : dirs) {
    if (!is_refine_dir(d)) {
      out.push_back(d);
      continue;
    }
    for (auto& s : refine_sweep_dirs(d))
      if (fs::exists(sweep_json_path(s))) out.push_back(std::move(s));
  }
  return out;
}

}  // namespace regnet
