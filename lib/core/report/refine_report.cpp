#include "core/report/refine_report.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <limits>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/text.hpp"
#include "core/compare/compare_state.hpp"
#include "core/refine/refine_record.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kPaperPerStep = 500;  // the paper's chain: 500 models per space

double num(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_number() ? j[key].get<double>() : kNaN;
}
std::string str(const nlohmann::json& j, const char* key) {
  return j.is_object() && j.contains(key) && j[key].is_string() ? stored_text(j[key].get<std::string>()) : "";
}
std::string cell(double v, int decimals) { return std::isfinite(v) ? fixed(v, decimals) : "-"; }
std::string interval_cell(const nlohmann::json& c, const char* key) {
  const nlohmann::json i = c.value(key, nlohmann::json());
  if (!i.is_array() || i.size() != 2) return "-";
  const auto end = [](const nlohmann::json& v) { return v.is_number() ? fixed(v.get<double>(), 2) : "-"; };
  return "[" + end(i[0]) + ", " + end(i[1]) + "]";
}

// What refine.json's fields hold, as the section reads them: else a UserError naming file and field.
enum class Kind { number, text, interval, list };
struct Field {
  const char* key;
  Kind kind;
};
constexpr Field kStepFields[] = {
    {"step", Kind::number},       {"explored", Kind::text},     {"explored_models", Kind::number},
    {"parent_space", Kind::text}, {"parent_sweep", Kind::text}, {"trainings", Kind::number},
    {"adopted", Kind::list},      {"refined_space", Kind::text}};
constexpr Field kExploredFields[] = {
    {"rank", Kind::number},   {"id", Kind::text},           {"restriction", Kind::text},
    {"models", Kind::number}, {"kept", Kind::number},       {"dof_removed", Kind::number},
    {"shift", Kind::number},  {"interval", Kind::interval}, {"outlook", Kind::text}};
constexpr Field kCandidateFields[] = {{"id", Kind::text},
                                      {"restriction", Kind::text},
                                      {"sweep", Kind::text},
                                      {"adoption", Kind::text},
                                      {"verdict", Kind::text},
                                      {"explored_shift", Kind::number},
                                      {"shift", Kind::number},
                                      {"interval_different", Kind::interval},
                                      {"interval_equivalence", Kind::interval},
                                      {"look", Kind::number},
                                      {"n", Kind::number},
                                      {"trained", Kind::number}};

bool of_kind(const nlohmann::json& v, Kind k) {
  const auto number = [](const nlohmann::json& x) { return x.is_null() || x.is_number(); };
  switch (k) {
    case Kind::number: return number(v);
    case Kind::text: return v.is_string();
    case Kind::interval: return v.is_null() || (v.is_array() && v.size() == 2 && number(v[0]) && number(v[1]));
    case Kind::list:
      return v.is_array() && std::all_of(v.begin(), v.end(), [](const nlohmann::json& x) { return x.is_string(); });
  }
  return false;
}

template <size_t N>
void check_fields(const nlohmann::json& j, const Field (&fields)[N], const std::string& where,
                  const std::string& path) {
  if (!j.is_object()) fail(where, path, excerpt(j) + " is not an object");
  for (const auto& f : fields)
    if (j.contains(f.key) && !of_kind(j.at(f.key), f.kind))
      fail(where, path + "." + f.key, excerpt(j.at(f.key)) + " is not what refine writes there");
}

const nlohmann::json& array_at(const nlohmann::json& j, const char* key, const std::string& where,
                               const std::string& path) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (!j.contains(key)) return kEmpty;
  if (!j.at(key).is_array()) fail(where, path + key, excerpt(j.at(key)) + " is not an array");
  return j.at(key);
}

void check_refine_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object()) fail(where, "", "is not a JSON object");
  const auto& steps = array_at(j, "steps", where, "");
  for (size_t s = 0; s < steps.size(); ++s) {
    const std::string at = fmt::format("steps[{}]", s);
    check_fields(steps[s], kStepFields, where, at);
    const auto& cands = array_at(steps[s], "candidates", where, at + ".");
    for (size_t c = 0; c < cands.size(); ++c)
      check_fields(cands[c], kCandidateFields, where, fmt::format("{}.candidates[{}]", at, c));
  }
}

// Each step's exploration table (STEP_DIR/exploration.json's "exploration"), null where absent.
std::vector<nlohmann::json> read_explorations(const std::string& dir, const nlohmann::json& j) {
  std::vector<nlohmann::json> out;
  for (const auto& step : j.value("steps", nlohmann::json::array())) {
    const std::string path = fmt::format("{}/step-{}/exploration.json", dir, cell(num(step, "step"), 0));
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      out.emplace_back();
      continue;
    }
    nlohmann::json e = read_json_file(path).value("exploration", nlohmann::json::object());
    const auto& rows = array_at(e, "candidates", path, "exploration.");
    for (size_t i = 0; i < rows.size(); ++i)
      check_fields(rows[i], kExploredFields, path, fmt::format("exploration.candidates[{}]", i));
    out.push_back(std::move(e));
  }
  return out;
}

