#pragma once
// The refine section of `analyze`'s report (docs/refine.md, "The report"): for each refine directory
// given, the chain of spaces the refinement went through with the trainings each step spent against
// the paper's 500, and per step the candidates' verdicts with their intervals and one figure of the
// error EDFs the decisions rest on (the fresh parent and every candidate); with two steps or more, a
// figure of the chain (each step's fresh parent sample). Read from refine.json as refine last wrote
// it; the EDFs are those of the analyzed sweeps (a refine directory stands for the sweeps it trained).
#include <functional>
#include <string>
#include <vector>

#include "core/report/analysis.hpp"
#include "core/report/html_page.hpp"
#include "core/report/plot.hpp"

namespace regnet {

// The refine directories among `dirs`, each with its refine.json (UserError naming the file and field
// for one whose steps or candidates are not what refine writes).
std::vector<RefineRecord> read_refine_records(const std::vector<std::string>& dirs);

// What analyze reads for `dirs`: each refine directory replaced by the sweeps it trained, then each
// compare directory by its sweeps.
std::vector<std::string> expand_analysis_inputs(const std::vector<std::string>& dirs);

// "refine_R_S" for step S of the R-th refine directory, and "refine_R_chain" with two steps or more.
std::vector<Figure> refine_figures(const Analysis& a);

// The section's body; figure_html(name) is the figure's markup ("" when it was not drawn).
void refine_section(HtmlPage& page, const Analysis& a,
                    const std::function<std::string(const std::string&)>& figure_html);

}  // namespace regnet
