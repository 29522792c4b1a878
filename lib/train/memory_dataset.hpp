#pragma once
// Small datasets held in memory as uint8 tensors (IDX, CIFAR): moved to the GPU once when
// training there, with each batch gathered, augmented and normalized on that device.
// Included only by lib/train .cpp files.
#include <torch/torch.h>

#include <memory>

#include "train/data_impl.hpp"

namespace regnet::train {

// Takes uint8 [N, C, H, W] images and int64 [N] labels of both splits; applies cfg's class and
// per-class subsets and image size; fills num_classes, sizes and the training images'
// per-channel mean/std into `info`.
std::shared_ptr<Dataset> make_memory_dataset(DatasetInfo info, torch::Tensor train_x, torch::Tensor train_y,
                                             torch::Tensor test_x, torch::Tensor test_y, const DataConfig& cfg);

}  // namespace regnet::train
