#include "core/report/report_dir.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/base/output_path.hpp"

namespace fs = std::filesystem;

namespace regnet {

const char* const kReportMarker = "<meta name=\"generator\" content=\"regnet-explore analyze\">";

bool holds_report(const std::string& dir) {
  std::ifstream in(fs::path(dir) / "index.html", std::ios::binary);
  if (!in) return false;
  std::string head(8192, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<size_t>(in.gcount()));
  return head.find(kReportMarker) != std::string::npos;
}

void check_report_dir(const std::string& out, const std::vector<std::string>& sweep_dirs, bool force) {
  if (out.empty()) fail("", "--out", "is empty: name the report directory, e.g. --out report");
  (void)sweep_dirs;  // every sweep read is a sweep directory: check_output_dir's rule keeps out of each
  check_output_dir(out, "--out", true);  // not a file, not inside any sweep
  std::error_code ec;
  if (force || !fs::exists(out, ec) || fs::is_empty(out, ec) || holds_report(out)) return;
  fail(out, "--out",
       "holds files but no report of analyze (no index.html written by it): choose another directory, or --force to "
       "write into it");
}

namespace {

// What a report written before manifests always held (figures/ is left to the new report's names).
const char* const kUnlistedReport[] = {"models.csv", "summary.json", "index.html"};

// The files under `stage`, relative to it, but for `skip`; index.html last (the page makes it a report).
std::vector<std::string> staged_files(const fs::path& stage, const fs::path& skip) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(stage, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->path() == skip) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(it->path().lexically_relative(stage).string());
  }
  std::sort(files.begin(), files.end());
  std::stable_partition(files.begin(), files.end(), [](const std::string& f) { return f != "index.html"; });
  return files;
}

void rename_or_fail(const fs::path& from, const fs::path& to) {
  std::error_code ec;
  fs::rename(from, to, ec);
  if (ec) fail(to.string(), "", "cannot move the report into place: " + ec.message());
}

}  // namespace

ReportStaging::ReportStaging(const std::string& out_dir) : out_(out_dir) {
  std::error_code ec;
  created_out_ = !fs::exists(out_dir, ec);
  dir_ = (fs::path(out_dir) / (".partial-" + std::to_string(::getpid()))).string();
  fs::remove_all(dir_, ec);  // left by a killed run of the same pid
  fs::create_directories(fs::path(dir_) / "figures", ec);
  if (ec) {
    if (created_out_) fs::remove_all(out_dir, ec);
    fail(out_dir, "--out", "cannot create directory: " + ec.message());
  }
}

ReportStaging::~ReportStaging() {
  std::error_code ec;
  fs::remove_all(dir_, ec);
  if (!committed_ && created_out_ && fs::is_empty(out_, ec)) fs::remove(out_, ec);
}

// Only what the earlier report's manifest lists is removed: a user's files beside the report, in
// figures/ too, stay. The new manifest goes in before the page, so a report always has one.
void ReportStaging::commit() {
  const fs::path stage(dir_), out(out_), old = stage / ".old";
  std::error_code ec;
  std::vector<std::string> earlier = read_manifest(out_);
  if (earlier.empty() && holds_report(out_)) earlier.assign(std::begin(kUnlistedReport), std::end(kUnlistedReport));
  for (const auto& f : earlier) {
    if (!fs::is_regular_file(fs::symlink_status(out / f, ec))) continue;
    fs::create_directories((old / f).parent_path(), ec);
    rename_or_fail(out / f, old / f);
  }
  std::vector<std::string> files = staged_files(stage, old);
  files.insert(std::find(files.begin(), files.end(), "index.html"), kManifestName);
  write_file_atomic((stage / kManifestName).string(), manifest_text(files));
  for (const auto& f : files) {
    fs::create_directories((out / f).parent_path(), ec);
    rename_or_fail(stage / f, out / f);
  }
  committed_ = true;  // the destructor removes the staging directory and the earlier report in it
}

std::string ReportStaging::as_out(const std::string& message) const {
  std::string m = message;
  for (size_t at; (at = m.find(dir_)) != std::string::npos;) m.replace(at, dir_.size(), out_);
  return m;
}

}  // namespace regnet
