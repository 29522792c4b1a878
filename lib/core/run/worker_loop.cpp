#include "core/run/worker_loop.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "core/base/clock.hpp"
#include "core/base/error.hpp"
#include "core/base/failpoint.hpp"
#include "core/base/json_io.hpp"
#include "core/sweep/sample_states.hpp"
#include "core/sweep/tidy.hpp"
#include "core/sweep/worker_status.hpp"

namespace fs = std::filesystem;

namespace regnet {

namespace {

// Touches the claim every heartbeat and notices when it is lost, on its own thread so a long
// training step cannot starve it.
class Heartbeat {
 public:
  Heartbeat(std::string dir, ClaimInfo me, double seconds)
      : dir_(std::move(dir)), me_(std::move(me)), period_(seconds), thread_([this] { run(); }) {}
  ~Heartbeat() { stop(); }
  void stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
  }
  bool lost() const { return lost_.load(); }

 private:
  void run() {
    std::unique_lock<std::mutex> lock(mu_);
    const auto period = std::chrono::duration<double>(std::max(0.05, period_));
    while (!cv_.wait_for(lock, period, [this] { return stopping_; })) {
      lock.unlock();
      bool ok = true;
      try {
        ok = refresh_claim(dir_, me_);
      } catch (const std::exception&) {
        // A transient filesystem error: try again next beat.
      }
      if (!ok) lost_ = true;
      lock.lock();
      if (lost_) break;
    }
  }
  std::string dir_;
  ClaimInfo me_;
  double period_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::atomic<bool> lost_{false};
  std::thread thread_;
};

// Appends one line with a single write() on O_APPEND: lines of concurrent workers never interleave.
// Returns 0 or the errno of the failure.
int append_line(const std::string& path, const std::string& line) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  int fd;
  do fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return errno;
  ssize_t n;
  do n = ::write(fd, line.data(), line.size());
  while (n < 0 && errno == EINTR);
  const int err = n < 0 ? errno : n < static_cast<ssize_t>(line.size()) ? ENOSPC : 0;
  ::close(fd);
  return err;
}

// The event log and the status files are advisory (for people, the display and tests): a
// failure to write them is a warning, once per process and file kind, and training goes on.
void warn_advisory(const char* what, const std::string& message) {
  static std::mutex mu;
  static std::set<std::string> warned;
  std::lock_guard<std::mutex> lock(mu);
  if (warned.insert(what).second) spdlog::warn("{} (the {} is advisory: training goes on)", message, what);
}

// Checks this process may write in `dir`, or create it (it is made when first needed, so that
// a run refused for another reason leaves no empty directories): a UserError naming it if not.
void check_writable_dir(const fs::path& dir) {
  std::error_code ec;
  const bool exists = fs::exists(dir, ec);
  if (exists && !fs::is_directory(dir, ec)) fail(dir.string(), "", "exists and is not a directory");
  const fs::path where = exists ? dir : dir.parent_path();
  if (::access(where.c_str(), W_OK | X_OK) != 0)
    fail(where.string(), "", std::string("cannot write here: ") + std::strerror(errno));
}

// A byte written and removed: a full disk shows before any model starts. Named like a claim's
// private file, so that tidy_claims removes it if this process dies in between.
void probe_space(const fs::path& claims_dir) {
  const std::string probe = (claims_dir / ("probe.new." + make_claim_info(0).token)).string();
  const int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  int err = fd < 0 ? errno : 0;
  if (fd >= 0) {
    if (::write(fd, "x", 1) != 1 || ::fsync(fd) != 0) err = errno;
    ::close(fd);
    ::unlink(probe.c_str());
  }
  if (err != 0) fail(claims_dir.string(), "", std::string("cannot write here: ") + std::strerror(err));
}

class Worker {
 public:
  Worker(const WorkerConfig& c, const TrainFunction& train) : c_(c), train_(train) {
    const auto& me = this_process();
    if (c_.name.empty()) c_.name = me.host + "-" + std::to_string(me.pid);
    status_.worker = c_.name;
    status_.host = me.host;
    status_.pid = me.pid;
  }

  ~Worker() {
    std::error_code ec;
    fs::remove(status_path(c_.sweep_dir, c_.name), ec);
  }

  WorkerSummary run() {
    const std::vector<int> ids = selected_ids();
    tidy_sweep(c_.sweep_dir, c_.claims);
    write_status("idle", true);
    while (!stopping() && !(c_.max_models > 0 && models_ >= c_.max_models)) {
      const SweepState state = observe_sweep(c_.sweep_dir, ids, c_.claims);
      const std::optional<ClaimInfo> mine = claim_next(state);
      if (stopping()) {
        if (mine) release_claim(c_.sweep_dir, *mine);
        break;
      }
      if (!mine) {
        // Others took what this look saw claimable (between the look and the claim): look again,
        // or the stale look would say that nothing is claimed and end the run before the sweep is.
        if (!state.claimable().empty()) continue;
        if (state.claimed.empty() || !c_.wait_for_others) break;  // all done (or others finish it)
        write_status("waiting", true);
        // Often enough to leave promptly when the others finish; claims are cheap to read.
        sleep_interruptibly(std::min(1.0, c_.claims.heartbeat_seconds));
        continue;
      }
      if (!train_one(*mine)) break;
    }
    summary_.interrupted = stopping();
    write_status("finished", true);
    tidy_sweep(c_.sweep_dir, c_.claims);  // what others killed meanwhile left behind
    return summary_;
  }

