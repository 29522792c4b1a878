#include "core/sweep/directory.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <limits>
#include <map>
#include <set>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"
#include "core/base/text.hpp"

namespace fs = std::filesystem;

namespace regnet {

std::string to_string(RunStatus s) {
  switch (s) {
    case RunStatus::done: return "done";
    case RunStatus::diverged: return "diverged";
    case RunStatus::failed: return "failed";
  }
  return "failed";
}

RunStatus run_status_from_string(const std::string& s, const std::string& where) {
  if (s == "done") return RunStatus::done;
  if (s == "diverged") return RunStatus::diverged;
  if (s == "failed") return RunStatus::failed;
  fail(where, "status", "'" + shorten(s) + "' is not one of done, diverged, failed");
}

nlohmann::json to_json(const SampleRecord& r) {
  nlohmann::json j{{"id", r.id}, {"spec", to_json(r.spec)}, {"complexity", to_json(r.complexity)}, {"draw", r.draw}};
  j["block_widths"] = block_widths(r.spec);
  if (r.regnet) j["regnet"] = to_json(*r.regnet);
  return j;
}

SampleRecord sample_record_from_json(const nlohmann::json& j, const std::string& where) {
  SampleRecord r;
  r.id = get_int(j, "id", where);
  r.spec = spec_from_json(require(j, "spec", where), where);
  r.complexity = complexity_from_json(require(j, "complexity", where), where);
  if (j.contains("regnet")) r.regnet = regnet_params_from_json(j["regnet"], where);
  if (j.contains("draw")) r.draw = j["draw"];
  return r;
}

nlohmann::json to_json(const TrainResult& r) {
  nlohmann::json hist = nlohmann::json::array();
  for (const auto& e : r.history)
    hist.push_back({{"epoch", e.epoch},
                    {"lr", e.lr},
                    {"train_loss", e.train_loss},
                    {"top1_err", e.top1_err},
                    {"top5_err", e.top5_err},
                    {"seconds", e.seconds},
                    {"images_per_second", e.images_per_second}});
  return nlohmann::json{{"id", r.id},
                        {"status", to_string(r.status)},
                        {"message", r.message},
                        {"final_top1_err", r.final_top1_err},
                        {"final_top5_err", r.final_top5_err},
                        {"best_top1_err", r.best_top1_err},
                        {"best_top5_err", r.best_top5_err},
                        {"best_epoch", r.best_epoch},
                        {"history", hist},
                        {"seconds", r.seconds},
                        {"device", r.device},
                        {"provenance", r.provenance}};
}

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A number field that may be null (a diverged run's NaN, which JSON stores as null) or absent: NaN.
// Anything else must be a finite number, and an error a percentage in [0, 100].
double nullable(const nlohmann::json& j, const std::string& field, const std::string& path, const std::string& where,
                bool percent) {
  const auto it = j.find(field);
  if (it == j.end() || it->is_null()) return kNaN;
  const double x = as_double(*it, path, where);
  if (percent && !(x >= 0 && x <= 100)) fail(where, path, excerpt(*it) + " is not a percentage in [0, 100]");
  return x;
}

std::vector<EpochRecord> history_from_json(const nlohmann::json& h, const std::string& where) {
  if (!h.is_array()) fail(where, "history", excerpt(h) + " is not an array");
  std::vector<EpochRecord> out;
  for (size_t i = 0; i < h.size(); ++i) {
    const nlohmann::json& e = h[i];
    const std::string path = "history[" + std::to_string(i) + "]";
    if (!e.is_object()) fail(where, path, excerpt(e) + " is not an object");
    EpochRecord r;
    r.epoch = get_int(e, "epoch", where);
    if (r.epoch != static_cast<int>(i) + 1)
      fail(where, path + ".epoch",
           std::to_string(r.epoch) + " should be " + std::to_string(i + 1) + " (epochs count from 1)");
    r.lr = nullable(e, "lr", path + ".lr", where, false);
    r.train_loss = nullable(e, "train_loss", path + ".train_loss", where, false);
    r.top1_err = nullable(e, "top1_err", path + ".top1_err", where, true);
    r.top5_err = nullable(e, "top5_err", path + ".top5_err", where, true);
    r.seconds = nullable(e, "seconds", path + ".seconds", where, false);
    r.images_per_second = nullable(e, "images_per_second", path + ".images_per_second", where, false);
    out.push_back(r);
  }
  return out;
}

}  // namespace

// Values are checked as they are read: a wrong one would otherwise rank a model (docs/sweep-format.md).
TrainResult train_result_from_json(const nlohmann::json& j, const std::string& where) {
  TrainResult r;
  r.id = get_int(j, "id", where);
  r.status = run_status_from_string(get_string(j, "status", where), where);
  r.message = get_string(j, "message", where, "");
  auto error = [&](const char* f) { return nullable(j, f, f, where, true); };  // null: not ranked
  r.final_top1_err = error("final_top1_err");
  r.final_top5_err = error("final_top5_err");
  r.best_top1_err = error("best_top1_err");
  r.best_top5_err = error("best_top5_err");
  if (j.contains("history")) r.history = history_from_json(j["history"], where);
  r.best_epoch = get_int(j, "best_epoch", where, 0);
  const int epochs = static_cast<int>(r.history.size());
  if (r.best_epoch < 0 || (epochs > 0 && r.best_epoch > epochs))
    fail(where, "best_epoch",
         std::to_string(r.best_epoch) + " is not one of the " + std::to_string(epochs) + " epochs");
  r.seconds = get_double(j, "seconds", where, 0.0);
  if (r.seconds < 0) fail(where, "seconds", excerpt(j["seconds"]) + " must be >= 0");
  r.device = get_string(j, "device", where, "");
  if (j.contains("provenance")) r.provenance = j["provenance"];
  return r;
}

namespace {
std::string id_name(int id, const char* ext) { return fmt::format("{:06}{}", id, ext); }
}  // namespace

std::string sweep_json_path(const std::string& dir) { return (fs::path(dir) / "sweep.json").string(); }
std::string sample_path(const std::string& dir, int id) {
  return (fs::path(dir) / "samples" / id_name(id, ".json")).string();
}
std::string result_path(const std::string& dir, int id) {
  return (fs::path(dir) / "results" / id_name(id, ".json")).string();
}
std::string claim_path(const std::string& dir, int id) {
  return (fs::path(dir) / "claims" / id_name(id, ".json")).string();
}
std::string checkpoint_path(const std::string& dir, int id) {
  return (fs::path(dir) / "checkpoints" / id_name(id, ".pt")).string();
}
std::string weights_path(const std::string& dir, int id) {
  return (fs::path(dir) / "weights" / id_name(id, ".pt")).string();
}

namespace {

// A plain write into the private temporary directory of create_sweep: nothing can see these
// files until one syncfs() and the rename, so per-file fsyncs (500 of them: seconds) are not needed.
// Errors name `dir`, the user's sweep directory, not the hidden temporary one.
void write_plain(const std::string& path, const std::string& content, const std::string& dir) {
  auto cannot = [&dir](int err) { fail(dir, "", std::string("cannot write the new sweep: ") + std::strerror(err)); };
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) cannot(errno);
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      cannot(err);
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0) cannot(errno);
}

