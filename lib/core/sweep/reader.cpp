#include "core/sweep/reader.hpp"

#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/stats/edf.hpp"
#include "core/sweep/directory.hpp"

namespace regnet {

namespace {

std::string dataset_name(const nlohmann::json& provenance) {
  if (!provenance.is_object() || !provenance.contains("dataset")) return "";
  const auto& d = provenance["dataset"];
  if (d.is_string()) return d.get<std::string>();
  if (d.is_object() && d.contains("name") && d["name"].is_string()) return d["name"].get<std::string>();
  return "";
}

// provenance.schedule's name, and the recipe without it (what makes two schedules the same).
std::pair<std::string, std::string> schedule_of(const nlohmann::json& provenance) {
  if (!provenance.is_object() || !provenance.contains("schedule") || !provenance["schedule"].is_object()) return {};
  nlohmann::json recipe = provenance["schedule"];
  const auto name = recipe.value("name", nlohmann::json("?"));
  recipe.erase("name");
  return {name.is_string() ? name.get<std::string>() : "?", json_text(recipe, -1)};
}

// The directory's last component: "sweeps/xa/" -> "xa".
std::string default_name(const std::string& dir) {
  std::filesystem::path p(dir);
  while (!p.empty() && p.filename().empty()) p = p.parent_path();
  std::string n = p.filename().string();
  return n.empty() || n == "." ? dir : n;
}

SampleRow row_of(const ModelPoint& point, const TrainResult& r, ErrorMetric metric) {
  SampleRow row{point, to_string(r.status)};
  row.model.error = error_of(r, metric);
  row.final_top1 = r.final_top1_err;
  row.best_top1 = r.best_top1_err;
  row.final_top5 = r.final_top5_err;
  row.best_top5 = r.best_top5_err;
  row.seconds = r.seconds;
  return row;
}

}  // namespace

SweepData load_sweep_data(const std::string& dir, const std::string& name, ErrorMetric metric) {
  SweepData s;
  s.name = name;
  s.dir = dir;
  s.sweep_json = read_sweep_json(dir);
  const auto samples = load_samples(dir);
  check_sample_files(dir, s.sweep_json, samples);
  const auto results = load_results(dir);
  check_results_match(dir, samples, results);
  std::map<int, const TrainResult*> by_id;
  for (const auto& r : results) by_id[r.id] = &r;
  std::set<std::string> datasets;
  std::map<std::string, std::string> schedules;  // recipe -> name
  s.counts.samples = static_cast<int>(samples.size());
  for (const auto& sample : samples) {
    const ModelPoint point{sample.id, NAN, sample.spec, sample.complexity, sample.regnet};
    auto it = by_id.find(sample.id);
    if (it == by_id.end()) {
      ++s.counts.missing;
      s.rows.push_back(SampleRow{point, "missing"});
      continue;
    }
    const TrainResult& r = *it->second;
    const std::string ds = dataset_name(r.provenance);
    if (!ds.empty()) datasets.insert(ds);
    if (const auto [name, recipe] = schedule_of(r.provenance); !recipe.empty()) schedules[recipe] = name;
    s.rows.push_back(row_of(point, r, metric));
    if (r.status == RunStatus::failed) {
      ++s.counts.failed;
    } else if (r.status == RunStatus::diverged || !std::isfinite(s.rows.back().model.error)) {
      ++s.counts.diverged;
    } else {
      ++s.counts.done;
      s.models.push_back(s.rows.back().model);
    }
  }
  s.dataset = join({datasets.begin(), datasets.end()}, "+");
  std::vector<std::string> names, recipes;
  for (const auto& [recipe, name] : schedules) names.push_back(name), recipes.push_back(recipe);
  s.schedule = join(names, "+");
  s.schedule_recipe = join(recipes, "\n");
  return s;
}

std::uint64_t sweep_identity(const SweepData& s) {
  std::string text = s.sweep_json.dump();
  for (const auto& m : s.models) text += "\x1f" + std::to_string(m.id) + ":" + shortest(m.error);
  return hash_text(text);
}

void check_distinct_sweeps(const std::vector<std::string>& dirs, const std::string& verb) {
  std::set<std::string> seen;
  for (const auto& d : dirs) {
    std::error_code ec;
    const std::filesystem::path a = std::filesystem::absolute(d, ec);
    const std::filesystem::path c = std::filesystem::weakly_canonical(a, ec);
    if (!seen.insert((ec ? a.lexically_normal() : c).string()).second)
      fail(d, "", "named twice: " + verb + " each sweep once");
  }
}

std::vector<std::string> legend_names(const std::vector<std::string>& dirs, const std::vector<std::string>& names) {
  if (!names.empty() && names.size() != dirs.size())
    fail("", "--names",
         std::to_string(names.size()) + " names for " + std::to_string(dirs.size()) +
             " sweeps (give one per sweep, comma-separated)");
  std::vector<std::string> out;
  std::set<std::string> used;
  for (const auto& n : names)
    if (terminal_text(n, false) != n)
      fail("", "--names", "'" + terminal_text(n, false) + "' holds a control character (names are shown in tables)");
  for (size_t i = 0; i < dirs.size(); ++i) {
    // A directory's name is shown as it is, but a control character in it only escaped.
    const std::string base = names.empty() ? terminal_text(default_name(dirs[i]), false) : names[i];
    std::string name = base;
    for (int k = 2; used.count(name); ++k) name = base + "-" + std::to_string(k);
    used.insert(name);
    out.push_back(name);
  }
  return out;
}

std::string read_line(const SweepData& s) {
  return "read " + s.name + " (" + s.dir + "): " + std::to_string(s.counts.samples) + " samples, " +
         std::to_string(s.counts.done) + " done, " + std::to_string(s.counts.diverged) + " diverged, " +
         std::to_string(s.counts.failed) + " failed, " + std::to_string(s.counts.missing) + " without a result";
}

}  // namespace regnet
