#pragma once
// models.csv: one tidy row per sample of every analyzed sweep, the table a pandas or R user loads
// first. Columns: sweep, id, status (done, diverged, failed, missing), final and best top-1/top-5
// error (%), flops, params, acts (counts), every structural parameter any model has (d, w0, wa,
// wm, g, b for RegNets; d1.., w1.., b1.., g1.. per stage), seconds, normalized_weight (the NDS
// weight of an analyzed model, 0 outside the shared range). An empty cell where a sample has no
// such number. RFC 4180: comma-separated, CRLF line ends, a field holding a comma, a quote
// or a line break in double quotes with its quotes doubled.
#include <string>

#include "core/report/analysis.hpp"

namespace regnet {

std::string models_csv(const Analysis& a);

// One CSV field, quoted as RFC 4180 requires.
std::string csv_field(const std::string& text);

}  // namespace regnet
