#pragma once
// Where `analyze --out DIR` may write its report, checked before any sweep is read: never into a
// sweep (its results/ and samples/ are the data), never over files that are not an earlier
// report unless forced. An earlier report (its index.html carries kReportMarker) is replaced.
#include <string>
#include <vector>

namespace regnet {

// The line in every report's <head> that marks the directory as one analyze wrote.
extern const char* const kReportMarker;

// Whether DIR/index.html is a page analyze wrote (the marker in its head).
bool holds_report(const std::string& dir);

// UserError (--out) when `out` is empty; exists and is not a directory; is, or lies inside, a
// sweep directory or one of `sweep_dirs` (output_path's check_apart_from_inputs);
// or is a directory that holds files but no report, and `force` is false.
void check_report_dir(const std::string& out, const std::vector<std::string>& sweep_dirs, bool force);

// A report is written whole into OUT/.partial-PID/ and moved into OUT only when every file of it
// is there (commit), so that a run that fails (a full disk) leaves the earlier report as it was,
// or no report, never half of one: the destructor of an uncommitted staging removes its files
// (and OUT, when it created OUT and OUT is empty). Other files in OUT (--force) are left alone: the
// report's manifest (output_path.hpp) lists what it wrote, and only that is ever replaced.
class ReportStaging {
 public:
  explicit ReportStaging(const std::string& out_dir);  // UserError (--out) when it cannot be created
  ~ReportStaging();
  ReportStaging(const ReportStaging&) = delete;
  ReportStaging& operator=(const ReportStaging&) = delete;

  const std::string& dir() const { return dir_; }  // where the report is written
  // Moves the staged files into OUT (the page last) and removes the files the earlier report's
  // manifest lists (an earlier report without one: its models.csv, summary.json and index.html).
  void commit();
  // An error message with the staging directory read as OUT (the path a user knows).
  std::string as_out(const std::string& message) const;

 private:
  std::string out_, dir_;
  bool created_out_ = false, committed_ = false;
};

}  // namespace regnet
