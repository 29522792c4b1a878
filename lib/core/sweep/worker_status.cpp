#include "core/sweep/worker_status.hpp"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/base/clock.hpp"
#include "core/base/json_io.hpp"
#include "core/base/progress.hpp"
#include "core/sweep/claims.hpp"

namespace fs = std::filesystem;

namespace regnet {

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
  s.step = get_int64(j, "step", where, 0);
  s.steps = get_int64(j, "steps", where, 0);
  s.images_per_second = get_double(j, "images_per_second", where, 0.0);
  s.model_eta_seconds = get_double(j, "model_eta_seconds", where, -1.0);
  s.finished = get_int(j, "finished", where, 0);
  s.updated = get_double(j, "updated", where, 0.0);
  return s;
}

namespace {
// A worker or host name as part of a file name.
std::string file_safe(const std::string& name) {
  std::string out = name;
  for (char& c : out)
    if (c == '/' || c == ' ') c = '_';
  return out;
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// "HOST-123.json.tmp.123" (or "slurm-9-HOST-123.json.tmp.123"): a write by process 123 here.
bool is_dead_local_temporary(const std::string& name) {
  const size_t at = name.rfind(".json.tmp.");
  if (at == std::string::npos) return false;
  const std::string worker = name.substr(0, at), pid = name.substr(at + 10);
  if (pid.empty() || pid.size() > 9 || pid.find_first_not_of("0123456789") != std::string::npos) return false;
  const std::string mine = file_safe(this_process().host) + "-" + pid;
  return (worker == mine || ends_with(worker, "-" + mine)) && !process_start_time(std::stoi(pid));
}

bool is_dead_local_status(const fs::path& p) {
  try {
    const auto s = worker_status_from_json(read_json_file(p.string()), p.string());
    return s.host == this_process().host && s.pid > 0 && !process_start_time(s.pid);
  } catch (const std::exception&) {
    return false;  // replaced while we read it, or foreign
  }
}

}  // namespace

std::string status_path(const std::string& sweep_dir, const std::string& worker) {
  return (fs::path(sweep_dir) / "status" / (file_safe(worker) + ".json")).string();
}

int tidy_worker_statuses(const std::string& sweep_dir) {
  std::error_code ec;
  std::vector<fs::path> gone;
  for (const auto& e : fs::directory_iterator(fs::path(sweep_dir) / "status", ec)) {
    const std::string name = e.path().filename().string();
    if (is_dead_local_temporary(name) || (e.path().extension() == ".json" && is_dead_local_status(e.path())))
      gone.push_back(e.path());
  }
  int n = 0;
  for (const auto& p : gone) n += fs::remove(p, ec) ? 1 : 0;
  return n;
}

std::vector<WorkerStatus> read_worker_statuses(const std::string& sweep_dir, double max_age_seconds) {
  std::vector<WorkerStatus> out;
  std::error_code ec;
  const double now = unix_seconds();
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
  eta_ = eta_at_rate(work, remaining, elapsed);
}

double SweepEta::remaining_fraction() const { return remaining_; }

}  // namespace regnet
