#include "core/report/report_dir.hpp"

#include <filesystem>
#include <fstream>

#include <unistd.h>

#include "core/base/error.hpp"

namespace fs = std::filesystem;

namespace regnet {

const char* const kReportMarker = "<meta name=\"generator\" content=\"regnet-explore analyze\">";

namespace {

fs::path absolute_path(const std::string& p) {
  std::error_code ec;
  fs::path a = fs::weakly_canonical(fs::absolute(p), ec);
  return ec ? fs::absolute(p).lexically_normal() : a;
}

// The sweep directory `out` is or lies inside, or "".
std::string enclosing_sweep(const fs::path& out, const std::vector<std::string>& sweep_dirs) {
  std::error_code ec;
  for (const auto& d : sweep_dirs) {
    const fs::path sweep = absolute_path(d);
    if (!fs::exists(sweep / "sweep.json", ec)) continue;  // not a sweep: reading it says so
    const auto rel = out.lexically_relative(sweep);
    if (!rel.empty() && *rel.begin() != "..") return d;
  }
  for (fs::path p = out; !p.empty(); p = p.parent_path()) {
    if (fs::exists(p / "sweep.json", ec)) return p.string();
    if (p == p.root_path()) break;
  }
  return "";
}

}  // namespace

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
  std::error_code ec;
  if (fs::exists(out, ec) && !fs::is_directory(out, ec)) fail(out, "--out", "exists and is not a directory");
  const std::string sweep = enclosing_sweep(absolute_path(out), sweep_dirs);
  if (!sweep.empty())
    fail(out, "--out", "is inside the sweep directory " + sweep + ": write the report outside it, e.g. --out report");
  if (force || !fs::exists(out, ec) || fs::is_empty(out, ec) || holds_report(out)) return;
  fail(out, "--out",
       "holds files but no report of analyze (no index.html written by it): choose another directory, or --force to "
       "write into it");
}

namespace {

// The entries of a report, in the order they are moved into place: the page last.
const char* const kReportEntries[] = {"figures", "models.csv", "summary.json", "index.html"};

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

void ReportStaging::commit() {
  const fs::path stage(dir_), out(out_), old = stage / ".old";
  std::error_code ec;
  fs::create_directory(old, ec);
  for (const char* name : kReportEntries) {
    if (fs::exists(out / name, ec)) rename_or_fail(out / name, old / name);
    if (fs::exists(stage / name, ec)) rename_or_fail(stage / name, out / name);
  }
  committed_ = true;  // the destructor removes the staging directory and the earlier report in it
}

std::string ReportStaging::as_out(const std::string& message) const {
  std::string m = message;
  for (size_t at; (at = m.find(dir_)) != std::string::npos;) m.replace(at, dir_.size(), out_);
  return m;
}

}  // namespace regnet
