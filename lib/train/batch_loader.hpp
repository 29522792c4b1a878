#pragma once
// Loader threads that fill host batches ahead of the trainer, in order, a bounded number ahead.
// Included only by lib/train .cpp files (pulls in <torch/torch.h>).
#include <torch/torch.h>

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

namespace regnet::train {

// One batch as the loader threads leave it on the host.
struct HostBatch {
  torch::Tensor images;  // uint8 [n, H, W, C], pinned when bound for a GPU
  torch::Tensor labels;  // int64 [n]
  torch::Tensor flips;   // bool [n]: mirror image i on the device (undefined: no flips)
};

class BatchLoader {
 public:
  // Runs fill(k) for k = 0 .. num_batches-1 on `threads` threads, each building whole batches,
  // at most 2 per thread ahead of next().
  using Fill = std::function<HostBatch(std::int64_t batch)>;
  BatchLoader(std::int64_t num_batches, int threads, Fill fill);
  ~BatchLoader();
  BatchLoader(const BatchLoader&) = delete;
  BatchLoader& operator=(const BatchLoader&) = delete;

  // The next batch in order; false after the last. Rethrows the first exception of a fill.
  bool next(HostBatch& out);
  // Seconds next() spent blocked because the next batch was not ready yet.
  double wait_seconds() const { return wait_seconds_; }
  int threads() const { return static_cast<int>(workers_.size()); }

 private:
  void work();
  const std::int64_t num_batches_;
  const std::int64_t capacity_;
  Fill fill_;
  std::mutex m_;
  std::condition_variable cv_;
  std::map<std::int64_t, HostBatch> ready_;
  std::int64_t claimed_ = 0, consumed_ = 0;
  bool stop_ = false;
  std::exception_ptr error_;
  double wait_seconds_ = 0;
  std::vector<std::thread> workers_;
};

}  // namespace regnet::train
