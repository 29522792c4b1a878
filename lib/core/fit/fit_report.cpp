#include "core/fit/fit_report.hpp"

#include "core/base/error.hpp"
#include "core/base/output_path.hpp"
#include "core/base/terminal_text.hpp"
#include "core/fit/fit_text.hpp"

namespace regnet {

namespace {

FitReport fit_given_widths(const FitRequest& q, const FitGrid& grid) {
  if (!q.out_space.empty() || !q.out_specs.empty()) fail("", "--widths", "--out-space and --out-specs need a SWEEP");
  FitReport r;
  r.observed = parse_widths(q.widths);
  r.width_fit = fit_widths(r.observed, grid);
  return r;
}

FitReport fit_given_sweep(const FitRequest& q, const FitGrid& grid) {
  FitOptions fo = q.fit;
  fo.metric = error_metric_from_string(q.metric, "--metric");
  fo.grid = grid;
  // The outputs are checked before the fit, and written after it.
  if (!q.out_space.empty()) output_file(q.out_space, "--out-space", q.force, {q.sweep});
  if (!q.out_specs.empty()) check_output_dir(q.out_specs, "--out-specs", q.force, {q.sweep});
  FitReport r;
  r.sweep = fit_sweep(q.sweep, fo);
  if (!q.out_space.empty()) write_suggested_space(*r.sweep, q.out_space, q.space_name, q.force);
  if (!q.out_specs.empty()) write_fitted_specs(*r.sweep, q.out_specs, q.force);
  r.out_space = q.out_space;
  r.out_specs = q.out_specs;
  return r;
}

}  // namespace

FitReport run_fit(const FitRequest& q) {
  if (!q.sweep.empty() == !q.widths.empty())
    fail("", "fit", "give a SWEEP directory or --widths W1,W2,... (one of them)");
  const FitGrid grid = grid_up_to(q.w0_max);
  return q.widths.empty() ? fit_given_sweep(q, grid) : fit_given_widths(q, grid);
}

nlohmann::json to_json(const FitReport& r) {
  if (!r.sweep) {
    nlohmann::json j = to_json(r.width_fit);
    j["observed"] = r.observed;
    return j;
  }
  nlohmann::json j = to_json(*r.sweep);
  if (!r.out_space.empty()) j["out_space"] = r.out_space;
  if (!r.out_specs.empty()) j["out_specs"] = r.out_specs;
  return j;
}

std::string to_text(const FitReport& r) {
  if (!r.sweep) return width_fit_text(r.observed, r.width_fit);
  std::string text = sweep_fit_text(*r.sweep);
  if (!r.out_space.empty()) text += "wrote design space " + one_line(r.out_space) + "\n";
  if (!r.out_specs.empty())
    text += "wrote " + std::to_string(r.sweep->models.size()) + " fitted specs to " + one_line(r.out_specs) + "\n";
  return text;
}

}  // namespace regnet
