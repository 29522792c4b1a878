#include "core/report/terminal_summary.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "core/base/terminal_text.hpp"
#include "core/base/text.hpp"
#include "core/report/report_text.hpp"

namespace regnet {

namespace {

// Left-aligned in `width` bytes, as printf's %-*s (names may hold UTF-8).
std::string left(const std::string& s, size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string counts_table(const Analysis& a) {
  size_t w = 5;
  for (const auto& s : a.sweeps) w = std::max(w, s.name.size());
  std::string t = "error: " + metric_label(a.metric) + " (%)\n" + left("sweep", w) +
                  fmt::format(" {:<14} {:>7} {:>6} {:>8} {:>6} {:>7} {:>7} {:>7} {:>7}\n", "dataset", "samples", "done",
                              "diverged", "failed", "missing", "min", "mean", "median");
  for (const auto& s : a.sweeps) {
    const bool any = !s.models.empty();
    auto error = [&](double v) { return any ? fixed_or_na(v, 2) : "-"; };
    t += left(s.name, w) + " " + left(s.dataset.empty() ? "?" : s.dataset, 14) +
         fmt::format(" {:>7} {:>6} {:>8} {:>6} {:>7} {:>7} {:>7} {:>7}\n", s.counts.samples, s.counts.done,
                     s.counts.diverged, s.counts.failed, s.counts.missing, error(s.error.min), error(s.error.mean),
                     error(s.error.median));
  }
  return t;
}

std::string ks_text(const KsResult& k) {
  return "D = " + fixed_or_na(k.d, 3) + " (" + significant_or_na(k.p_value, 3) + ")";
}

// "normalized by flops over [2.1M, 4.9M] (the sweeps' shared range), K = 2 linear bins; outside the
// range (left out): xa 1 of 24, xe 0 of 24".
std::string normalization_lines(const Analysis& a) {
  if (a.normalization == Normalization::none) return "";
  std::vector<std::string> outside;
  for (const auto& s : a.sweeps)
    if (!s.models.empty())
      outside.push_back(s.name + " " + std::to_string(s.outside_range) + " of " + std::to_string(s.error.n));
  return "\nnormalized EDFs: " + normalization_text(a) +
         "\n  models outside the range (left out of the normalized EDF and KS): " + join(outside, ", ") + "\n";
}

std::string ks_lines(const Analysis& a) {
  const KsTable& ks = a.ks;
  if (ks.names.size() < 2) return "";
  std::string t =
      "\nKS two-sample tests: D (p-value)" + std::string(ks.normalized.empty() ? "" : "; normalized as above") + "\n";
  for (size_t i = 0; i < ks.names.size(); ++i)
    for (size_t j = i + 1; j < ks.names.size(); ++j) {
      t += "  " + ks.names[i] + " vs " + ks.names[j] + ": " + ks_text(ks.plain[i][j]);
      if (!ks.normalized.empty()) t += "   normalized: " + ks_text(ks.normalized[i][j]);
      t += "\n";
    }
  return t;
}

// Per pair: the differences b - a with their bootstrap intervals, and the KS power.
std::string pair_lines(const Analysis& a) {
  if (a.pairs.empty()) return "";
  std::string t = "\ndifferences b - a in error (bootstrap 95% intervals, " + std::to_string(a.resamples) +
                  " resamples) and the models per space a KS test needs for 80% power at alpha " + shortest(a.alpha) +
                  ":\n";
  for (const auto& p : a.pairs) {
    const SampleDifferences& d = p.difference;
    t += "  " + a.sweeps[p.b].name + " - " + a.sweeps[p.a].name + ": mean " + difference_text(d.mean) + ", median " +
         difference_text(d.median);
    if (!d.m.empty()) t += ", best of " + std::to_string(d.m.back()) + " " + difference_text(d.expected_best.back());
    t += "; " + power_text(p.power) + "\n";
  }
  return t;
}

std::string best_model_lines(const Analysis& a) {
  std::string t = "\nbest model per sweep (width fit):\n";
  for (const auto& s : a.sweeps)
    if (s.best)
      t += "  " + s.name + ": #" + std::to_string(s.best->id) + " " + fixed_or_na(s.best->error, 2) +
           "%  w0=" + value_text(s.best->fit.w0) + " wa=" + value_text(s.best->fit.wa) +
           " wm=" + fixed_or_na(s.best->fit.wm, 3) + " e_fit=" + fixed_or_na(s.best->fit.e_fit, 3) + "\n";
  return t;
}

}  // namespace

std::string text_summary(const Analysis& a) {
  return counts_table(a) + normalization_lines(a) + ks_lines(a) + pair_lines(a) + best_model_lines(a);
}

std::string report_line(const ReportOutput& r) {
  const std::string what = r.rendered ? " as " + join(r.formats, " ") + ", with CSV data and gnuplot scripts"
                                      : ": CSV data and gnuplot scripts only";
  return "report: " + one_line(r.index_html) + " (" + std::to_string(r.figures.size()) + " figures" + what + ")";
}

}  // namespace regnet
