#include "core/fit/fit_text.hpp"

#include <fmt/format.h>

#include "core/base/error.hpp"
#include "core/base/lists.hpp"
#include "core/base/text.hpp"

namespace regnet {

std::vector<int> parse_widths(const std::string& text) {
  if (text.empty()) fail("", "--widths", "no widths given");
  std::vector<int> out;
  for (std::string token : split_list(text)) {
    const auto b = token.find_first_not_of(" \t"), e = token.find_last_not_of(" \t");
    if (b == std::string::npos) fail("", "--widths", "empty entry in '" + text + "'");
    token = token.substr(b, e - b + 1);
    size_t used = 0;
    long v = 0;
    try {
      v = std::stol(token, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != token.size() || v <= 0 || v > 1000000)
      fail("", "--widths", "'" + printable(token) + "' is not a whole width in [1, 1000000]");
    out.push_back(static_cast<int>(v));
  }
  if (out.size() > static_cast<size_t>(kMaxFitBlocks))
    fail("", "--widths", fmt::format("{} widths given: at most {} (one per block)", out.size(), kMaxFitBlocks));
  return out;
}

std::string stages_text(const std::vector<int>& widths, const std::vector<int>& depths) {
  std::vector<std::string> stages;
  for (size_t i = 0; i < widths.size() && i < depths.size(); ++i)
    stages.push_back(std::to_string(widths[i]) + "x" + std::to_string(depths[i]));
  return join(stages, " ");
}

namespace {

std::string list(const std::vector<int>& v) { return fmt::format("{}", fmt::join(v, ",")); }

// How each summarized parameter is printed: e_fit 4 decimals, wm 3, wa 2, the rest as %g.
std::string summary_number(const std::string& name, double v) {
  static const std::pair<const char*, int> decimals[] = {{"e_fit", 4}, {"wm", 3}, {"wa", 2}};
  for (const auto& [n, d] : decimals)
    if (name == n) return fixed(v, d);
  return significant(v, 6);
}

std::string summary_lines(const SweepFit& r) {
  std::string t =
      fmt::format("\nacross the top {}: median [95% bootstrap band of the median] (min..max)\n", r.models.size());
  for (const auto& s : r.summary) {
    auto n = [&](double v) { return summary_number(s.name, v); };
    t += fmt::format("  {:<6} {} [{}, {}] ({}..{})\n", s.name, n(s.median), n(s.lo), n(s.hi), n(s.min), n(s.max));
  }
  return t;
}

template <typename T>
std::string set_text(const std::vector<T>& v) {
  std::vector<std::string> parts;
  for (const T& x : v) parts.push_back(significant(static_cast<double>(x), 6));
  return "{" + join(parts, ",") + "}";
}

std::string suggested_line(const SuggestedSpace& s) {
  return fmt::format(
      "\nsuggested RegNet range: d {}..{}, w0 {}..{}, wa {:.1f}..{:.1f}, wm {:.3f}..{:.3f}, g {}, b {}, "
      "stages {}..{}\n",
      s.depth_min, s.depth_max, s.w0_min, s.w0_max, s.wa_min, s.wa_max, s.wm_min, s.wm_max, set_text(s.group_widths),
      set_text(s.bottleneck_ratios), s.stages_min, s.stages_max);
}

}  // namespace

std::string width_fit_text(const std::vector<int>& observed, const WidthFit& f) {
  const RegNetWidths g = generate_regnet_unchecked(f.wa, f.w0, f.wm, f.depth);
  return fmt::format("depth {}: w0 = {}, wa = {}, wm = {}, e_fit = {:.4f}\n", f.depth, significant(f.w0, 6),
                     significant(f.wa, 6), significant(f.wm, 6), f.e_fit) +
         "fitted stages (width x blocks): " + stages_text(g.stage_widths, g.stage_depths) + "\n" +
         "observed:  " + list(observed) + "\npredicted: " + list(f.predicted) + "\n";
}

std::string sweep_fit_text(const SweepFit& r) {
  std::string t = fmt::format("fit {}: top {} of {} finished models by {} top-1 error ({} samples, {} results)\n",
                              r.dir, r.models.size(), r.done, to_string(r.metric), r.samples, r.results);
  t += fmt::format("{:>8} {:>7} {:>3} {:>4} {:>7} {:>6} {:>6}  {}\n", "id", "error", "d", "w0", "wa", "wm", "e_fit",
                   "fitted stages (width x blocks)");
  for (const auto& m : r.models)
    t += fmt::format("{:08d} {:7.2f} {:3d} {:>4} {:7.2f} {:6.3f} {:6.3f}  {}\n", m.id, m.error, m.fit.depth,
                     significant(m.fit.w0, 6), m.fit.wa, m.fit.wm, m.fit.e_fit,
                     stages_text(m.fitted.stage_widths, m.fitted.stage_depths));
  return t + summary_lines(r) + suggested_line(r.suggested);
}

}  // namespace regnet
