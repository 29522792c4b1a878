#pragma once
// Export a network as a PyTorch state dict that Python's torch.load reads and pycls's AnyNet (or
// any implementation with pycls's module names) loads with load_state_dict(strict=True).
// Torch-free header.
#include <cstdint>
#include <string>

#include "core/spec.hpp"

namespace regnet::train {

struct ExportRequest {
  Spec spec;
  std::string out_path;      // FILE.pt; the spec JSON goes beside it as FILE.json
  std::string weights_path;  // a state dict (train's final weights) or a trainer checkpoint; "" = fresh init
  unsigned long long seed = 1;  // for the fresh initialization
  bool check = false;        // also FILE.check.pt: {"input", "output"} of the network in eval mode
  int check_batch = 2;       // images in the check input (spec.input_size square, spec.input_channels)
};

struct ExportResult {
  std::string weights_file, spec_file, check_file;  // check_file empty unless asked
  std::int64_t tensors = 0;                          // entries in the state dict
  std::int64_t parameters = 0;                       // trainable parameters
};

// Writes every file atomically. Throws UserError naming the file for unreadable or mismatched weights.
ExportResult export_model(const ExportRequest& request);

}  // namespace regnet::train
