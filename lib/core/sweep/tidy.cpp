#include "core/sweep/tidy.hpp"

#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "core/sweep/directory.hpp"
#include "core/sweep/sample_states.hpp"
#include "core/sweep/worker_status.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

const char* const kSampleDirs[] = {"results", "checkpoints", "weights"};

// "000017.pt..." -> 17.
std::optional<int> leading_id(const std::string& name) {
  if (name.size() < 7 || name[6] != '.') return std::nullopt;
  for (int k = 0; k < 6; ++k)
    if (name[k] < '0' || name[k] > '9') return std::nullopt;
  return std::stoi(name.substr(0, 6));
}

// "000017.pt.tmp.123" -> 17: a temporary file of an atomic write for sample 17.
std::optional<int> temporary_of(const std::string& name) {
  return name.find(".tmp.") == std::string::npos ? std::nullopt : leading_id(name);
}

// Temporary files by sample id.
std::map<int, std::vector<fs::path>> sample_temporaries(const std::string& sweep_dir) {
  std::map<int, std::vector<fs::path>> out;
  std::error_code ec;
  for (const char* sub : kSampleDirs)
    for (const auto& e : fs::directory_iterator(fs::path(sweep_dir) / sub, ec))
      if (auto id = temporary_of(e.path().filename().string())) out[*id].push_back(e.path());
  return out;
}

int remove_all_of(const std::vector<fs::path>& paths) {
  int n = 0;
  std::error_code ec;
  for (const auto& p : paths) n += fs::remove(p, ec) ? 1 : 0;
  return n;
}

bool held_by_live_worker(const std::string& sweep_dir, int id, const ClaimPolicy& policy) {
  return observe_claim(sweep_dir, id, policy).state == ClaimObservation::State::live;
}

}  // namespace

int remove_sample_temporaries(const std::string& sweep_dir, int id) {
  const auto all = sample_temporaries(sweep_dir);
  const auto it = all.find(id);
  return it == all.end() ? 0 : remove_all_of(it->second);
}

TidyCount tidy_sweep(const std::string& sweep_dir, const ClaimPolicy& policy) {
  TidyCount n;
  n.claims = tidy_claims(sweep_dir, policy);
  const std::set<int> done = result_ids(sweep_dir);
  std::error_code ec;
  for (const auto& [id, paths] : sample_temporaries(sweep_dir))
    if (!held_by_live_worker(sweep_dir, id, policy)) n.temporaries += remove_all_of(paths);
  std::vector<int> done_checkpoints;
  for (const auto& e : fs::directory_iterator(fs::path(sweep_dir) / "checkpoints", ec)) {
    const std::string name = e.path().filename().string();
    const auto id = leading_id(name);
    if (id && name.substr(6) == ".pt" && done.count(*id)) done_checkpoints.push_back(*id);
  }
  for (int id : done_checkpoints)
    if (!held_by_live_worker(sweep_dir, id, policy)) n.checkpoints += fs::remove(checkpoint_path(sweep_dir, id), ec);
  n.statuses = tidy_worker_statuses(sweep_dir);
  return n;
}

}  // namespace regnet