// Flushes the file system holding `dir` (syncfs), or just the directory (fsync) where that fails.
void sync_filesystem(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  if (::syncfs(fd) != 0) ::fsync(fd);
  ::close(fd);
}

fs::path sweep_target(const std::string& dir) {
  fs::path target(dir);
  if (!target.has_filename()) target = target.parent_path();  // "sweeps/xa/" names "sweeps/xa"
  return target;
}

}  // namespace

void require_new_sweep_dir(const std::string& dir) {
  if (dir.empty()) fail("", "--out", "is empty: give the new sweep directory");
  std::error_code ec;
  // create_sweep renames its new directory over DIR: a link would be replaced, not followed.
  if (fs::is_symlink(path_status(sweep_target(dir).string(), "--out", false)))
    fail(dir, "--out", "is a symbolic link; give the directory itself (or a new name)");
  check_output_parent(fs::path(dir).lexically_normal().string(), "--out");
  check_apart_from_inputs(dir, "--out");  // never inside another sweep
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) fail(dir, "", "exists and is not a directory");
  if (!fs::is_empty(dir, ec)) fail(dir, "", "already exists and is not empty (choose another --out, or remove it)");
}

namespace {

void write_sweep_files(const fs::path& tmp, const std::string& dir, const nlohmann::json& sweep_json,
                       const std::vector<SampleRecord>& samples) {
  std::error_code ec;
  for (const char* sub : {"samples", "results", "claims", "checkpoints"}) {
    fs::create_directories(tmp / sub, ec);
    if (ec) fail(dir, "", "cannot create the sweep directory: " + ec.message());
  }
  write_plain((tmp / "sweep.json").string(), json_text(sweep_json) + "\n", dir);
  for (const auto& s : samples) write_plain(sample_path(tmp.string(), s.id), json_text(to_json(s)) + "\n", dir);
}

}  // namespace

