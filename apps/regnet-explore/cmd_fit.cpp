// `regnet-explore fit`: the linear width fit (w0, wa, wm, e_fit) of a sweep's best models, or of
// widths given on the command line (docs/reference.md §7, docs/fit.md).
#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "core/base/error.hpp"
#include "core/base/output_path.hpp"
#include "core/fit/best_models.hpp"
#include "core/fit/fit_text.hpp"
#include "core/model/width_fit.hpp"
#include "core/space/sample_sweep.hpp"
#include "number_options.hpp"
#include "output.hpp"

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
  bool force = false;
};

void fit_given_widths(const Options& o, const FitGrid& grid) {
  if (!o.out_space.empty() || !o.out_specs.empty()) fail("", "--widths", "--out-space and --out-specs need a SWEEP");
  const std::vector<int> observed = parse_widths(o.widths);
  const WidthFit f = fit_widths(observed, grid);
  nlohmann::json j = to_json(f);
  j["observed"] = observed;
  print_result(o.json, j, width_fit_text(observed, f));
}

void fit_given_sweep(const Options& o, const FitGrid& grid) {
  FitOptions fo;
  fo.top = o.top;
  fo.metric = error_metric_from_string(o.metric, "--metric");
  fo.grid = grid;
  fo.resamples = o.resamples;
  fo.seed = o.seed;
  // The outputs are checked before the fit, and written after it.
  if (!o.out_space.empty()) output_file(o.out_space, "--out-space", o.force, {o.sweep});
  if (!o.out_specs.empty()) check_output_dir(o.out_specs, "--out-specs", o.force, {o.sweep});
  const SweepFit r = fit_sweep(o.sweep, fo);
  for (const auto& w : r.warnings) spdlog::warn("{}", w);
  nlohmann::json j = to_json(r);
  std::string text = sweep_fit_text(r);
  if (!o.out_space.empty()) {
    write_suggested_space(r, o.out_space, o.space_name, o.force);
    j["out_space"] = o.out_space;
    text += "wrote design space " + o.out_space + "\n";
  }
  if (!o.out_specs.empty()) {
    write_fitted_specs(r, o.out_specs, o.force);
    j["out_specs"] = o.out_specs;
    text += "wrote " + std::to_string(r.models.size()) + " fitted specs to " + o.out_specs + "\n";
  }
  print_result(o.json, j, text);
}

void run(const Options& o) {
  if (!o.sweep.empty() == !o.widths.empty())
    fail("", "fit", "give a SWEEP directory or --widths W1,W2,... (one of them)");
  const FitGrid grid = grid_up_to(o.w0_max);
  if (o.widths.empty())
    fit_given_sweep(o, grid);
  else
    fit_given_widths(o, grid);
}

}  // namespace

void add_fit_command(CLI::App& app) {
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("fit", command_summary("fit"));
  cmd->add_option("sweep", o->sweep, "Sweep directory (with trained results)");
  cmd->add_option("--widths", o->widths, "Fit these per-block widths instead: W1,W2,... (one per block)");
  cmd->add_option("-k,--top", o->top, "Fit the K models with the lowest error")
      ->transform(whole_number<int>(1, kMaxSamples))
      ->capture_default_str();
  cmd->add_option("--metric", o->metric, "Which top-1 error ranks models: best (minimum over epochs) or final")
      ->check(CLI::IsMember({"best", "final"}))
      ->capture_default_str();
  cmd->add_flag("--json", o->json, "Print JSON");
  cmd->add_option("--out-space", o->out_space,
                  "Write the RegNet design space the fits suggest (configs/spaces/*.json schema) to FILE (a new file)");
  cmd->add_option("--space-name", o->space_name, "Name of the --out-space space (default: the file's stem)");
  cmd->add_option("--out-specs", o->out_specs,
                  "Write each fitted RegNet (regnet params and spec) to DIR/NNNNNN.json (DIR new or empty)");
  cmd->add_flag("--force", o->force, "Replace an existing --out-space file; write into a non-empty --out-specs DIR");
  cmd->add_option("--resamples", o->resamples, "Bootstrap repetitions for the bands of the medians")
      ->transform(whole_number<int>(kMinResamples, kMaxResamples))
      ->capture_default_str();
  cmd->add_option("--seed", o->seed, "Bootstrap seed")->transform(seed_number())->capture_default_str();
  cmd->add_option("--w0-max", o->w0_max, "Largest w0 of the search grid (w0 = 8..MAX step 8)")
      ->transform(whole_number<int>(8, kMaxFitW0))
      ->capture_default_str();
  cmd->callback([o] { run(*o); });
}

}  // namespace regnet::cli
