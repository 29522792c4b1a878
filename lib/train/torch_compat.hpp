#pragma once
// The LibTorch calls whose API differs between the versions this builds against (Debian's 1.13,
// and 2.x for CUDA builds): the only file that tests TORCH_VERSION_*, so a build against another
// LibTorch changes torch_compat.cpp alone. Torch-free header.
#include <string>

namespace regnet::train {

// CUDA autocast in bfloat16 while it lives (when `on`): no loss scaling is needed, while fp16
// would need a GradScaler, which C++ lacks. The API moved in LibTorch 2.4.
class CudaAutocast {
 public:
  explicit CudaAutocast(bool on);
  ~CudaAutocast();
  CudaAutocast(const CudaAutocast&) = delete;
  CudaAutocast& operator=(const CudaAutocast&) = delete;

 private:
  bool on_;
};

// "MAJOR.MINOR.PATCH" of the LibTorch this was compiled against.
std::string torch_version();

}  // namespace regnet::train
