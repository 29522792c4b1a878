#include "train/export_choice.hpp"

#include <filesystem>

#include "core/base/error.hpp"
#include "core/sweep/directory.hpp"

namespace regnet::train {

namespace {

void check_weights_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) fail(path, "--weights", "no such file");
  if (!std::filesystem::is_regular_file(path, ec))
    fail(path, "--weights", "is not a weights file (not a regular file)");
}

}  // namespace

ExportRequest export_request(const ExportChoice& c) {
  ExportRequest r;
  r.spec = chosen_spec(c.model);
  r.out_path = c.out;
  r.seed = c.seed;
  r.check = c.check;
  r.force = c.force;
  r.weights_path = c.weights;
  if (c.model.id >= 0 && r.weights_path.empty() && !c.untrained)
    r.weights_path = trained_weights(c.model.sweep, c.model.id);
  if (!r.weights_path.empty()) check_weights_file(r.weights_path);
  r.inputs = {{c.model.spec_file, "--spec"}, {r.weights_path, "--weights"}};
  if (c.model.id >= 0) r.inputs.emplace_back(sample_path(c.model.sweep, c.model.id), "sample");
  return r;
}

}  // namespace regnet::train
