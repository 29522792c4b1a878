#include "core/run/training_plan.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/lists.hpp"
#include "core/base/output_path.hpp"
#include "core/base/text.hpp"
#include "core/base/threads.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

bool looks_like_path(const std::string& s) {
  return s.find('/') != std::string::npos || (s.size() > 5 && s.substr(s.size() - 5) == ".json");
}

std::string absolute(const std::string& p) { return fs::absolute(p).lexically_normal().string(); }

// What sweep.json's "train_defaults" says (an audit sweep's schedule and data), else "": paths,
// followed back to the bytes json_text escaped (a schedule file under a Latin-1 name).
std::string train_default(const nlohmann::json& sweep_json, const char* key) {
  const nlohmann::json d = sweep_json.value("train_defaults", nlohmann::json::object());
  return d.is_object() && d.contains(key) && d[key].is_string() ? stored_text(d[key].get<std::string>()) : "";
}

void resolve_data(const TrainingRequest& r, const nlohmann::json& sweep_json, TrainingPlan& t) {
  std::string data = r.data.empty() ? train_default(sweep_json, "data") : r.data;
  if (data.empty()) {
    const std::string preset = preset_dataset(sweep_json);
    if (preset == "imagenet")
      fail(sweep_json_path(r.sweep_dir), "request.network_overrides.preset",
           "imagenet: give --data DIR (an ImageFolder with train/ and val/)");
    data = preset.empty() ? "fashion-mnist" : preset;
  }
  t.data_source = looks_like_path(data) || fs::is_directory(path_status(data, "--data")) ? absolute(data) : data;
  if (!r.data_root.empty()) {
    if (!fs::is_directory(path_status(r.data_root, "--data-root")))
      fail("", "--data-root", "'" + r.data_root + "' is not a directory");
    t.data_root = absolute(r.data_root);
  }
}

// --schedule, else the sweep's train_defaults, else DATA-short when the schedules directory has
// it, else fashion-mnist-short.
void resolve_schedule(const TrainingRequest& r, const nlohmann::json& sweep_json, TrainingPlan& t) {
  std::string name = r.schedule.empty() ? train_default(sweep_json, "schedule") : r.schedule;
  if (name.empty()) {
    const std::string base = fs::path(t.data_source).filename().string();
    name = fs::exists(fs::path(schedules_dir()) / (base + "-short.json")) ? base + "-short" : "fashion-mnist-short";
  }
  t.schedule_path = find_schedule(name, "--schedule");
  t.schedule = load_schedule(t.schedule_path);
}

