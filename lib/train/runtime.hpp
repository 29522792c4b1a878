#pragma once
// What the LibTorch runtime offers here: version, CUDA, threads. Torch-free header.
#include <string>

namespace regnet::train {

struct RuntimeInfo {
  std::string torch_version;
  bool cuda = false;
  int cuda_devices = 0;
  int threads = 1;
};

RuntimeInfo runtime_info();

// libtorch 1.13 defaults to hardware_concurrency/2 threads (1 on 2 cores); use them all.
// threads <= 0 means every core this process may use (core/threads.hpp). Returns the count set.
int set_threads(int threads);

}  // namespace regnet::train
