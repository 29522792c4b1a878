// Where analyze may write its report (report_dir.hpp), and the staging that never leaves half of one.
#include <catch2/catch.hpp>
#include <filesystem>

#include "core/base/error.hpp"
#include "core/base/json_io.hpp"
#include "core/report/report_dir.hpp"
#include "temp_dir.hpp"

using namespace regnet;
using regnet::test::TempDir;
namespace fs = std::filesystem;

namespace {

std::string report_page() { return std::string("<!DOCTYPE html>\n<head>\n") + kReportMarker + "\n</head>\n"; }

void check_refused(const std::string& out, const std::vector<std::string>& sweeps, const std::string& pattern,
                   bool force = false) {
  CHECK_THROWS_WITH(check_report_dir(out, sweeps, force), Catch::Contains(pattern));
}

}  // namespace

TEST_CASE("report_dir: empty, a file, a sweep or inside one, a foreign directory are refused", "[report_dir]") {
  TempDir t;
  fs::create_directories(t.path / "sweep/results");
  write_file_atomic(t / "sweep/sweep.json", "{}");
  write_file_atomic(t / "afile", "x");
  check_refused("", {}, "--out: is empty");
  check_refused(t / "afile", {}, "exists and is not a directory");
  check_refused(t / "sweep", {t / "sweep"}, "is inside the sweep directory");
  check_refused(t / "sweep/results", {t / "sweep"}, "is inside the sweep directory");
  // Not named on the command line, found by its sweep.json; and through a path with "..".
  check_refused(t / "sweep/results/report", {}, "is inside the sweep directory " + (t / "sweep"));
  check_refused((t.path / "other/../sweep/new").string(), {}, "is inside the sweep directory");

  fs::create_directories(t.path / "mine");
  write_file_atomic(t / "mine/index.html", "<html>my page</html>");
  check_refused(t / "mine", {}, "holds files but no report");
  // A page that only mentions the tool (no generator marker in its head) is someone else's.
  fs::create_directories(t.path / "lookalike");
  write_file_atomic(t / "lookalike/index.html", "<html><body><p class=\"meta\">regnet-explore 0.1.0 analyze</p>");
  CHECK(!holds_report(t / "lookalike"));
  check_refused(t / "lookalike", {}, "holds files but no report");
  CHECK_NOTHROW(check_report_dir(t / "mine", {}, true));
  CHECK_NOTHROW(check_report_dir(t / "new", {t / "sweep"}, false));
  fs::create_directories(t.path / "empty");
  CHECK_NOTHROW(check_report_dir(t / "empty", {}, false));
  fs::create_directories(t.path / "earlier");
  write_file_atomic(t / "earlier/index.html", report_page());
  CHECK(holds_report(t / "earlier"));
  CHECK_NOTHROW(check_report_dir(t / "earlier", {}, false));
}

TEST_CASE("report_dir: a committed staging replaces the earlier report, other files stay, figures/ too",
          "[report_dir]") {
  TempDir t;
  const std::string out = t / "rep";
  fs::create_directories(t.path / "rep/figures");
  write_file_atomic(t / "rep/index.html", "old page");
  write_file_atomic(t / "rep/figures/stale.png", "old");
  write_file_atomic(t / "rep/notes.txt", "mine");
  {
    ReportStaging s(out);
    CHECK(fs::path(s.dir()).parent_path() == fs::path(out));
    write_file_atomic(s.dir() + "/figures/edf.csv", "x\n1\n");
    write_file_atomic(s.dir() + "/index.html", "new page");
    CHECK(read_text_file(t / "rep/index.html") == "old page");  // nothing moved before commit
    s.commit();
  }
  CHECK(read_text_file(t / "rep/index.html") == "new page");
  CHECK(fs::exists(t / "rep/figures/edf.csv"));
  // The earlier report had no manifest: only its page, models.csv and summary.json were its own.
  CHECK(fs::exists(t / "rep/figures/stale.png"));
  CHECK(read_text_file(t / "rep/notes.txt") == "mine");
  CHECK(fs::exists(t / "rep/.regnet-files"));
  CHECK(std::distance(fs::directory_iterator(out), fs::directory_iterator()) == 4);  // no staging left
}

TEST_CASE("report_dir: an uncommitted staging leaves the earlier report, or no directory", "[report_dir]") {
  TempDir t;
  fs::create_directories(t.path / "rep");
  write_file_atomic(t / "rep/index.html", "old page");
  {
    ReportStaging s(t / "rep");
    write_file_atomic(s.dir() + "/index.html", "half");
    CHECK(s.as_out(s.dir() + "/figures/edf.csv: cannot write: No space left on device") ==
          (t / "rep") + "/figures/edf.csv: cannot write: No space left on device");
  }
  CHECK(read_text_file(t / "rep/index.html") == "old page");
  CHECK(std::distance(fs::directory_iterator(t / "rep"), fs::directory_iterator()) == 1);
  { ReportStaging s(t / "new/report"); }
  CHECK_FALSE(fs::exists(t / "new/report"));
}
