#include "train/runtime.hpp"

#include <torch/torch.h>

#include "core/base/threads.hpp"
#include "train/torch_compat.hpp"

namespace regnet::train {

RuntimeInfo runtime_info() {
  RuntimeInfo r;
  r.torch_version = torch_version();
  r.cuda = torch::cuda::is_available();
  r.cuda_devices = r.cuda ? static_cast<int>(torch::cuda::device_count()) : 0;
  r.threads = torch::get_num_threads();
  return r;
}

int set_threads(int threads) {
  threads = default_threads(threads);
  torch::set_num_threads(threads);
  return threads;
}

}  // namespace regnet::train
