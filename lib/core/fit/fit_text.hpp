#pragma once
// `fit` on the command line: its --widths input and its plain-text output.
#include <string>
#include <vector>

#include "core/fit/best_models.hpp"
#include "core/model/width_fit.hpp"

namespace regnet {

// "48, 96,144" -> {48, 96, 144}. UserError (--widths) for an empty entry, anything that is not
// an integer in 1..1000000, or more than kMaxFitBlocks widths.
constexpr int kMaxFitBlocks = 1000;
std::vector<int> parse_widths(const std::string& text);

// Stages as "width x blocks": "24x1 56x1 152x4 368x7".
std::string stages_text(const std::vector<int>& widths, const std::vector<int>& depths);

// `fit --widths`: the parameters, the fitted stages, observed and predicted widths (4 lines).
std::string width_fit_text(const std::vector<int>& observed, const WidthFit& f);

// `fit SWEEP`: the table of the top K, the summary across them and the suggested range.
std::string sweep_fit_text(const SweepFit& r);

}  // namespace regnet
