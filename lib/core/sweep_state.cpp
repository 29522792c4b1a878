#include "core/sweep_state.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/json_io.hpp"
#include "core/sweep.hpp"

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

double now_unix() {
  using namespace std::chrono;
  return duration<double>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

std::vector<int> parse_id_list(const std::string& text, int max_id, const std::string& where) {
  std::set<int> ids;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(pos, comma - pos);
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
    pos = comma + 1;
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

std::string to_string(SampleState s) {
  switch (s) {
    case SampleState::pending: return "pending";
    case SampleState::claimed: return "claimed";
    case SampleState::stale: return "stale";
    case SampleState::done: return "done";
  }
  return "pending";
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

double estimate_model_seconds(std::int64_t macs, int epochs, std::int64_t train_images, std::int64_t test_images,
                              int cores, const ThroughputAssumption& a) {
  const double flops_per_epoch = 6.0 * static_cast<double>(macs) * static_cast<double>(train_images) +
                                 2.0 * static_cast<double>(macs) * static_cast<double>(test_images);
  const double rate = a.flops_per_second_per_core * std::max(1, cores);
  return a.seconds_per_model + epochs * flops_per_epoch / rate;
}

double WorkerStatus::model_fraction() const {
  if (epochs <= 0 || epoch <= 0) return 0;
  const double within = steps > 0 ? static_cast<double>(step) / static_cast<double>(steps) : 0.0;
  return std::clamp((epoch - 1 + std::clamp(within, 0.0, 1.0)) / epochs, 0.0, 1.0);
}

nlohmann::json to_json(const WorkerStatus& s) {
  nlohmann::json j{{"worker", s.worker},
                   {"host", s.host},
                   {"pid", s.pid},
                   {"state", s.state},
                   {"sample", nullptr},
                   {"epoch", s.epoch},
                   {"epochs", s.epochs},
                   {"step", s.step},
                   {"steps", s.steps},
                   {"images_per_second", s.images_per_second},
                   {"model_eta_seconds", s.model_eta_seconds},
                   {"finished", s.finished},
                   {"updated", s.updated}};
  if (s.sample) j["sample"] = *s.sample;
  return j;
}

WorkerStatus worker_status_from_json(const nlohmann::json& j, const std::string& where) {
  WorkerStatus s;
  s.worker = get_string(j, "worker", where);
  s.host = get_string(j, "host", where, "");
  s.pid = get_int(j, "pid", where, 0);
  s.state = get_string(j, "state", where, "idle");
  if (j.contains("sample") && !j["sample"].is_null()) s.sample = get_int(j, "sample", where);
  s.epoch = get_int(j, "epoch", where, 0);
  s.epochs = get_int(j, "epochs", where, 0);
  if (j.contains("step")) s.step = j["step"].get<std::int64_t>();
  if (j.contains("steps")) s.steps = j["steps"].get<std::int64_t>();
  s.images_per_second = get_double(j, "images_per_second", where, 0.0);
  s.model_eta_seconds = get_double(j, "model_eta_seconds", where, -1.0);
  s.finished = get_int(j, "finished", where, 0);
  s.updated = get_double(j, "updated", where, 0.0);
  return s;
}

std::string status_path(const std::string& sweep_dir, const std::string& worker) {
  std::string name = worker;
  for (char& c : name)
    if (c == '/' || c == ' ') c = '_';
  return (fs::path(sweep_dir) / "status" / (name + ".json")).string();
}

std::vector<WorkerStatus> read_worker_statuses(const std::string& sweep_dir, double max_age_seconds) {
  std::vector<WorkerStatus> out;
  std::error_code ec;
  const double now = now_unix();
  for (const auto& e : fs::directory_iterator(fs::path(sweep_dir) / "status", ec)) {
    if (e.path().extension() != ".json") continue;
    try {
      auto s = worker_status_from_json(read_json_file(e.path().string()), e.path().string());
      if (s.host == this_process().host && s.pid > 0 && !process_start_time(s.pid)) {
        fs::remove(e.path(), ec);  // its worker died (kill -9) without removing it
        continue;
      }
      if (now - s.updated <= max_age_seconds) out.push_back(std::move(s));
    } catch (const std::exception&) {
      // Replaced while we read it, or foreign: skip this round.
    }
  }
  std::sort(out.begin(), out.end(), [](const WorkerStatus& a, const WorkerStatus& b) { return a.worker < b.worker; });
  return out;
}

void SweepEta::observe(double now, const std::set<int>& done, const std::vector<WorkerStatus>& in_flight) {
  if (!start_) {
    start_ = now;
    for (int id : done)
      if (macs_.count(id)) done_at_start_.insert(id);
  }
  double total = 0, finished = 0, work = 0, partial = 0;
  for (const auto& [id, m] : macs_) {
    total += static_cast<double>(m);
    if (!done.count(id)) continue;
    finished += static_cast<double>(m);
    if (done_at_start_.count(id)) continue;
    auto it = first_fraction_.find(id);
    work += static_cast<double>(m) * (1.0 - (it == first_fraction_.end() ? 0.0 : it->second));
  }
  for (const auto& s : in_flight) {
    if (!s.sample || done.count(*s.sample)) continue;
    auto m = macs_.find(*s.sample);
    if (m == macs_.end()) continue;
    const double f = s.model_fraction();
    auto [it, fresh] = first_fraction_.emplace(*s.sample, f);
    if (!fresh && f < it->second) it->second = f;  // restarted from an earlier checkpoint
    partial += static_cast<double>(m->second) * f;
    work += static_cast<double>(m->second) * (f - it->second);
  }
  const double remaining = std::max(0.0, total - finished - partial);
  remaining_ = total > 0 ? remaining / total : 0;
  const double elapsed = now - *start_;
  eta_ = remaining == 0 ? 0 : (work > 0 && elapsed > 0 ? remaining / (work / elapsed) : -1);
}

double SweepEta::remaining_fraction() const { return remaining_; }

}  // namespace regnet
