#include "core/sweep.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/json_io.hpp"

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

nlohmann::json to_json(const RegNetParams& p) {
  return nlohmann::json{{"depth", p.depth},       {"w0", p.w0},
                        {"wa", p.wa},             {"wm", p.wm},
                        {"group_width", p.group_width}, {"bottleneck_ratio", p.bottleneck_ratio},
                        {"se_ratio", p.se_ratio}, {"q", p.q}};
}

RegNetParams regnet_params_from_json(const nlohmann::json& j, const std::string& where) {
  RegNetParams p;
  p.depth = get_int(j, "depth", where);
  p.w0 = get_double(j, "w0", where);
  p.wa = get_double(j, "wa", where);
  p.wm = get_double(j, "wm", where);
  p.group_width = get_int(j, "group_width", where);
  p.bottleneck_ratio = get_double(j, "bottleneck_ratio", where, 1.0);
  p.se_ratio = get_double(j, "se_ratio", where, 0.0);
  p.q = get_int(j, "q", where, 8);
  return p;
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

TrainResult train_result_from_json(const nlohmann::json& j, const std::string& where) {
  TrainResult r;
  r.id = get_int(j, "id", where);
  r.status = run_status_from_string(get_string(j, "status", where), where);
  r.message = get_string(j, "message", where, "");
  // A diverged run may carry NaN errors, which JSON stores as null.
  auto num = [&](const char* f) {
    return j.contains(f) && j[f].is_number() ? j[f].get<double>() : std::numeric_limits<double>::quiet_NaN();
  };
  r.final_top1_err = num("final_top1_err");
  r.final_top5_err = num("final_top5_err");
  r.best_top1_err = num("best_top1_err");
  r.best_top5_err = num("best_top5_err");
  r.best_epoch = get_int(j, "best_epoch", where, 0);
  if (j.contains("history")) {
    for (const auto& e : j["history"]) {
      EpochRecord h;
      h.epoch = get_int(e, "epoch", where);
      auto en = [&](const char* f) {
        return e.contains(f) && e[f].is_number() ? e[f].get<double>() : std::numeric_limits<double>::quiet_NaN();
      };
      h.lr = en("lr");
      h.train_loss = en("train_loss");
      h.top1_err = en("top1_err");
      h.top5_err = en("top5_err");
      h.seconds = en("seconds");
      h.images_per_second = en("images_per_second");
      r.history.push_back(h);
    }
  }
  r.seconds = get_double(j, "seconds", where, 0.0);
  r.device = get_string(j, "device", where, "");
  if (j.contains("provenance")) r.provenance = j["provenance"];
  return r;
}

namespace {
std::string id_name(int id, const char* ext) { return fmt::format("{:06}{}", id, ext); }
}  // namespace

std::string sweep_json_path(const std::string& dir) { return (fs::path(dir) / "sweep.json").string(); }
std::string sample_path(const std::string& dir, int id) { return (fs::path(dir) / "samples" / id_name(id, ".json")).string(); }
std::string result_path(const std::string& dir, int id) { return (fs::path(dir) / "results" / id_name(id, ".json")).string(); }
std::string claim_path(const std::string& dir, int id) { return (fs::path(dir) / "claims" / id_name(id, ".json")).string(); }
std::string checkpoint_path(const std::string& dir, int id) {
  return (fs::path(dir) / "checkpoints" / id_name(id, ".pt")).string();
}
std::string weights_path(const std::string& dir, int id) {
  return (fs::path(dir) / "weights" / id_name(id, ".pt")).string();
}

namespace {

// A plain write into the private temporary directory of create_sweep: nothing can see these
// files until one syncfs() and the rename, so per-file fsyncs (500 of them: seconds) are not needed.
void write_plain(const std::string& path, const std::string& content) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "", std::string("cannot write: ") + std::strerror(errno));
  const char* p = content.data();
  size_t left = content.size();
  while (left > 0) {
    const ssize_t n = ::write(fd, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      fail(path, "", std::string("cannot write: ") + std::strerror(err));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0) fail(path, "", std::string("cannot write: ") + std::strerror(errno));
}

// Flushes the file system holding `dir` (syncfs), or just the directory (fsync) where that fails.
void sync_filesystem(const fs::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  if (::syncfs(fd) != 0) ::fsync(fd);
  ::close(fd);
}

}  // namespace

void require_new_sweep_dir(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) return;
  if (!fs::is_directory(dir, ec)) fail(dir, "", "exists and is not a directory");
  if (!fs::is_empty(dir, ec)) fail(dir, "", "already exists and is not empty (choose another --out, or remove it)");
}

void create_sweep(const std::string& dir, const nlohmann::json& sweep_json, const std::vector<SampleRecord>& samples) {
  std::error_code ec;
  fs::path target(dir);
  if (!target.has_filename()) target = target.parent_path();  // "sweeps/xa/" names "sweeps/xa"
  require_new_sweep_dir(dir);
  const fs::path parent = target.has_parent_path() ? target.parent_path() : fs::path(".");
  fs::create_directories(parent, ec);
  if (ec) fail(parent.string(), "", "cannot create directory: " + ec.message());
  const fs::path tmp = parent / (".tmp-" + target.filename().string() + "-" + std::to_string(::getpid()));
  fs::remove_all(tmp, ec);
  try {
    for (const char* sub : {"samples", "results", "claims", "checkpoints"}) {
      fs::create_directories(tmp / sub, ec);
      if (ec) fail(tmp.string(), "", "cannot create directory: " + ec.message());
    }
    write_plain((tmp / "sweep.json").string(), sweep_json.dump(2) + "\n");
    for (const auto& s : samples) write_plain(sample_path(tmp.string(), s.id), to_json(s).dump(2) + "\n");
    sync_filesystem(tmp);  // every file is on disk before the rename makes the sweep visible
    if (fs::exists(target)) fs::remove(target, ec);  // the empty directory checked above
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
  if (!fs::exists(path)) fail(dir, "", "not a sweep directory (no sweep.json)");
  nlohmann::json j = read_json_file(path);
  const int v = get_int(j, "format_version", path);
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
    fail(path, "id", std::to_string(id) + " differs from the file name (the file of sample " + std::to_string(id) +
                         " is " + id_name(id, ".json") + ")");
}
}  // namespace

SampleRecord load_sample(const std::string& dir, int id) {
  const std::string path = sample_path(dir, id);
  if (!fs::exists(path)) fail(dir, "id", std::to_string(id) + " is not a sample of this sweep");
  return sample_record_from_json(read_json_file(path), path);
}

std::vector<SampleRecord> load_samples(const std::string& dir) {
  read_sweep_json(dir);
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(fs::path(dir) / "samples"))
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
  if (!fs::exists(path)) return std::nullopt;
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
