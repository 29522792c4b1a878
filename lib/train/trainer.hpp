#pragma once
// Trains one spec on one dataset with one schedule. Torch-free header.
#include <functional>
#include <string>

#include "core/base/error.hpp"
#include "core/model/spec.hpp"
#include "core/run/schedule.hpp"
#include "core/sweep/directory.hpp"
#include "train/data.hpp"

namespace regnet::train {

struct Progress {
  int epoch = 0;  // 1-based, the epoch in progress
  int epochs = 0;
  std::int64_t step = 0;   // within the epoch
  std::int64_t steps = 0;  // per epoch
  double images_per_second = 0;
  double loss = 0;
  double elapsed_seconds = 0;
  double eta_seconds = 0;  // for this model
  bool evaluating = false;
};

struct TrainOptions {
  std::string device = "auto";  // "auto" (CUDA if present), "cpu", "cuda", "cuda:N"
  int threads = 0;              // CPU threads (0 = all cores)
  std::string checkpoint_path;  // empty: no checkpoints; else saved each epoch, resumed from if present
  std::string weights_path;     // non-empty: the final weights (a state dict by pycls names, see
                                // export.hpp) are written there atomically when the run is done
  bool channels_last = true;    // NHWC activations and weights: 1.5x on the CPU here, faster on GPUs
  std::function<void(const Progress&)> on_progress;  // called a few times a second at most
  std::function<bool()> should_stop;                 // polled each step; true ends with status failed
};

// The checkpoint cannot be resumed: unreadable, damaged (an entry missing, a history that is not
// the epochs it holds), or written for another spec, schedule or dataset.
struct UnusableCheckpoint : UserError {
  using UserError::UserError;
};

// "cpu", "auto", "cuda", "cuda:N": a UserError naming `option` and the device when it is not
// there (no CUDA, no such index), so that a run can refuse before it writes anything.
void check_device(const std::string& name, const std::string& option = "device");

// Returns the result (status done or diverged) with final/best errors and per-epoch history.
// result.id is left 0 for the caller to set. Throws UserError for a spec that does not fit the
// dataset (channels, classes), a device that is not available, a file it cannot write (checkpoint,
// weights: the cause named), or (UnusableCheckpoint) a checkpoint it cannot resume. Status failed
// (with a message, no exception): should_stop said stop, or the batch did not fit in memory. A
// NaN/inf loss gives status diverged with errors of 100.
// The trainer uses the dataset's images at their size (DataConfig::image_size), whatever
// spec.input_size says: the network is size-agnostic, and the result records both.
TrainResult train_model(const Spec& spec, Dataset& data, const Schedule& schedule, const TrainOptions& options);

}  // namespace regnet::train
