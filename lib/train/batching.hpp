#pragma once
// What every dataset's batch streams share: the order of a pass, its batch count, and the last
// steps on the device (flip, NHWC -> NCHW, normalization). Included only by lib/train .cpp files.
#include <torch/torch.h>

#include <atomic>
#include <cstdint>
#include <vector>

#include "train/batch_loader.hpp"
#include "train/data_impl.hpp"

namespace regnet::train {

// The indices of one pass: the first `limit` of n, shuffled by (seed, epoch, split) if asked.
std::vector<std::int64_t> pass_order(std::int64_t n, const BatchOptions& o);
std::int64_t count_batches(std::int64_t n, const BatchOptions& o);
// The seed of a pass's augmentation; `salt` tells datasets apart.
std::uint64_t pass_seed(const BatchOptions& o, int salt);

// Per-channel normalization constants, in 0..255 pixel units, shaped [1, C, 1, 1].
struct Normalization {
  torch::Tensor mean255, inv_std255;
  Normalization to(const torch::Device& d) const { return {mean255.to(d), inv_std255.to(d)}; }
};
Normalization normalization(const std::vector<double>& mean, const std::vector<double>& stdev);

// ImageNet's per-channel mean and std (RGB, as pycls; their average for one channel): the
// normalization of folder and pack data, set into `info` for its info.channels.
void use_imagenet_normalization(DatasetInfo& info);

// uint8 or float [n, C, H, W] (any strides) -> normalized float, channels_last if asked.
torch::Tensor normalize(const torch::Tensor& x, const Normalization& n, bool channels_last);

// Host buffers for batches bound for o.device: pinned for a GPU, so the copy is asynchronous.
torch::TensorOptions host_bytes(const BatchOptions& o);

// Where flips happen: on a GPU, as one kernel over the batch (HostBatch::flips); on the CPU, in
// the loader thread right after decoding, where mirroring a crop costs least.
inline bool flips_on_device(const BatchOptions& o) { return o.device.is_cuda() && !o.host_uint8; }

// A host batch on the device: copied (non-blocking from pinned memory), mirrored where
// h.flips says, permuted to [n, C, H, W] and normalized there.
Batch to_device(const HostBatch& h, const BatchOptions& o, const Normalization& n);
// Mirrors image i of uint8 [n, H, W, C] where flips[i] (bool [n], same device).
torch::Tensor flip_where(const torch::Tensor& nhwc, const torch::Tensor& flips);

// A training pass that waited on its loader for more than a quarter of its time is data-bound:
// one warning per dataset (`warned`) naming the share and what helps.
void report_data_wait(double wait_seconds, double pass_seconds, int threads, const std::string& dataset,
                      std::atomic<bool>& warned);

}  // namespace regnet::train