 private:
  bool stopping() const { return c_.should_stop && c_.should_stop(); }

  std::vector<int> selected_ids() {
    for (const auto& s : load_samples(c_.sweep_dir)) samples_[s.id] = s;
    std::vector<int> ids = c_.ids;
    if (ids.empty())
      for (const auto& [id, s] : samples_) ids.push_back(id);
    for (int id : ids)
      if (!samples_.count(id)) fail(c_.sweep_dir, "id", std::to_string(id) + " is not a sample of this sweep");
    return ids;
  }

  // The dataset is opened once, before the first claim, and only if there is something to train.
  void prepare_once() {
    if (prepared_) return;
    write_status("loading", true);
    if (c_.prepare) c_.prepare();
    check_sweep_writable(c_.sweep_dir);
    prepared_ = true;
  }

  // Claims the first claimable sample that still has no result.
  std::optional<ClaimInfo> claim_next(const SweepState& state) {
    const std::set<int> stale(state.stale.begin(), state.stale.end());
    for (int id : state.claimable()) {
      if (stopping()) break;
      prepare_once();
      ClaimInfo me = make_claim_info(id, c_.name);
      if (acquire_claim(c_.sweep_dir, me, c_.claims) != ClaimOutcome::claimed) continue;
      // It may have been finished and released between our look and our claim.
      if (fs::exists(result_path(c_.sweep_dir, id))) {
        release_claim(c_.sweep_dir, me);
        continue;
      }
      if (stale.count(id)) log("took_over", id, "its worker was gone");
      remove_sample_temporaries(c_.sweep_dir, id);  // of an owner killed mid-write
      return me;
    }
    return std::nullopt;
  }

  void sleep_interruptibly(double seconds) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
    while (!stopping() && std::chrono::steady_clock::now() < until)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  void log(const std::string& event, int id, const std::string& detail = "") {
    const nlohmann::json j{{"time", unix_seconds()}, {"worker", c_.name}, {"host", status_.host},
                           {"pid", status_.pid},     {"id", id},          {"event", event},
                           {"detail", detail}};
    const std::string path = events_log_path(c_.sweep_dir);
    if (const int err = append_line(path, json_text(j, -1) + "\n"))
      warn_advisory("event log", path + ": cannot append: " + std::strerror(err));
    if (c_.on_event) c_.on_event(WorkerEvent{event, id, detail});
  }

  void write_status(const std::string& state, bool force) {
    const double now = unix_seconds();
    if (!force && now - status_.updated < 1.0) return;  // at most once a second
    status_.state = state;
    status_.updated = now;
    const std::string path = status_path(c_.sweep_dir, c_.name);
    try {
      std::error_code ec;
      fs::create_directories(fs::path(path).parent_path(), ec);
      write_json_atomic(path, to_json(status_));
    } catch (const std::exception& e) {
      warn_advisory("status file", e.what());
    }
  }

  void show_progress(const ModelProgress& p) {
    status_.epoch = p.epoch;
    status_.epochs = p.epochs;
    status_.step = p.step;
    status_.steps = p.steps;
    status_.images_per_second = p.images_per_second;
    status_.model_eta_seconds = p.eta_seconds;
    write_status(p.evaluating ? "evaluating" : "training", false);
  }

  // The job for sample `id`; it stops when the run stops or the heartbeat finds the claim lost.
  TrainJob make_job(int id, const Heartbeat& heartbeat) {
    TrainJob job;
    job.checkpoint_path = checkpoint_path(c_.sweep_dir, id);
    job.weights_path = weights_path(c_.sweep_dir, id);
    job.should_stop = [this, &heartbeat] { return heartbeat.lost() || stopping(); };
    job.on_progress = [this](const ModelProgress& p) { show_progress(p); };
    status_.sample = id;
    status_.epoch = status_.epochs = 0;
    status_.step = status_.steps = 0;
    status_.images_per_second = 0;
    status_.model_eta_seconds = -1;
    return job;
  }

