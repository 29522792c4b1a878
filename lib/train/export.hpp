#pragma once
// Export a network as a PyTorch state dict that Python's torch.load reads and pycls's AnyNet (or
// any implementation with pycls's module names) loads with load_state_dict(strict=True).
// Torch-free header.
#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <utility>
#include <vector>

#include "core/model/spec.hpp"

namespace regnet::train {

struct ExportRequest {
  Spec spec;
  std::string out_path;         // FILE.pt; the spec JSON goes beside it as FILE.json
  std::string weights_path;     // a state dict (train's final weights) or a trainer checkpoint; "" = fresh init
  unsigned long long seed = 1;  // for the fresh initialization
  bool check = false;           // also FILE.check.pt: {"input", "output"} of the network in eval mode
  int check_batch = 2;          // images in the check input (spec.input_size square, spec.input_channels)
  bool force = false;           // replace existing output files (a symbolic link's target is written)
  // Files read for the export, as (path, option): never written over, even with force.
  std::vector<std::pair<std::string, std::string>> inputs;
};

struct ExportResult {
  std::string weights_file, spec_file, check_file;  // check_file empty unless asked
  std::int64_t tensors = 0;                         // entries in the state dict
  std::int64_t parameters = 0;                      // trainable parameters
  std::string weights_from;                         // the request's weights_path ("": a fresh init)
  unsigned long long seed = 1;                      // of the fresh initialization
};

// The most memory the --check-input forward pass may need (input and every activation, float32).
constexpr std::int64_t kMaxCheckBytes = std::int64_t{8} << 30;

// Checks every output before any work (output_path.hpp: nothing is overwritten without force; an
// input is never an output), then writes all of them or none. Throws UserError naming the file for
// unreadable or mismatched weights, and for a check pass above kMaxCheckBytes.
ExportResult export_model(const ExportRequest& request);
nlohmann::json to_json(const ExportResult& result);
// "wrote FILE.pt (N tensors, M parameters, weights from ...)", then the spec and check files.
std::string to_text(const ExportResult& result);

}  // namespace regnet::train
