#pragma once
// What differs between the CPU and a CUDA device, in one place: pinned host memory and asynchronous
// copies, the cuDNN autotuner, whether bf16 autocast applies (its API: torch_compat.hpp). Only calls
// that LibTorch's CPU builds have too, so a CPU build compiles every line a CUDA build does; the
// difference is taken at run time. Included only by lib/train .cpp files.
#include <torch/torch.h>

namespace regnet::train {

// Options of host tensors bound for `d`: pinned for a GPU, so that copies to it are asynchronous.
torch::TensorOptions host_options(torch::ScalarType type, const torch::Device& d);
// `t` on `d`: asynchronous (from pinned memory) on a GPU.
torch::Tensor copy_to_device(const torch::Tensor& t, const torch::Device& d);
// The process-wide settings for training on `d`: cuDNN autotuning on a GPU.
void configure_device(const torch::Device& d);
// Whether a schedule's `amp` (bf16 autocast) applies on `d`: on CUDA only.
bool autocast_applies(const torch::Device& d, bool amp);

}  // namespace regnet::train