void create_sweep(const std::string& dir, const nlohmann::json& sweep_json, const std::vector<SampleRecord>& samples) {
  std::error_code ec;
  const fs::path target = sweep_target(dir);
  require_new_sweep_dir(dir);
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) fail(dir, "", "cannot create directory '" + parent.string() + "': " + ec.message());
  // DIR.tmp.PID, cut to fit NAME_MAX (255 bytes) whatever the length of DIR's own name.
  const fs::path tmp = fs::path(temporary_path(target.string()));
  fs::remove_all(tmp, ec);  // left by a crashed process that had this pid
  try {
    write_sweep_files(tmp, dir, sweep_json, samples);
    sync_filesystem(tmp);  // every file is on disk before the rename makes the sweep visible
    if (fs::exists(target, ec)) fs::remove(target, ec);  // the empty directory checked above
    fs::rename(tmp, target, ec);
    if (ec) fail(dir, "", "cannot move the new sweep into place: " + ec.message());
    sync_filesystem(parent);
  } catch (const UserError& e) {
    fs::remove_all(tmp, ec);
    std::string m = e.what();  // the sweep's own path, not the temporary directory's
    if (const size_t at = m.find(tmp.string()); at != std::string::npos)
      m.replace(at, tmp.string().size(), target.string());
    throw UserError(m + " (nothing was written)");
  } catch (...) {
    fs::remove_all(tmp, ec);
    throw;
  }
}

nlohmann::json read_sweep_json(const std::string& dir) {
  const std::string path = sweep_json_path(dir);
  path_status(dir);  // a link loop or a name over 255 bytes: one line naming DIR
  if (!fs::exists(path_status(path))) fail(dir, "", "not a sweep directory (no sweep.json)");
  nlohmann::json j = read_json_file(path);
  const int v = get_int(j, "format_version", path);
  if (j.contains("n")) {  // the sample-file check trusts it: a count, never a type or size it cannot hold
    const int n = get_int(j, "n", path);
    if (n < 0 || n > kMaxSweepSamples)
      fail(path, "n", std::to_string(n) + " must be in [0, " + std::to_string(kMaxSweepSamples) + "]");
  }
  if (v > kSweepFormatVersion)
    fail(path, "format_version",
         std::to_string(v) + " was written by a newer regnet-explore (this one reads up to " +
             std::to_string(kSweepFormatVersion) + "); upgrade");
  return j;
}

