#include "core/sweep/sample_states.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/error.hpp"
#include "core/base/lists.hpp"
#include "core/sweep/directory.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

// "000017.json" -> 17; anything else -> nullopt.
std::optional<int> id_of(const fs::path& p, const std::string& ext) {
  const std::string name = p.filename().string();
  if (name.size() != 6 + ext.size() || name.substr(6) != ext) return std::nullopt;
  if (!std::all_of(name.begin(), name.begin() + 6, [](char c) { return c >= '0' && c <= '9'; })) return std::nullopt;
  return std::stoi(name.substr(0, 6));
}

std::set<int> ids_in(const fs::path& dir, const std::string& ext) {
  std::set<int> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (auto id = id_of(e.path(), ext)) out.insert(*id);
  return out;
}

int parse_number(const std::string& s, const std::string& text, const std::string& where) {
  if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    fail("", where, "'" + text + "' is not a list of ids like 0-9,12");
  return std::stoi(s);
}

}  // namespace

std::vector<int> parse_id_list(const std::string& text, int max_id, const std::string& where) {
  std::set<int> ids;
  for (std::string item : split_list(text)) {
    item.erase(std::remove(item.begin(), item.end(), ' '), item.end());
    const size_t dash = item.find('-');
    int lo, hi;
    if (dash == std::string::npos) {
      lo = hi = parse_number(item, text, where);
    } else {
      lo = parse_number(item.substr(0, dash), text, where);
      hi = dash + 1 == item.size() ? max_id : parse_number(item.substr(dash + 1), text, where);
    }
    if (lo > hi) fail("", where, "'" + item + "' is an empty range");
    if (hi > max_id)
      fail("", where, std::to_string(hi) + " is not a sample of this sweep (ids are 0-" + std::to_string(max_id) + ")");
    for (int i = lo; i <= hi; ++i) ids.insert(i);
  }
  return {ids.begin(), ids.end()};
}

std::string format_id_list(const std::vector<int>& ids) {
  std::vector<int> v = ids;
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  std::string out;
  for (size_t i = 0; i < v.size();) {
    size_t j = i;
    while (j + 1 < v.size() && v[j + 1] == v[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(v[i]);
    if (j > i) out += (j == i + 1 ? "," : "-") + std::to_string(v[j]);
    i = j + 1;
  }
  return out;
}

std::vector<int> SweepState::claimable() const {
  std::vector<int> out = stale;
  out.insert(out.end(), pending.begin(), pending.end());
  return out;
}

SweepState classify(const std::vector<int>& ids, const std::set<int>& with_result,
                    const std::map<int, ClaimObservation::State>& claims) {
  SweepState s;
  std::vector<int> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (int id : sorted) {
    if (with_result.count(id)) {
      s.done.push_back(id);
      continue;
    }
    auto it = claims.find(id);
    const auto c = it == claims.end() ? ClaimObservation::State::none : it->second;
    if (c == ClaimObservation::State::live)
      s.claimed.push_back(id);
    else if (c == ClaimObservation::State::stale)
      s.stale.push_back(id);
    else
      s.pending.push_back(id);
  }
  return s;
}

std::set<int> result_ids(const std::string& sweep_dir) { return ids_in(fs::path(sweep_dir) / "results", ".json"); }

std::vector<int> sample_ids(const std::string& sweep_dir) {
  const auto s = ids_in(fs::path(sweep_dir) / "samples", ".json");
  return {s.begin(), s.end()};
}

SweepState observe_sweep(const std::string& sweep_dir, const std::vector<int>& ids, const ClaimPolicy& policy) {
  const std::vector<int> selected = ids.empty() ? sample_ids(sweep_dir) : ids;
  const std::set<int> done = result_ids(sweep_dir);
  std::map<int, ClaimObservation::State> claims;
  const std::set<int> selected_set(selected.begin(), selected.end());
  for (int id : ids_in(fs::path(sweep_dir) / "claims", ".json"))
    if (selected_set.count(id) && !done.count(id)) claims[id] = observe_claim(sweep_dir, id, policy).state;
  return classify(selected, done, claims);
}

}  // namespace regnet
