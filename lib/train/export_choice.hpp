#pragma once
// `export` as the command line names it: a model (a zoo name, a spec file, or a sweep's sample,
// whose trained weights are exported unless `untrained`), the output file, and optionally weights;
// turned into the ExportRequest of export.hpp. Torch-free header.
#include <string>

#include "core/space/model_source.hpp"
#include "train/export.hpp"

namespace regnet::train {

struct ExportChoice {
  ModelChoice model;
  std::string out, weights;
  unsigned long long seed = 1;
  bool untrained = false, check = false, force = false;
};

// UserError (--weights) for weights that are not a regular file, and for a sample without trained
// weights unless untrained.
ExportRequest export_request(const ExportChoice& choice);

}  // namespace regnet::train