namespace {
// Samples and results are found by their file names: one that says another id would be skipped.
void check_named_by_id(const std::string& path, int id) {
  if (fs::path(path).filename() != id_name(id, ".json"))
    fail(path, "id",
         std::to_string(id) + " differs from the file name (the file of sample " + std::to_string(id) + " is " +
             id_name(id, ".json") + ")");
}
}  // namespace

void check_sample_files(const std::string& dir, const nlohmann::json& sweep_json,
                        const std::vector<SampleRecord>& samples) {
  if (sweep_json.contains("n")) {
    const int n = get_int(sweep_json, "n", sweep_json_path(dir));  // read_sweep_json checked its range
    std::set<int> have;
    for (const auto& s : samples) have.insert(s.id);
    std::vector<std::string> missing;
    for (int id = 0; id < n; ++id)
      if (!have.count(id)) missing.push_back(fs::path(sample_path(dir, id)).filename().string());
    if (!missing.empty()) {
      const size_t shown = std::min<size_t>(missing.size(), 5);
      fail((fs::path(dir) / "samples").string(), "",
           plural(static_cast<long long>(missing.size()), "sample file") + " missing (" +
               join(std::vector<std::string>(missing.begin(), missing.begin() + shown), ", ") +
               (shown < missing.size() ? ", ..." : "") + "): sweep.json says n = " + std::to_string(n));
    }
  }
}

void check_results_match(const std::string& dir, const std::vector<SampleRecord>& samples,
                         const std::vector<TrainResult>& results) {
  std::map<int, const SampleRecord*> by_id;
  for (const auto& s : samples) by_id[s.id] = &s;
  for (const auto& r : results) {
    const auto it = by_id.find(r.id);
    if (it == by_id.end())
      fail(result_path(dir, r.id), "id",
           std::to_string(r.id) + " has no sample (no " + id_name(r.id, ".json") +
               " in samples/): a result of another sweep? remove it or restore the sample");
    if (!r.provenance.is_object() || !r.provenance.contains("spec")) continue;
    if (r.provenance["spec"] != to_json(it->second->spec))
      fail(result_path(dir, r.id), "provenance.spec",
           "differs from the spec of " + sample_path(dir, r.id) +
               " (the result is of another model): remove the result to train the sample again");
  }
}

SampleRecord load_sample(const std::string& dir, int id) {
  const std::string path = sample_path(dir, id);
  if (!fs::exists(path_status(path))) fail(dir, "id", std::to_string(id) + " is not a sample of this sweep");
  return sample_record_from_json(read_json_file(path), path);
}

std::vector<SampleRecord> load_samples(const std::string& dir) {
  read_sweep_json(dir);
  const fs::path samples = fs::path(dir) / "samples";
  std::error_code ec;
  if (!fs::is_directory(samples, ec)) fail(dir, "samples", "missing: not a complete sweep directory (no samples/)");
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(samples, ec))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<SampleRecord> out;
  for (const auto& f : files) {
    out.push_back(sample_record_from_json(read_json_file(f), f));
    check_named_by_id(f, out.back().id);
  }
  return out;
}

std::optional<TrainResult> load_result(const std::string& dir, int id) {
  const std::string path = result_path(dir, id);
  if (!fs::exists(path_status(path))) return std::nullopt;
  TrainResult r = train_result_from_json(read_json_file(path), path);
  check_named_by_id(path, r.id);
  return r;
}

std::vector<TrainResult> load_results(const std::string& dir) {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "results", ec))
    if (e.path().extension() == ".json") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<TrainResult> out;
  for (const auto& f : files) {
    out.push_back(train_result_from_json(read_json_file(f), f));
    check_named_by_id(f, out.back().id);
  }
  return out;
}

void write_result(const std::string& dir, const TrainResult& r) {
  std::error_code ec;
  fs::create_directories(fs::path(dir) / "results", ec);
  write_json_atomic(result_path(dir, r.id), to_json(r), "result-write");
}

}  // namespace regnet