std::string normal(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

// The analyzed sweep at `dir` (a path of refine.json, relative to the refine directory), or -1.
int sweep_index(const Analysis& a, const std::string& refine_dir, const std::string& dir) {
  if (dir.empty()) return -1;
  const std::string want = normal((fs::path(refine_dir) / dir).string());
  for (size_t i = 0; i < a.sweeps.size(); ++i)
    if (normal(a.sweeps[i].dir) == want) return static_cast<int>(i);
  return -1;
}

// The EDFs of the analyzed sweeps `indices` (-1: not analyzed, left out), each in its report color.
Figure edf_figure(const Analysis& a, const std::vector<int>& indices, const std::vector<std::string>& legends) {
  Figure f;
  f.xlabel = "error (%)";
  f.ylabel = "cumulative prob.";
  f.yrange = std::make_pair(0.0, 1.0);
  f.key = "below";  // long legends, one per candidate: under the plot, not over the curves
  for (size_t k = 0; k < indices.size(); ++k) {
    if (indices[k] < 0) continue;
    const SweepAnalysis& s = a.sweeps[static_cast<size_t>(indices[k])];
    if (s.edf.x.empty()) continue;
    const std::string id = "s" + std::to_string(k);
    Column x{id + "_error", {s.edf.x.front()}}, y{id + "_F", {0.0}};
    x.values.insert(x.values.end(), s.edf.x.begin(), s.edf.x.end());
    y.values.insert(y.values.end(), s.edf.y.begin(), s.edf.y.end());
    f.layers.push_back(
        {legends[k] + " (" + std::to_string(s.error.n) + ")", LayerStyle::steps, {x.name, y.name}, indices[k], 2.5});
    f.columns.push_back(std::move(x));
    f.columns.push_back(std::move(y));
  }
  return f;
}

Figure step_figure(const Analysis& a, const RefineRecord& r, size_t k, const nlohmann::json& step) {
  std::vector<int> idx{sweep_index(a, r.dir, str(step, "parent_sweep"))};
  std::vector<std::string> legends{str(step, "parent_space")};
  for (const auto& c : step.value("candidates", nlohmann::json::array())) {
    idx.push_back(sweep_index(a, r.dir, str(c, "sweep")));
    legends.push_back(str(c, "id") + ": " + str(c, "adoption"));
  }
  Figure f = edf_figure(a, idx, legends);
  const int s = static_cast<int>(num(step, "step"));
  f.name = fmt::format("refine_{}_{}", k + 1, s);
  f.title = fmt::format("Refine step {}: {} and its candidates", s, str(step, "parent_space"));
  f.caption =
      "Error EDFs of the fresh sample of the step's space and of each candidate's child space, as far as "
      "each comparison trained them (legend: the candidate, its verdict, the models in parentheses).";
  return f;
}

Figure chain_figure(const Analysis& a, const RefineRecord& r, size_t k) {
  std::vector<int> idx;
  std::vector<std::string> legends;
  for (const auto& step : r.json.value("steps", nlohmann::json::array())) {
    idx.push_back(sweep_index(a, r.dir, str(step, "parent_sweep")));
    legends.push_back(str(step, "parent_space"));
  }
  Figure f = edf_figure(a, idx, legends);
  f.name = fmt::format("refine_{}_chain", k + 1);
  f.title = "The chain of spaces";
  f.caption =
      "Error EDFs of each step's fresh sample of its space, in the order the refinement went (as the "
      "paper's figures show AnyNetXA to XE). The last refined space is sampled by no step.";
  return f;
}

HtmlTable chain_table(const nlohmann::json& j) {
  HtmlTable t;
  t.rows.push_back({th("step"), th("space", "l"), th("explored", "l"), th("models explored"), th("candidates"),
                    th("adopted", "l"), th("refined space", "l"), th("trainings"), th("the paper's")});
  for (const auto& step : j.value("steps", nlohmann::json::array())) {
    std::vector<std::string> adopted;
    for (const auto& id : step.value("adopted", nlohmann::json::array())) adopted.push_back(id.get<std::string>());
    t.rows.push_back({td(cell(num(step, "step"), 0)), td(html_escape(str(step, "parent_space")), "l"),
                      td(html_escape(str(step, "explored")), "l"), td(cell(num(step, "explored_models"), 0)),
                      td(std::to_string(step.value("candidates", nlohmann::json::array()).size())),
                      td(html_escape(adopted.empty() ? "-" : join(adopted, ", ")), "l"),
                      td(html_escape(str(step, "refined_space")), "l"), td(cell(num(step, "trainings"), 0)),
                      td(std::to_string(kPaperPerStep))});
  }
  return t;
}

// The exploration's ranked proposals, those the step confirmed marked.
HtmlTable exploration_table(const nlohmann::json& e, const nlohmann::json& step) {
  std::vector<std::string> confirmed;
  for (const auto& c : step.value("candidates", nlohmann::json::array())) confirmed.push_back(str(c, "id"));
  HtmlTable t;
  t.rows.push_back({th("rank"), th("proposal", "l"), th("restriction", "l"), th("models"), th("kept"), th("dof"),
                    th("shift"), th("interval (95%)"), th("outlook", "l"), th("confirmed", "l")});
  for (const auto& r : e.value("candidates", nlohmann::json::array())) {
    const bool chosen = std::find(confirmed.begin(), confirmed.end(), str(r, "id")) != confirmed.end();
    t.rows.push_back({td(cell(num(r, "rank"), 0)), td(html_escape(str(r, "id")), "l"),
                      td(html_escape(str(r, "restriction")), "l"), td(cell(num(r, "models"), 0)),
                      td(cell(100 * num(r, "kept"), 1) + "%"), td(cell(num(r, "dof_removed"), 0)),
                      td(cell(num(r, "shift"), 2)), td(interval_cell(r, "interval")),
                      td(html_escape(str(r, "outlook")), "l"), td(chosen ? "yes" : "", "l")});
  }
  return t;
}

HtmlTable candidates_table(const nlohmann::json& step) {
  HtmlTable t;
  t.rows.push_back({th("candidate", "l"), th("restriction", "l"), th("explored shift"), th("verdict", "l"), th("shift"),
                    th("interval (different)"), th("interval (equivalence)"), th("look (n)"), th("models")});
  for (const auto& c : step.value("candidates", nlohmann::json::array()))
    t.rows.push_back({td(html_escape(str(c, "id")), "l"), td(html_escape(str(c, "restriction")), "l"),
                      td(cell(num(c, "explored_shift"), 2)), td(html_escape(str(c, "adoption")), "l"),
                      td(cell(num(c, "shift"), 2)), td(interval_cell(c, "interval_different")),
                      td(interval_cell(c, "interval_equivalence")),
                      td(cell(num(c, "look"), 0) + " (" + cell(num(c, "n"), 0) + ")"), td(cell(num(c, "trained"), 0))});
  return t;
}

}  // namespace

