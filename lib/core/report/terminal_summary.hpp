#pragma once
// What `analyze` prints on stdout: the summary table, the KS pairs and the best model of each
// sweep as aligned text, then where the report is.
#include <string>

#include "core/report/analysis.hpp"
#include "core/report/html_report.hpp"

namespace regnet {

// The summary, KS and best-model lines, each ending in a newline.
std::string text_summary(const Analysis& a);

// "report: OUT/index.html (49 figures as png svg pdf, with CSV data and gnuplot scripts)".
std::string report_line(const ReportOutput& r);

}  // namespace regnet
