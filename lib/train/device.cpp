#include "train/device.hpp"

namespace regnet::train {

torch::TensorOptions host_options(torch::ScalarType type, const torch::Device& d) {
  return torch::TensorOptions().dtype(type).pinned_memory(d.is_cuda());
}

torch::Tensor copy_to_device(const torch::Tensor& t, const torch::Device& d) {
  return t.to(d, /*non_blocking=*/d.is_cuda());
}

void configure_device(const torch::Device& d) {
  if (d.is_cuda()) at::globalContext().setBenchmarkCuDNN(true);
}

bool autocast_applies(const torch::Device& d, bool amp) { return amp && d.is_cuda(); }

}  // namespace regnet::train
