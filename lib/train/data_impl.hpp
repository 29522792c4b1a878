#pragma once
// The Dataset interface the trainer uses: batches of normalized float images on a device.
// Included only by lib/train .cpp files (pulls in <torch/torch.h>).
#include <torch/torch.h>

#include <cstdint>
#include <memory>
#include <string>

#include "train/data.hpp"

namespace regnet::train {

enum class Split { train, test };

struct Batch {
  torch::Tensor images;  // float [n, C, H, W], normalized, on the device, channels_last if asked
  torch::Tensor labels;  // int64 [n], on the device
};

struct BatchOptions {
  Split split = Split::train;
  int batch_size = 128;
  std::int64_t limit = 0;  // only the first N images of the split (0 = all)
  bool shuffle = false;
  bool drop_last = false;        // drop a last partial batch (kept when it would be the only one)
  std::string augment = "none";  // "none" | "flip" | "crop_flip" | "rrc_flip" (Schedule::augment)
  std::uint64_t seed = 1;
  int epoch = 0;  // with seed, fixes this pass's order and augmentation: a resumed run sees the same
  torch::Device device = torch::kCPU;
  bool channels_last = true;
  // Streamed datasets only: images as the loader threads leave them, uint8 [n, H, W, C] on the
  // host with flips applied there, not normalized (loader benchmarks).
  bool host_uint8 = false;
};

// One pass over a split.
class BatchStream {
 public:
  virtual ~BatchStream() = default;
  // Fills `out` with the next batch; false at the end. Rethrows a decoding error as UserError.
  // A streamed dataset may deliver a batch short of images it could not decode.
  virtual bool next(Batch& out) = 0;
  std::int64_t num_batches() const { return num_batches_; }
  std::int64_t num_images() const { return num_images_; }
  // Seconds next() has waited for loader threads so far (0 for in-memory data): with the
  // pass's wall time, the fraction of step time the trainer was starved of data.
  virtual double wait_seconds() const { return 0; }

 protected:
  std::int64_t num_batches_ = 0;
  std::int64_t num_images_ = 0;
};

class Dataset {
 public:
  virtual ~Dataset() = default;
  const DatasetInfo& info() const { return info_; }
  virtual std::unique_ptr<BatchStream> batches(const BatchOptions& options) = 0;

 protected:
  DatasetInfo info_;
};

std::uint64_t mix_seed(std::uint64_t a, std::uint64_t b);

// The openers behind open_dataset, one per file.
std::shared_ptr<Dataset> open_idx(const std::string& name, const std::string& root, const DataConfig& cfg);
std::shared_ptr<Dataset> open_cifar(const std::string& name, std::string root, const DataConfig& cfg);
std::shared_ptr<Dataset> open_folder(const std::string& root, const DataConfig& cfg);
std::shared_ptr<Dataset> open_pack(const std::string& path, const DataConfig& cfg);

}  // namespace regnet::train
