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
// sweep directory (one of `sweep_dirs`, or any directory with a sweep.json, itself or above it);
// or is a directory that holds files but no report, and `force` is false.
void check_report_dir(const std::string& out, const std::vector<std::string>& sweep_dirs, bool force);

}  // namespace regnet
