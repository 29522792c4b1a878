#pragma once
// The figure of an audit sweep (core/audit.hpp) that `analyze` draws beside the others: each
// audited model's error with the short schedule (x) against the longer one (y), and the line on
// which they agree. One figure per audit sweep among the analyzed ones, "audit_" + its slug.
#include <vector>

#include "core/report/analysis.hpp"
#include "core/report/plot.hpp"

namespace regnet {

std::vector<Figure> audit_figures(const Analysis& a);

}  // namespace regnet