bool is_device(const std::string& d) {
  static const std::set<std::string> plain{"cpu", "auto", "cuda"};
  if (plain.count(d)) return true;
  return d.rfind("cuda:", 0) == 0 && d.size() > 5 &&
         std::all_of(d.begin() + 5, d.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::vector<std::string> parse_devices(const std::string& text) {
  const std::vector<std::string> out = split_list(text);
  for (const std::string& dev : out)
    if (!is_device(dev)) fail("", "--devices", "'" + dev + "' is not cpu, auto, cuda or cuda:N");
  return out;
}

void resolve_workers(const TrainingRequest& r, TrainingPlan& t) {
  t.devices = parse_devices(r.devices);
  if (r.jobs < 0 || r.jobs > kMaxJobs)
    fail("", "--jobs", std::to_string(r.jobs) + " must be in [1, " + std::to_string(kMaxJobs) + "]");
  t.jobs = r.jobs > 0 ? r.jobs : std::max<int>(1, static_cast<int>(t.devices.size()));
  if (r.threads < 0 || r.threads > kMaxThreads)
    fail("", "--threads",
         std::to_string(r.threads) + " must be in [0, " + std::to_string(kMaxThreads) + "] (0 = cores / jobs)");
  t.threads = r.threads > 0 ? r.threads : std::max(1, available_cores() / t.jobs);
}

// The heartbeat must beat several times within the timeout, or a slow beat reads as a death.
ClaimPolicy claim_policy(const TrainingRequest& r) {
  if (!(r.claim_timeout > 0)) fail("", "--claim-timeout", shortest(r.claim_timeout) + " must be > 0");
  if (!(r.heartbeat > 0) || r.heartbeat * 3 > r.claim_timeout)
    fail("", "--heartbeat", shortest(r.heartbeat) + " must be > 0 and at most a third of --claim-timeout");
  ClaimPolicy p;
  p.timeout_seconds = r.claim_timeout;
  p.heartbeat_seconds = r.heartbeat;
  return p;
}

// The samples --ids selects (all by default). One run trains at one image size: the dataset is
// opened once per process.
void select_samples(const TrainingRequest& r, std::vector<SampleRecord> all, TrainingPlan& t) {
  int max_id = 0;
  for (const auto& s : all) max_id = std::max(max_id, s.id);
  if (!r.ids.empty()) t.ids = parse_id_list(r.ids, max_id, "--ids");
  const std::set<int> want(t.ids.begin(), t.ids.end());
  for (auto& s : all)
    if (want.empty() || want.count(s.id)) t.selected.push_back(std::move(s));
  if (t.selected.empty()) fail("", "--ids", "'" + r.ids + "' selects no sample of " + r.sweep_dir);
  const SampleRecord& first = t.selected.front();
  for (const auto& s : t.selected)
    if (s.spec.input_size != first.spec.input_size)
      fail(sample_path(r.sweep_dir, s.id), "spec.input_size",
           std::to_string(s.spec.input_size) + " differs from sample " + std::to_string(first.id) + "'s " +
               std::to_string(first.spec.input_size) + ": train them in separate runs (--ids)");
}

// Every sample file sweep.json promises (ids 0..n-1) is there, and every result parses and
// names its own sample: a deleted sample or a garbage result is one line, not a silent skip.
void check_sweep_files(const std::string& dir, const nlohmann::json& sweep_json,
                       const std::vector<SampleRecord>& samples) {
  check_sample_files(dir, sweep_json, samples);
  for (int id : result_ids(dir)) {
    try {
      load_result(dir, id);
    } catch (const UserError& e) {
      throw UserError(std::string(e.what()) + " (delete it to train the sample again)");
    }
  }
}

}  // namespace

std::string preset_dataset(const nlohmann::json& sweep_json) {
  const auto* p = &sweep_json;
  for (const char* k : {"request", "network_overrides", "preset"}) {
    if (!p->is_object() || !p->contains(k)) return "";
    p = &(*p)[k];
  }
  return p->is_string() ? p->get<std::string>() : "";
}

TrainingPlan plan_training(const TrainingRequest& r) {
  TrainingPlan t;
  t.sweep_dir = r.sweep_dir;
  const nlohmann::json sweep_json = read_sweep_json(r.sweep_dir);
  std::vector<SampleRecord> samples = load_samples(r.sweep_dir);
  if (samples.empty()) fail(r.sweep_dir, "samples", "the sweep has no samples");
  check_sweep_files(r.sweep_dir, sweep_json, samples);
  resolve_data(r, sweep_json, t);
  resolve_schedule(r, sweep_json, t);
  resolve_workers(r, t);
  select_samples(r, std::move(samples), t);
  t.claims = claim_policy(r);
  t.wait_for_others = !r.no_wait;
  t.strict_data = r.strict_data;
  t.state = observe_sweep(r.sweep_dir, t.ids, t.claims);
  return t;
}

double estimate_model_seconds(std::int64_t macs, int epochs, std::int64_t train_images, std::int64_t test_images,
                              int cores, const ThroughputAssumption& a) {
  const double flops_per_epoch = 6.0 * static_cast<double>(macs) * static_cast<double>(train_images) +
                                 2.0 * static_cast<double>(macs) * static_cast<double>(test_images);
  const double rate = a.flops_per_second_per_core * std::max(1, cores);
  return a.seconds_per_model + epochs * flops_per_epoch / rate;
}

double estimate_worker_memory_mib(const TrainingPlan& t, const GpuMemoryAssumption& a) {
  double model_bytes = 0;
  for (const auto& r : t.selected)
    model_bytes = std::max(model_bytes,
                           a.bytes_per_param * static_cast<double>(r.complexity.params) +
                               a.bytes_per_activation * static_cast<double>(r.complexity.acts) * t.schedule.batch_size);
  return a.context_mib + a.allocator_slack * model_bytes / (1024.0 * 1024.0);
}

TrainingEstimate estimate_training(const TrainingPlan& t, std::int64_t train_images, std::int64_t test_images,
                                   const ThroughputAssumption& a) {
  const Schedule& s = t.schedule;
  TrainingEstimate e;
  e.train_images = s.train_limit > 0 ? std::min<std::int64_t>(s.train_limit, train_images) : train_images;
  e.test_images = s.test_limit > 0 ? std::min<std::int64_t>(s.test_limit, test_images) : test_images;
  e.to_train = t.state.claimable();
  std::map<int, std::int64_t> macs;
  for (const auto& r : t.selected) macs[r.id] = r.complexity.flops;
  double work = 0;  // seconds if one worker with t.threads cores trained everything
  for (int id : e.to_train)
    work += estimate_model_seconds(macs[id], s.epochs, e.train_images, e.test_images, t.threads, a);
  e.seconds = work / std::max(1, std::min<int>(t.jobs, static_cast<int>(e.to_train.size())));
  return e;
}

}  // namespace regnet
