#pragma once
// Augmentation of whole uint8 batches [n, C, H, W] on their device, for datasets that hold
// decoded pixels (IDX, CIFAR, raw packs). Included only by lib/train .cpp files.
#include <torch/torch.h>

#include <string>

#include "core/base/rng.hpp"

namespace regnet::train {

// "none": x as it is. "flip": mirror half. "crop_flip": zero-pad 4, crop back at a random
// offset, mirror half (one gather, uint8). "rrc_flip": random-resized crop back to out_size
// (bilinear, via an affine grid) and mirror half: float. Draws from rng in image order.
torch::Tensor augment_on_device(const torch::Tensor& x, const std::string& augment, SplitMix64& rng, int out_size);

// Bilinear resize to size x size (float out), for a batch stored at another size.
torch::Tensor resize_batch(const torch::Tensor& x, int size);

}  // namespace regnet::train