std::vector<RefineRecord> read_refine_records(const std::vector<std::string>& dirs) {
  std::vector<RefineRecord> out;
  for (const auto& d : dirs)
    if (is_refine_dir(d)) {
      out.push_back({d, read_json_file(refine_json_path(d)), {}});
      check_refine_json(out.back().json, refine_json_path(d));
      out.back().explorations = read_explorations(d, out.back().json);
    }
  return out;
}

std::vector<std::string> expand_analysis_inputs(const std::vector<std::string>& dirs) {
  return expand_compare_dirs(expand_refine_dirs(dirs));
}

std::vector<Figure> refine_figures(const Analysis& a) {
  std::vector<Figure> figs;
  for (size_t k = 0; k < a.refines.size(); ++k) {
    const auto& steps = a.refines[k].json.value("steps", nlohmann::json::array());
    for (const auto& step : steps) figs.push_back(step_figure(a, a.refines[k], k, step));
    if (steps.size() >= 2) figs.push_back(chain_figure(a, a.refines[k], k));
  }
  return figs;
}

void refine_section(HtmlPage& page, const Analysis& a,
                    const std::function<std::string(const std::string&)>& figure_html) {
  for (size_t k = 0; k < a.refines.size(); ++k) {
    const nlohmann::json& j = a.refines[k].json;
    const auto& steps = j.value("steps", nlohmann::json::array());
    const nlohmann::json req = j.value("request", nlohmann::json::object());
    page.subheading(html_escape(a.refines[k].dir) + " <span class=\"meta\">refine.json</span>");
    page.meta(html_escape(fmt::format(
        "status {}: {} step{}, {} trainings (the paper's chain: {} per step, {} for these steps); {} candidates "
        "per step at alpha {} over them, margin {} error points",
        str(j, "status"), steps.size(), steps.size() == 1 ? "" : "s", cell(num(j, "trainings"), 0), kPaperPerStep,
        kPaperPerStep * static_cast<int>(steps.size()), cell(num(req, "candidates"), 0), cell(num(req, "alpha"), 3),
        cell(num(req, "margin"), 2))));
    page.table(chain_table(j));
    if (steps.size() >= 2) page.grid({figure_html(fmt::format("refine_{}_chain", k + 1))});
    for (size_t i = 0; i < steps.size(); ++i) {
      const nlohmann::json& step = steps[i];
      const int s = static_cast<int>(num(step, "step"));
      page.subheading(fmt::format("Step {}: {}", s, html_escape(str(step, "parent_space"))));
      page.grid({figure_html(fmt::format("refine_{}_{}", k + 1, s))});
      page.table(candidates_table(step));
      std::string verdicts = "<ul>\n";
      for (const auto& c : step.value("candidates", nlohmann::json::array()))
        verdicts += "<li>" + html_escape(str(c, "verdict")) + "</li>\n";
      page.raw(verdicts + "</ul>\n");
      const auto& e = a.refines[k].explorations;
      if (i < e.size() && e[i].is_object()) {
        page.raw(fmt::format("<details><summary>The exploration of {} ({} models): every proposal, ranked</summary>\n",
                             html_escape(str(e[i], "sweep")), cell(num(e[i], "models"), 0)));
        page.table(exploration_table(e[i], step));
        page.raw("</details>\n");
      }
    }
  }
}

}  // namespace regnet
