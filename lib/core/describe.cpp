#include "core/describe.hpp"

#include <cstdio>
#include <sstream>

#include "core/sweep.hpp"
#include "core/units.hpp"

namespace regnet {

namespace {
int downsample(int h, int stride) { return (h - 1) / stride + 1; }

std::string num(double x) {
  nlohmann::json j = x;
  if (x == static_cast<double>(static_cast<long long>(x))) j = static_cast<long long>(x);
  return j.dump();
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
  j["regnet"] = m.regnet ? to_json(*m.regnet) : nlohmann::json();
  return j;
}

std::string describe_text(const ModelDescription& m) {
  const Spec& s = m.spec;
  const Complexity c = complexity(s);
  std::ostringstream o;
  o << m.name << "  (" << m.source << "; group-width rounding "
    << (m.rounding == Rounding::pycls ? "pycls" : "torchvision") << ")\n";
  o << "input " << s.input_size << "x" << s.input_size << "x" << s.input_channels << ", " << s.num_classes
    << " classes; stem " << to_string(s.stem_type) << " width " << s.stem_width << " stride "
    << stem_stride(s.stem_type) << " -> " << stem_output_resolution(s) << "x" << stem_output_resolution(s)
    << (s.se_ratio > 0 ? "; SE ratio " + num(s.se_ratio) : "") << "\n";
  if (m.regnet) {
    const RegNetParams& p = *m.regnet;
    o << "RegNet: depth " << p.depth << ", w0 " << num(p.w0) << ", wa " << num(p.wa) << ", wm " << num(p.wm)
      << ", group width " << p.group_width << ", bottleneck ratio " << num(p.bottleneck_ratio) << ", se ratio "
      << num(p.se_ratio) << ", q " << p.q << "\n";
  }
  o << "\n";
  char line[200];
  std::snprintf(line, sizeof line, "%5s %6s %6s %5s %10s %7s %7s %7s %9s\n", "stage", "depth", "width", "b",
                "bot.width", "group_w", "groups", "stride", "output");
  o << line;
  for (const auto& r : stage_rows(s)) {
    const std::string res = std::to_string(r.output_resolution) + "x" + std::to_string(r.output_resolution);
    std::snprintf(line, sizeof line, "%5d %6d %6d %5s %10d %7d %7d %7d %9s\n", r.stage, r.depth, r.width,
                  num(r.bottleneck_ratio).c_str(), r.bottleneck_width, r.group_width, r.groups, r.stride, res.c_str());
    o << line;
  }
  o << "\nblock widths (" << s.depth() << " blocks):";
  for (int w : block_widths(s)) o << " " << w;
  o << "\n\n";
  std::snprintf(line, sizeof line, "flops (MACs) %16s  (%s)\n", format_thousands(c.flops).c_str(),
                format_count(c.flops).c_str());
  o << line;
  std::snprintf(line, sizeof line, "params       %16s  (%s)\n", format_thousands(c.params).c_str(),
                format_count(c.params).c_str());
  o << line;
  std::snprintf(line, sizeof line, "acts         %16s  (%s)\n", format_thousands(c.acts).c_str(),
                format_count(c.acts).c_str());
  o << line;
  return o.str();
}

}  // namespace regnet
