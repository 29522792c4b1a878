#pragma once
// The compare section of `analyze`'s report (docs/analyze.md): for each compare directory given,
// its design, the verdicts, every look of every pair, and one figure of the looks over n: with a
// margin, the shift and its equivalence interval against +-margin; without, the KS distance
// against its boundary. Read from compare.json as compare last wrote it; with a margin, also the
// planner's prediction from the models trained now (CompareRecord::forecast).
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "core/report/analysis.hpp"
#include "core/report/html_page.hpp"
#include "core/report/plot.hpp"

namespace regnet {

// The fields of compare.json's results (looks, pairs, decision, status) that the section reads, each
// of its type or absent: else a UserError naming `where`, the field and its value (compare itself
// reads only the setup, compare_setup_from_json, and recomputes the rest).
void check_compare_results(const nlohmann::json& cmp, const std::string& where);

// "compare_1", "compare_2", ...: one per compare directory, in order.
std::vector<Figure> compare_figures(const Analysis& a);

// The section's body; figure_html(name) is the figure's markup ("" when it was not drawn).
void compare_section(HtmlPage& page, const Analysis& a,
                     const std::function<std::string(const std::string&)>& figure_html);

}  // namespace regnet
