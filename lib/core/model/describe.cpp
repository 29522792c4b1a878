#include "core/model/describe.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/base/units.hpp"
#include "core/model/design_parameters.hpp"
#include "core/model/model_zoo.hpp"

namespace regnet {

namespace {
int downsample(int h, int stride) { return (h - 1) / stride + 1; }

std::string num(double x) {
  nlohmann::json j = x;
  if (x == static_cast<double>(static_cast<long long>(x))) j = static_cast<long long>(x);
  return j.dump();
}
// The parameters one value sets for the whole network, beside the stage table (SE ratio, activation).
std::vector<const DesignParameter*> network_parameters() {
  std::vector<const DesignParameter*> out;
  for (const auto& p : design_parameters())
    if (!p.stage_value && p.analysis != AnalysisUse::regnet) out.push_back(&p);
  return out;
}

// "; SE ratio 0.25; activation silu": those that differ from their default.
std::string network_parameters_text(const Spec& s) {
  std::string t;
  for (const DesignParameter* p : network_parameters()) {
    const double v = *p->model_value(s, nullptr);
    if (v != p->fallback) t += std::string("; ") + p->label + " " + value_text(*p, v);
  }
  return t;
}
}  // namespace

int stem_output_resolution(const Spec& s) { return downsample(s.input_size, stem_stride(s.stem_type)); }

std::vector<StageRow> stage_rows(const Spec& s) {
  std::vector<StageRow> rows;
  int h = stem_output_resolution(s);
  for (int i = 0; i < s.num_stages(); ++i) {
    StageRow r;
    r.stage = i + 1;
    r.depth = s.depths[i];
    r.width = s.widths[i];
    r.bottleneck_ratio = s.bottleneck_ratios[i];
    r.bottleneck_width = bottleneck_width(s.widths[i], s.bottleneck_ratios[i]);
    r.group_width = s.group_widths[i];
    r.groups = r.group_width > 0 ? r.bottleneck_width / r.group_width : 0;
    r.stride = s.strides[i];
    r.input_resolution = h;
    h = downsample(h, r.stride);
    r.output_resolution = h;
    rows.push_back(r);
  }
  return rows;
}

nlohmann::json describe_json(const ModelDescription& m) {
  const Spec& s = m.spec;
  const Complexity c = complexity(s);
  nlohmann::json stages = nlohmann::json::array();
  for (const auto& r : stage_rows(s))
    stages.push_back({{"stage", r.stage},
                      {"depth", r.depth},
                      {"width", r.width},
                      {"bottleneck_ratio", r.bottleneck_ratio},
                      {"bottleneck_width", r.bottleneck_width},
                      {"group_width", r.group_width},
                      {"groups", r.groups},
                      {"stride", r.stride},
                      {"input_resolution", r.input_resolution},
                      {"output_resolution", r.output_resolution}});
  nlohmann::json j{
      {"name", m.name},
      {"source", m.source},
      {"rounding", m.rounding == Rounding::pycls ? "pycls" : "torchvision"},
      {"spec", to_json(s)},
      {"stem",
       {{"type", to_string(s.stem_type)},
        {"width", s.stem_width},
        {"stride", stem_stride(s.stem_type)},
        {"output_resolution", stem_output_resolution(s)}}},
      {"stages", stages},
      {"depth", s.depth()},
      {"block_widths", block_widths(s)},
      {"complexity", to_json(c)},
      {"complexity_human",
       {{"flops", format_count(c.flops)}, {"params", format_count(c.params)}, {"acts", format_count(c.acts)}}},
      {"flops_unit", "multiply-accumulates (MACs) at batch 1"},
  };
  for (const DesignParameter* p : network_parameters()) j[p->name] = value_json(*p, *p->model_value(s, nullptr));
  j["regnet"] = m.regnet ? to_json(*m.regnet) : nlohmann::json();
  return j;
}

namespace {

const char* rounding_name(Rounding r) { return r == Rounding::pycls ? "pycls" : "torchvision"; }

std::string header_text(const ModelDescription& m) {
  const Spec& s = m.spec;
  const int stem_res = stem_output_resolution(s);
  std::string t = fmt::format("{}  ({}; group-width rounding {})\n", m.name, m.source, rounding_name(m.rounding));
  t += fmt::format("input {}x{}x{}, {} classes; stem {} width {} stride {} -> {}x{}{}\n", s.input_size, s.input_size,
                   s.input_channels, s.num_classes, to_string(s.stem_type), s.stem_width, stem_stride(s.stem_type),
                   stem_res, stem_res, network_parameters_text(s));
  if (m.regnet) {
    const RegNetParams& p = *m.regnet;
    t += fmt::format("RegNet: depth {}, w0 {}, wa {}, wm {}, group width {}, bottleneck ratio {}, se ratio {}, q {}\n",
                     p.depth, num(p.w0), num(p.wa), num(p.wm), p.group_width, num(p.bottleneck_ratio), num(p.se_ratio),
                     p.q);
  }
  return t;
}

std::string stage_table(const Spec& s) {
  std::string t = fmt::format("{:>5} {:>6} {:>6} {:>5} {:>10} {:>7} {:>7} {:>7} {:>9}\n", "stage", "depth", "width",
                              "b", "bot.width", "group_w", "groups", "stride", "output");
  for (const auto& r : stage_rows(s))
    t += fmt::format("{:>5} {:>6} {:>6} {:>5} {:>10} {:>7} {:>7} {:>7} {:>9}\n", r.stage, r.depth, r.width,
                     num(r.bottleneck_ratio), r.bottleneck_width, r.group_width, r.groups, r.stride,
                     fmt::format("{0}x{0}", r.output_resolution));
  return t;
}

std::string complexity_line(const char* label, std::int64_t v) {
  return fmt::format("{:<12} {:>16}  ({})\n", label, format_thousands(v), format_count(v));
}

}  // namespace

std::string describe_text(const ModelDescription& m) {
  const Spec& s = m.spec;
  const Complexity c = complexity(s);
  std::string t = header_text(m) + "\n" + stage_table(s);
  t += fmt::format("\nblock widths ({} blocks): {}\n\n", s.depth(), fmt::join(block_widths(s), " "));
  return t + complexity_line("flops (MACs)", c.flops) + complexity_line("params", c.params) +
         complexity_line("acts", c.acts);
}

std::string zoo_table_text() {
  std::string t = fmt::format("{:<15} {:>5} {:>5} {:>7} {:>5} {:>4} {:>4} {:>13} {:>11} {:>11} {:>7}\n", "model",
                              "depth", "w0", "wa", "wm", "g", "se", "flops (MACs)", "params", "acts", "top1");
  for (const auto& m : model_zoo()) {
    const Complexity c = complexity(regnet_spec(m.params));
    const RegNetParams& p = m.params;
    t += fmt::format("{:<15} {:>5} {:>5g} {:>7g} {:>5g} {:>4} {:>4g} {:>13} {:>11} {:>11} {:>7.3f}\n", m.name, p.depth,
                     p.w0, p.wa, p.wm, p.group_width, p.se_ratio, format_count(c.flops), format_count(c.params),
                     format_count(c.acts), m.top1_err);
  }
  return t + "(224 px, 1000 classes, pycls rounding; top-1 error % after 100 epochs, pycls model zoo)\n";
}

nlohmann::json zoo_table_json() {
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& m : model_zoo())
    arr.push_back({{"name", m.name},
                   {"regnet", to_json(m.params)},
                   {"complexity", to_json(complexity(regnet_spec(m.params)))},
                   {"top1_err", m.top1_err},
                   {"top5_err", m.top5_err}});
  return arr;
}

}  // namespace regnet