  // Trains the sample. A checkpoint the trainer cannot use (CheckpointRejected: unreadable, from
  // an old version, or written for another schedule or dataset) must not cost the sample: it is
  // discarded and the model starts over, once. Any other exception is this model's failure, or,
  // a UserError, applies to every sample: then the claim is released and the run stops.
  TrainResult attempt(const ClaimInfo& me, TrainJob& job, Heartbeat& heartbeat) {
    bool retried = false;
    for (;;) {
      std::error_code ec;
      job.resuming = fs::exists(job.checkpoint_path, ec);
      log(job.resuming ? "resumed" : "started", me.id);
      write_status("training", true);
      try {
        return train_(samples_.at(me.id), job);
      } catch (const std::exception& e) {
        if (dynamic_cast<const CheckpointRejected*>(&e) && job.resuming && !retried && !heartbeat.lost()) {
          log("checkpoint_discarded", me.id, e.what());
          fs::remove(job.checkpoint_path, ec);
          retried = true;
          continue;
        }
        // Failures after the claim was lost are the new owner's business (train_one discards).
        if (!dynamic_cast<const UserError*>(&e) || heartbeat.lost()) return failed_result(e.what());
        heartbeat.stop();
        stop_run(me, e.what());
        throw;  // the run stops with this one line
      }
    }
  }

  static TrainResult failed_result(const std::string& message) {
    TrainResult failed;
    failed.status = RunStatus::failed;
    failed.message = message;
    return failed;
  }

  // A problem for every sample: the sample stays pending (its checkpoint kept) for the next run.
  void stop_run(const ClaimInfo& me, const std::string& why) {
    log("error", me.id, why);
    release_claim(c_.sweep_dir, me);
  }

  // Returns false when the run must end (interrupted).
  bool train_one(const ClaimInfo& me) {
    const double started = unix_seconds();
    Heartbeat heartbeat(c_.sweep_dir, me, c_.claims.heartbeat_seconds);
    TrainJob job = make_job(me.id, heartbeat);
    TrainResult result = attempt(me, job, heartbeat);
    heartbeat.stop();
    status_.sample.reset();
    if (stopping()) {  // interrupted: keep the checkpoint, write nothing
      log("interrupted", me.id);
      release_claim(c_.sweep_dir, me);
      return false;
    }
    if (heartbeat.lost() || !owns_claim(c_.sweep_dir, me)) {
      // Judged dead by someone (e.g. a long pause on another host) who now trains it.
      log("lost", me.id, "the claim was taken over; result discarded");
      return true;
    }
    try {
      record(me, std::move(result), started, job);
    } catch (const UserError& e) {  // the result could not be written (a full disk): stop
      stop_run(me, e.what());
      throw;
    }
    return true;
  }

  // Writes the result (atomically) and its event, then removes the checkpoint and releases the
  // claim. A kill after the result leaves a checkpoint and a claim that tidy_sweep removes.
  void record(const ClaimInfo& me, TrainResult result, double started, const TrainJob& job) {
    result.id = me.id;
    if (!result.provenance.is_object()) result.provenance = nlohmann::json::object();
    nlohmann::json w = c_.provenance;
    w["name"] = c_.name;
    w["host"] = status_.host;
    w["pid"] = status_.pid;
    w["claimed"] = started;
    w["resumed"] = job.resuming;
    result.provenance["worker"] = w;
    if (result.seconds == 0) result.seconds = unix_seconds() - started;
    write_result(c_.sweep_dir, result);
    log(to_string(result.status), me.id, result.message);
    failpoint("result-written");
    std::error_code ec;
    fs::remove(job.checkpoint_path, ec);
    release_claim(c_.sweep_dir, me);
    const std::map<RunStatus, int*> counter{{RunStatus::done, &summary_.done},
                                            {RunStatus::diverged, &summary_.diverged},
                                            {RunStatus::failed, &summary_.failed}};
    ++*counter.at(result.status);
    summary_.trained.push_back(me.id);
    ++models_;
    ++status_.finished;
    write_status("idle", true);
  }

  WorkerConfig c_;
  const TrainFunction& train_;
  std::map<int, SampleRecord> samples_;
  WorkerStatus status_;
  WorkerSummary summary_;
  int models_ = 0;
  bool prepared_ = false;
};

}  // namespace

std::string events_log_path(const std::string& sweep_dir) {
  return (fs::path(sweep_dir) / "log" / "events.jsonl").string();
}

std::vector<nlohmann::json> read_events(const std::string& sweep_dir) {
  std::vector<nlohmann::json> out;
  const std::string path = events_log_path(sweep_dir);
  if (!fs::exists(path)) return out;
  const std::string text = read_text_file(path);
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    const std::string line = text.substr(pos, nl - pos);
    if (!line.empty()) {
      try {
        out.push_back(nlohmann::json::parse(line));
      } catch (const std::exception&) {
        // A line cut by a crash mid-write: skip it.
      }
    }
    pos = nl + 1;
  }
  return out;
}

void check_sweep_writable(const std::string& sweep_dir) {
  for (const char* sub : {"results", "claims", "checkpoints", "weights", "log", "status"})
    check_writable_dir(fs::path(sweep_dir) / sub);
  std::error_code ec;
  if (fs::is_directory(fs::path(sweep_dir) / "claims", ec)) probe_space(fs::path(sweep_dir) / "claims");
}

WorkerSummary run_worker(const WorkerConfig& config, const TrainFunction& train) {
  Worker w(config, train);
  return w.run();
}

}  // namespace regnet
