#pragma once
// Options shared by `train` and `launch` (which passes them on to `train` in each SLURM task):
// what data, which schedule, how many worker processes and threads, which devices, which ids.
#include <sched.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "core/error.hpp"
#include "core/schedule.hpp"
#include "core/space.hpp"
#include "core/sweep_state.hpp"

namespace regnet::cli {

struct TrainCliOptions {
  std::string data;       // "" = the sweep's preset dataset, else fashion-mnist
  std::string data_root;  // "" = the dataset's default directory
  std::string schedule;   // "" = <data>-short if configs/schedules has it, else fashion-mnist-short
  int jobs = 0;           // worker processes; 0 = one per listed device (1 for cpu/auto)
  int threads = 0;        // per worker; 0 = cores / jobs
  std::string devices = "auto";
  std::string ids;        // "" = every sample
  bool no_wait = false;
  double claim_timeout = 120;
  double heartbeat = 5;
};

inline void add_train_options(CLI::App* cmd, TrainCliOptions& o) {
  cmd->add_option("--data", o.data,
                  "dataset: fashion-mnist, mnist, cifar10, or a directory (IDX, CIFAR binary, ImageFolder); "
                  "default: the sweep's --preset dataset, else fashion-mnist");
  cmd->add_option("--data-root", o.data_root, "directory holding a named dataset's files (default: its usual place)");
  cmd->add_option("--schedule", o.schedule,
                  "training recipe: a name in configs/schedules (e.g. fashion-mnist-short) or a .json file; "
                  "default: DATA-short");
  cmd->add_option("--jobs,-j", o.jobs,
                  "worker processes (default 1, or one per --devices entry); each trains its own models");
  cmd->add_option("--threads", o.threads, "CPU threads per worker (default: cores / jobs)");
  cmd->add_option("--devices", o.devices, "cpu, auto, cuda, or a list such as cuda:0,cuda:1 (workers take turns)")
      ->capture_default_str();
  cmd->add_option("--ids", o.ids, "only these samples, e.g. 0-9,12 (default: all)");
  cmd->add_flag("--no-wait", o.no_wait,
                "return when the only samples left are held by other live workers, instead of waiting to take "
                "over any whose worker dies");
  cmd->add_option("--claim-timeout", o.claim_timeout,
                  "seconds without a heartbeat after which another machine's claim is stale")
      ->capture_default_str();
  cmd->add_option("--heartbeat", o.heartbeat, "seconds between a worker's claim heartbeats")
      ->capture_default_str()
      ->group("");  // for tests
}

// Cores this process may use: SLURM's allocation, else the CPU affinity mask.
inline int available_cores() {
  if (const char* s = std::getenv("SLURM_CPUS_PER_TASK")) {
    const int n = std::atoi(s);
    if (n > 0) return n;
  }
  cpu_set_t set;
  CPU_ZERO(&set);
  if (::sched_getaffinity(0, sizeof set, &set) == 0 && CPU_COUNT(&set) > 0) return CPU_COUNT(&set);
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

inline bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || (s.size() > 5 && s.substr(s.size() - 5) == ".json");
}

struct ResolvedTraining {
  std::string data_source;  // a name, or an absolute directory
  std::string data_root;    // absolute or empty
  std::string schedule_path;  // absolute
  Schedule schedule;
  std::vector<std::string> devices;
  int jobs = 1;
  int threads = 1;
  std::vector<int> ids;  // selected ids; empty = every sample
  ClaimPolicy claims;
};

inline std::string absolute(const std::string& p) { return std::filesystem::absolute(p).lexically_normal().string(); }

// The dataset the sweep was sampled for (sample --preset), if it names one.
inline std::string preset_dataset(const nlohmann::json& sweep_json) {
  const auto* p = &sweep_json;
  for (const char* k : {"request", "network_overrides", "preset"}) {
    if (!p->is_object() || !p->contains(k)) return "";
    p = &(*p)[k];
  }
  return p->is_string() ? p->get<std::string>() : "";
}

inline ResolvedTraining resolve_training(const TrainCliOptions& o, const std::string& sweep_dir,
                                         const nlohmann::json& sweep_json, int max_id) {
  namespace fs = std::filesystem;
  ResolvedTraining t;
  // Data.
  std::string data = o.data;
  if (data.empty()) {
    const std::string preset = preset_dataset(sweep_json);
    if (preset == "imagenet")
      fail(sweep_json_path(sweep_dir), "request.network_overrides.preset",
           "imagenet: give --data DIR (an ImageFolder with train/ and val/)");
    data = preset.empty() ? "fashion-mnist" : preset;
  }
  t.data_source = looks_like_path(data) || fs::is_directory(data) ? absolute(data) : data;
  if (!o.data_root.empty()) {
    if (!fs::is_directory(o.data_root)) fail("", "--data-root", "'" + o.data_root + "' is not a directory");
    t.data_root = absolute(o.data_root);
  }
  // Schedule.
  const std::string dir = (fs::path(config_dir()) / "schedules").string();
  std::string sched = o.schedule;
  if (sched.empty()) {
    const std::string base = fs::path(t.data_source).filename().string();
    sched = fs::exists(fs::path(dir) / (base + "-short.json")) ? base + "-short" : "fashion-mnist-short";
  }
  if (looks_like_path(sched)) {
    if (!fs::exists(sched)) fail("", "--schedule", "'" + sched + "': no such file");
    t.schedule_path = absolute(sched);
  } else {
    const fs::path p = fs::path(dir) / (sched + ".json");
    if (!fs::exists(p)) {
      std::string known;
      std::error_code ec;
      std::vector<std::string> names;
      for (const auto& e : fs::directory_iterator(dir, ec))
        if (e.path().extension() == ".json") names.push_back(e.path().stem().string());
      std::sort(names.begin(), names.end());
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      fail("", "--schedule",
           "'" + sched + "' is not a schedule in " + dir + " (known: " + (known.empty() ? "none" : known) +
               "); give a name or a .json file");
    }
    t.schedule_path = absolute(p.string());
  }
  t.schedule = load_schedule(t.schedule_path);
  // Devices, jobs, threads.
  std::string d = o.devices;
  for (size_t pos = 0; pos <= d.size();) {
    size_t comma = d.find(',', pos);
    if (comma == std::string::npos) comma = d.size();
    const std::string dev = d.substr(pos, comma - pos);
    const bool ok = dev == "cpu" || dev == "auto" || dev == "cuda" ||
                    (dev.rfind("cuda:", 0) == 0 && dev.size() > 5 &&
                     std::all_of(dev.begin() + 5, dev.end(), [](char c) { return c >= '0' && c <= '9'; }));
    if (!ok) fail("", "--devices", "'" + dev + "' is not cpu, auto, cuda or cuda:N");
    t.devices.push_back(dev);
    pos = comma + 1;
  }
  if (o.jobs < 0) fail("", "--jobs", std::to_string(o.jobs) + " must be >= 1");
  t.jobs = o.jobs > 0 ? o.jobs : std::max<int>(1, static_cast<int>(t.devices.size()));
  if (o.threads < 0) fail("", "--threads", std::to_string(o.threads) + " must be >= 1 (0 = cores / jobs)");
  t.threads = o.threads > 0 ? o.threads : std::max(1, available_cores() / t.jobs);
  // Ids and claims.
  if (!o.ids.empty()) t.ids = parse_id_list(o.ids, max_id, "--ids");
  if (!(o.claim_timeout > 0)) fail("", "--claim-timeout", std::to_string(o.claim_timeout) + " must be > 0");
  if (!(o.heartbeat > 0) || o.heartbeat * 3 > o.claim_timeout)
    fail("", "--heartbeat", std::to_string(o.heartbeat) + " must be > 0 and at most a third of --claim-timeout");
  t.claims.timeout_seconds = o.claim_timeout;
  t.claims.heartbeat_seconds = o.heartbeat;
  return t;
}

// The `train` arguments that reproduce `t` for one worker (child processes, SLURM tasks).
inline std::vector<std::string> worker_arguments(const std::string& sweep_dir, const ResolvedTraining& t,
                                                 const std::string& device, int threads, bool no_wait) {
  std::vector<std::string> a{"train",      absolute(sweep_dir), "--data",    t.data_source,
                             "--schedule", t.schedule_path,     "--devices", device};
  if (threads > 0) a.insert(a.end(), {"--threads", std::to_string(threads)});
  if (!t.data_root.empty()) a.insert(a.end(), {"--data-root", t.data_root});
  if (!t.ids.empty()) a.insert(a.end(), {"--ids", format_id_list(t.ids)});
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", t.claims.timeout_seconds);
  a.insert(a.end(), {"--claim-timeout", buf});
  std::snprintf(buf, sizeof buf, "%g", t.claims.heartbeat_seconds);
  a.insert(a.end(), {"--heartbeat", buf});
  if (no_wait) a.push_back("--no-wait");
  return a;
}

}  // namespace regnet::cli
