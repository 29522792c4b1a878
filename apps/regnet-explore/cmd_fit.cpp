// `regnet-explore fit`: the linear width fit (w0, wa, wm, e_fit) of a sweep's best models, or of
// widths given on the command line (REGNET.md §7, docs/fit.md).
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/error.hpp"
#include "core/fit.hpp"
#include "core/fit_report.hpp"
#include "core/json_io.hpp"

namespace regnet::cli {

namespace {

struct Options {
  std::string sweep;
  std::string widths;
  int top = 20;
  std::string metric = "best";
  bool json = false;
  std::string out_space, out_specs, space_name;
  int resamples = 10000;
  std::uint64_t seed = 0;
  int w0_max = 256;
};

std::vector<int> parse_widths(const std::string& text) {
  std::vector<int> out;
  std::stringstream ss(text);
  std::string token;
  while (std::getline(ss, token, ',')) {
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
      fail("", "--widths", "'" + token + "' is not a positive integer width");
    out.push_back(static_cast<int>(v));
  }
  if (out.empty()) fail("", "--widths", "no widths given");
  return out;
}

// "24x1 56x1 152x4 368x7"
std::string stages_text(const std::vector<int>& widths, const std::vector<int>& depths) {
  std::string s;
  for (size_t i = 0; i < widths.size(); ++i)
    s += (i ? " " : "") + std::to_string(widths[i]) + "x" + std::to_string(depths[i]);
  return s;
}

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void print_widths_fit(const std::vector<int>& observed, const WidthFit& f, bool json) {
  nlohmann::json j = to_json(f);
  j["observed"] = observed;
  if (json) {
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::printf("depth %d: w0 = %g, wa = %g, wm = %g, e_fit = %.4f\n", f.depth, f.w0, f.wa, f.wm, f.e_fit);
  std::printf("fitted stages (width x blocks): %s\n",
              stages_text(j["stage_widths"].get<std::vector<int>>(), j["stage_depths"].get<std::vector<int>>()).c_str());
  std::string obs, pred;
  for (size_t i = 0; i < observed.size(); ++i) {
    obs += (i ? "," : "") + std::to_string(observed[i]);
    pred += (i ? "," : "") + std::to_string(f.predicted[i]);
  }
  std::printf("observed:  %s\npredicted: %s\n", obs.c_str(), pred.c_str());
}

void print_report(const FitReport& r) {
  std::printf("fit %s: top %zu of %d finished models by %s top-1 error (%d samples, %d results)\n", r.dir.c_str(),
              r.models.size(), r.done, to_string(r.metric).c_str(), r.samples, r.results);
  std::printf("%8s %7s %3s %4s %7s %6s %6s  %s\n", "id", "error", "d", "w0", "wa", "wm", "e_fit",
              "fitted stages (width x blocks)");
  for (const auto& m : r.models)
    std::printf("%08d %7.2f %3d %4g %7.2f %6.3f %6.3f  %s\n", m.id, m.error, m.fit.depth, m.fit.w0, m.fit.wa, m.fit.wm,
                m.fit.e_fit, stages_text(m.fitted.stage_widths, m.fitted.stage_depths).c_str());
  std::printf("\nacross the top %zu: median [95%% bootstrap band of the median] (min..max)\n", r.models.size());
  for (const auto& s : r.summary) {
    const char* f = s.name == "e_fit" ? "%.4f" : (s.name == "wm" ? "%.3f" : (s.name == "wa" ? "%.2f" : "%g"));
    std::printf("  %-6s %s [%s, %s] (%s..%s)\n", s.name.c_str(), fmt(f, s.median).c_str(), fmt(f, s.lo).c_str(),
                fmt(f, s.hi).c_str(), fmt(f, s.min).c_str(), fmt(f, s.max).c_str());
  }
  const SuggestedSpace& s = r.suggested;
  auto list = [](const auto& v) {
    std::string t;
    for (size_t i = 0; i < v.size(); ++i) t += (i ? "," : "") + fmt("%g", v[i]);
    return "{" + t + "}";
  };
  std::printf("\nsuggested RegNet range: d %d..%d, w0 %d..%d, wa %.1f..%.1f, wm %.3f..%.3f, g %s, b %s, stages %d..%d\n",
              s.depth_min, s.depth_max, s.w0_min, s.w0_max, s.wa_min, s.wa_max, s.wm_min, s.wm_max,
              list(s.group_widths).c_str(), list(s.bottleneck_ratios).c_str(), s.stages_min, s.stages_max);
}

void run(const Options& o) {
  if (!o.sweep.empty() == !o.widths.empty()) fail("", "fit", "give a SWEEP directory or --widths W1,W2,... (one of them)");
  FitGrid grid;
  if (o.w0_max < grid.w0_min) fail("", "--w0-max", std::to_string(o.w0_max) + " must be >= " + std::to_string(grid.w0_min));
  grid.w0_max = o.w0_max;
  if (!o.widths.empty()) {
    if (!o.out_space.empty() || !o.out_specs.empty())
      fail("", "--widths", "--out-space and --out-specs need a SWEEP");
    const std::vector<int> observed = parse_widths(o.widths);
    print_widths_fit(observed, fit_widths(observed, grid), o.json);
    return;
  }
  FitOptions fo;
  fo.top = o.top;
  fo.metric = error_metric_from_string(o.metric, "--metric");
  fo.grid = grid;
  fo.resamples = o.resamples;
  fo.seed = o.seed;
  if (fo.resamples < 1) fail("", "--resamples", std::to_string(fo.resamples) + " must be >= 1");
  const FitReport r = fit_sweep(o.sweep, fo);
  for (const auto& w : r.warnings) std::fprintf(stderr, "regnet-explore: warning: %s\n", w.c_str());

  if (!o.out_space.empty()) {
    const nlohmann::json sweep = read_sweep_json(o.sweep);
    const std::string name =
        o.space_name.empty() ? std::filesystem::path(o.out_space).stem().string() : o.space_name;
    const nlohmann::json space = suggested_space_json(r, name, sweep.value("network", nlohmann::json()));
    write_json_atomic(o.out_space, space);
  }
  if (!o.out_specs.empty()) write_fitted_specs(r, o.out_specs);

  if (o.json) {
    nlohmann::json j = to_json(r);
    if (!o.out_space.empty()) j["out_space"] = o.out_space;
    if (!o.out_specs.empty()) j["out_specs"] = o.out_specs;
    std::cout << j.dump(2) << "\n";
    return;
  }
  print_report(r);
  if (!o.out_space.empty()) std::printf("wrote design space %s\n", o.out_space.c_str());
  if (!o.out_specs.empty()) std::printf("wrote %zu fitted specs to %s\n", r.models.size(), o.out_specs.c_str());
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("fit", "Fit the linear width curve (w0, wa, wm, e_fit) to a sweep's best models");
  cmd->add_option("sweep", o->sweep, "Sweep directory (with trained results)");
  cmd->add_option("--widths", o->widths, "Fit these per-block widths instead: W1,W2,... (one per block)");
  cmd->add_option("-k,--top", o->top, "Fit the K models with the lowest error")->capture_default_str();
  cmd->add_option("--metric", o->metric, "Which top-1 error ranks models: best (minimum over epochs) or final")
      ->check(CLI::IsMember({"best", "final"}))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_option("--out-space", o->out_space,
                  "Write the RegNet design space the fits suggest (configs/spaces/*.json schema) to FILE");
  cmd->add_option("--space-name", o->space_name, "Name of the --out-space space (default: the file's stem)");
  cmd->add_option("--out-specs", o->out_specs, "Write each fitted RegNet (regnet params and spec) to DIR/NNNNNN.json");
  cmd->add_option("--resamples", o->resamples, "Bootstrap repetitions for the bands of the medians")
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Bootstrap seed")->capture_default_str();
  cmd->add_option("--w0-max", o->w0_max, "Largest w0 of the search grid (w0 = 8..MAX step 8)")->capture_default_str();
  cmd->footer(
      "For each model, e_fit = mean over blocks of |ln(predicted/observed)| where predicted widths come from the\n"
      "RegNet generator (w0, wa, wm) at the model's depth; the best parameters are searched (docs/fit.md).\n"
      "K above the number of finished models is clamped to it, with a warning.\n\n"
      "Examples:\n"
      "  regnet-explore fit sweeps/xe --top 20\n"
      "  regnet-explore fit sweeps/xe --top 50 --metric final --json > fit.json\n"
      "  regnet-explore fit sweeps/xe --top 20 --out-space configs/spaces/XE-fit.json --out-specs fitted/\n"
      "  regnet-explore fit --widths 48,48,96,96,96,144,144,192,192,192\n"
      "  regnet-explore fit --widths 24,56,152,152,152,152,368,368,368,368,368,368,368 --json");
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
